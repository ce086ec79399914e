"""d e^(az)/dz written as e^(az): the inner derivative a is dropped.
"""

from sympy import Derivative, evaluate, exp

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("exp_of_scaled_input_slope", __doc__)
a = d.real("a")
z = d.real("z")

with evaluate(False):
    d.start(Derivative(exp(a * z), z))
    d.step(exp(a * z), "the exponential is its own derivative")
