"""|z| written as z: wrong for every negative z.
"""

from sympy import Abs, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("absolute_value_dropped", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Abs(z) + 1)
    d.step(z + 1, "|z| = z")
