"""The step function shifted by 10⁻⁶.

H(z) and H(z − 10⁻⁶) differ on [0, 10⁻⁶] only.
"""

from sympy import Heaviside, Rational, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("shifted_step_function", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(3 * Heaviside(z))
    d.step(3 * Heaviside(z - Rational(1, 10**6)), "the step sits at 0")
