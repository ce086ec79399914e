"""min(z, 50) written as z.

The cap at 50 changes every z > 50.
"""

from sympy import Min, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("cap_at_fifty", __doc__)
u = d.real("u")

with evaluate(False):
    d.start(2 * Min(u, 50))
    d.step(2 * u, "the cap is never reached")
