"""dσ(wx + b)/dw written as σ(1 − σ): the factor x from the logit is dropped.
"""

from sympy import Derivative, evaluate

from gradbook import Derivation, sigmoid

WRONG_STEP = 2

d = Derivation("sigmoid_weight_slope_no_input", __doc__)
w = d.real("w")
x = d.real("x")
b = d.real("b")

with evaluate(False):
    d.start(Derivative(sigmoid(w * x + b), w))
    d.step(sigmoid(w * x + b) * (1 - sigmoid(w * x + b)), "σ′ = σ(1 − σ)")
