"""The leaky-ReLU derivative with slope 1/10 on the negative side instead of 1/100.
"""

from sympy import Derivative, Heaviside, Max, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("leaky_relu_derivative_tenfold", __doc__)
v = d.real("v")

with evaluate(False):
    d.start(Derivative(Max(v, v / 100), v))
    d.step(Heaviside(v) + Heaviside(-v) / 10, "slope 1 above 0, the leak below")
