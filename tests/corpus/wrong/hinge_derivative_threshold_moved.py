"""The hinge-loss derivative with its threshold at 999/1000 instead of 1.

The first step, −H(1 − z), is right; the cases then give 0 for 999/1000 ≤ z < 1 and at z = 1,
where −H(0) = −1/2.
"""

from sympy import Derivative, Heaviside, Max, Piecewise, Rational, evaluate

from gradbook import Derivation

WRONG_STEP = 3

d = Derivation("hinge_slope_early_threshold", __doc__)
z = d.real("z", "the margin y·f(x)")

with evaluate(False):
    d.start(Derivative(Max(0, 1 - z), z))
    d.step(-Heaviside(1 - z), "the slope of max(0, 1 − z)")
    d.step(Piecewise((-1, z < Rational(999, 1000)), (0, True)), "the step function as cases")
