"""The ReLU derivative given the leaky slope 1/100 for z < 0.

The first step (Heaviside) is right; the second gives slope 1/100 on the negative side,
where ReLU is flat.
"""

from sympy import Derivative, Heaviside, Max, Piecewise, Rational, evaluate

from gradbook import Derivation

WRONG_STEP = 3

d = Derivation("relu_slope_on_negative_side", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Derivative(Max(z, 0), z))
    d.step(Heaviside(z), "the step function")
    d.step(Piecewise((1, z > 0), (Rational(1, 100), True)), "the slope on each side")
