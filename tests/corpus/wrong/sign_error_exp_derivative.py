"""d e⁻ᶻ/dz written as e⁻ᶻ: the minus sign of the chain rule is lost.
"""

from sympy import Derivative, evaluate, exp

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("exp_minus_z_slope_sign", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Derivative(exp(-z), z))
    d.step(exp(-z), "the exponential is its own derivative")
