"""max(z, −10) written as z.

The floor at −10 matters for every z < −10; it is invisible only where z is never sampled
below −10.
"""

from sympy import Max, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("floor_at_minus_ten", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Max(z, -10))
    d.step(z, "the floor is never reached")
