"""The squared-error gradient of a sigmoid unit without its σ′ factor.

d/dw ½(σ(wx) − y)² = (σ(wx) − y)σ(wx)(1 − σ(wx))x; the step forgets σ(1 − σ).
"""

from sympy import Derivative, evaluate

from gradbook import Derivation, sigmoid

WRONG_STEP = 3

d = Derivation("sigmoid_unit_squared_error_no_sigma_prime", __doc__)
w = d.real("w")
x = d.real("x")
y = d.real("y")

with evaluate(False):
    d.start(Derivative((sigmoid(w * x) - y) ** 2 / 2, w))
    d.step((sigmoid(w * x) - y) * Derivative(sigmoid(w * x), w), "the chain rule")
    d.step((sigmoid(w * x) - y) * x, "the derivative of σ(wx) by w")
