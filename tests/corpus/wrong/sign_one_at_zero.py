"""sign(z) written as 1 for z ≥ 0.

sign(0) = 0; the cases give 1. Only z = 0 shows it.
"""

from sympy import Piecewise, evaluate, sign

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("sign_as_two_cases", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(sign(z))
    d.step(Piecewise((1, z >= 0), (-1, True)), "the sign has two values")
