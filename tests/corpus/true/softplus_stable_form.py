"""softplus(z) = max(z, 0) + log(1 + e^−|z|), the form that never overflows.
"""

from sympy import Abs, Max, evaluate, exp, log

from gradbook import Derivation, softplus

d = Derivation("softplus_with_max_and_abs", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(softplus(z))
    d.step(log(1 + exp(z)), "the definition of softplus")
    d.step(Max(z, 0) + log(1 + exp(-Abs(z))), "take e^max(z, 0) out of the logarithm")
