"""exp(−z) + 10⁻⁴⁵ written for exp(−z), one step after a right one.
"""

from sympy import Rational, evaluate, exp

from gradbook import Derivation

WRONG_STEP = 3

d = Derivation("exp_plus_smaller_offset", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(exp(-z) * exp(z) * exp(-z))
    d.step(exp(-z), "exp(z)·exp(−z) = 1")
    d.step(exp(-z) + Rational(1, 10**45), "a negligible constant")
