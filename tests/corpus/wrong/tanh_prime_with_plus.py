"""tanh′ written as 1 + tanh² instead of 1 − tanh².
"""

from sympy import Derivative, evaluate, tanh

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("tanh_slope_one_plus_square", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Derivative(tanh(z), z))
    d.step(1 + tanh(z) ** 2, "the derivative of tanh")
