"""(a − b)²⁰ in two variables and its expansion: cancellation wherever a ≈ b.
"""

from sympy import evaluate, expand

from gradbook import Derivation

d = Derivation("difference_to_the_twentieth", __doc__)
a = d.real("a")
b = d.real("b")

expanded = expand((a - b) ** 20)

with evaluate(False):
    d.start((a - b) ** 20)
    d.step(expanded, "the binomial theorem")
