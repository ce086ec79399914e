"""max(z, 0) = (z + |z|)/2, and max(z, 0) = z·H(z) with SymPy's H(0) = 1/2.
"""

from sympy import Abs, Heaviside, Max, evaluate

from gradbook import Derivation

d = Derivation("relu_as_half_sum_with_abs", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Max(z, 0))
    d.step((z + Abs(z)) / 2, "|z| = z above 0 and −z below")
    d.step(z * Heaviside(z), "the step function keeps the positive part")
