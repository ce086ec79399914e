"""The derivative of |z| written as 1 for z ≥ 0.

SymPy's d|z|/dz is sign(z), which is 0 at z = 0; the step says 1 there. Only the switch
point itself shows the difference.
"""

from sympy import Abs, Derivative, Piecewise, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("abs_slope_at_kink", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Derivative(Abs(z), z))
    d.step(Piecewise((1, z >= 0), (-1, True)), "the slope of |z| is ±1")
