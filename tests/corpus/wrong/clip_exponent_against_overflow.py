"""exp(z) written as exp(min(z, 20)), an overflow guard passed off as an identity.

The two agree for z ≤ 20 only; at z = 21 they differ by a factor e.
"""

from sympy import Min, evaluate, exp

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("guarded_exponential", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(exp(z) + 1)
    d.step(exp(Min(z, 20)) + 1, "exp(min(z, 20)) cannot overflow and equals exp(z)")
