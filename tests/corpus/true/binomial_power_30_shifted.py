"""(z − 1)³⁰ and its binomial expansion, exact but cancelling near z = 1 and for large z.
"""

from sympy import evaluate, expand

from gradbook import Derivation

d = Derivation("expanded_thirtieth_power", __doc__)
z = d.real("z")

expanded = expand((z - 1) ** 30)

with evaluate(False):
    d.start((z - 1) ** 30)
    d.step(expanded, "the binomial theorem")
