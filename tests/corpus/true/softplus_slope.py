"""The derivative of softplus is the sigmoid.
"""

from sympy import Derivative, evaluate, exp, log

from gradbook import Derivation, sigmoid

d = Derivation("softplus_derivative_is_sigmoid", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Derivative(log(1 + exp(z)), z))
    d.step(exp(z) / (1 + exp(z)), "(log u)′ = u′/u")
    d.step(sigmoid(z), "divide by eᶻ")
