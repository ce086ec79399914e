"""z written as z + 0·∞ (nan): a step with no value anywhere.
"""

from sympy import S, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("nan_vacuous", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(z)
    d.step(z + S.Zero * S.ComplexInfinity, "0 times anything is 0")
