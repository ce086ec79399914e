"""The hinge max(0, 1 − z) = (1 − z + |1 − z|)/2, and its derivative −H(1 − z).
"""

from sympy import Abs, Derivative, Heaviside, Max, evaluate

from gradbook import Derivation

d = Derivation("hinge_loss_rewritten", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Derivative(Max(0, 1 - z), z))
    d.step(Derivative((1 - z + Abs(1 - z)) / 2, z), "max(0, u) = (u + |u|)/2")
    d.step(-Heaviside(1 - z), "the slope is −1 below the kink and 0 above")
