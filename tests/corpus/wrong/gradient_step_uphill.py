"""A gradient-descent step written with + instead of −.
"""

from sympy import evaluate

from gradbook import Derivation, domains

WRONG_STEP = 2

d = Derivation("gradient_descent_plus_sign", __doc__)
theta = d.real("theta")
g = d.real("g")
eta = d.scalar("eta", domains.POSITIVE)

with evaluate(False):
    d.start(theta - eta * g)
    d.step(theta + eta * g, "step along the gradient")
