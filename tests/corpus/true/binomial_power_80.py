"""(1 + z)⁸⁰ and its binomial expansion.

The 81 terms cancel heavily for negative z: at z = −3 they reach 10⁶¹ while the sum is 10²⁴, so
a fixed 60-digit evaluation loses the comparison. The step is exact.
"""

from sympy import evaluate, expand

from gradbook import Derivation

d = Derivation("binomial_expansion_eightieth_power", __doc__)
z = d.real("z")

expanded = expand((1 + z) ** 80)

with evaluate(False):
    d.start((1 + z) ** 80)
    d.step(expanded, "the binomial theorem")
