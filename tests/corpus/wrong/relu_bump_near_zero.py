"""A bump of height 10⁻⁶ and width 2·10⁻⁶ added to ReLU at its kink.

(z + |z|)/2 is right; max(0, 10⁻⁶ − |z|) is zero except within 10⁻⁶ of the switch point.
"""

from sympy import Abs, Max, Rational, evaluate

from gradbook import Derivation

WRONG_STEP = 3

d = Derivation("relu_with_bump_at_kink", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Max(z, 0))
    d.step((z + Abs(z)) / 2, "max(z, 0) = (z + |z|)/2")
    d.step((z + Abs(z)) / 2 + Max(0, Rational(1, 10**6) - Abs(z)), "smooth the kink")
