"""Leaky ReLU with slope 1/10 where it has 1/100.
"""

from sympy import Max, Piecewise, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("leaky_relu_wrong_slope", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Max(z, z / 100))
    d.step(Piecewise((z, z > 0), (z / 10, True)), "max(z, z/100) as cases")
