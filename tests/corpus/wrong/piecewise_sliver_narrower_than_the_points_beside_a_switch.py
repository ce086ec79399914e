"""A Piecewise that adds 1 on the sliver 1 < z < 1 + 2⁻⁵⁰, narrower than the points beside the switches.
"""

from sympy import And, Piecewise, Rational, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("piecewise_sliver", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(z)
    d.step(Piecewise((z + 1, And(z > 1, z < 1 + Rational(1, 2**50))), (z, True)), "z, by cases")
