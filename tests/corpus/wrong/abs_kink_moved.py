"""|z| written as |z − 10⁻⁸|.
"""

from sympy import Abs, Rational, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("abs_kink_off_zero", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Abs(z))
    d.step(Abs(z - Rational(1, 10**8)), "the kink sits at 0")
