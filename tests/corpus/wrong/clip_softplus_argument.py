"""softplus with its argument floored at −40.

log(1 + eᶻ) and log(1 + e^max(z, −40)) differ for z < −40 by about e⁻⁴⁰ ≈ 4e−18.
"""

from sympy import Max, evaluate, exp, log

from gradbook import Derivation, softplus

WRONG_STEP = 3

d = Derivation("floored_softplus", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(softplus(z))
    d.step(log(1 + exp(z)), "the definition of softplus")
    d.step(log(1 + exp(Max(z, -40))), "below −40 the exponential does not matter")
