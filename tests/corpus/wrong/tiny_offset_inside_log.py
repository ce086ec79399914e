"""log(1 + eᶻ) written as log(1 + eᶻ + 10⁻⁴⁰).
"""

from sympy import Rational, evaluate, exp, log

from gradbook import Derivation, softplus

WRONG_STEP = 3

d = Derivation("softplus_with_offset", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(softplus(z))
    d.step(log(1 + exp(z)), "the definition of softplus")
    d.step(log(1 + exp(z) + Rational(1, 10**40)), "an offset that keeps the logarithm away from 0")
