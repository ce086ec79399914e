"""σ′ written as σ(1 + σ) instead of σ(1 − σ).
"""

from sympy import Derivative, evaluate

from gradbook import Derivation, sigmoid

WRONG_STEP = 2

d = Derivation("sigmoid_slope_one_plus_sigma", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Derivative(sigmoid(z), z))
    d.step(sigmoid(z) * (1 + sigmoid(z)), "the derivative of the sigmoid")
