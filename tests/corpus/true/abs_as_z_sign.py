"""|z| = z·sign(z), including z = 0 where both are 0.
"""

from sympy import Abs, evaluate, sign

from gradbook import Derivation

d = Derivation("abs_through_sign", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Abs(z))
    d.step(z * sign(z), "sign(z) = ±1 away from 0")
