"""log p written as log(p + 10⁻³⁰⁰): an ε inside the logarithm.

Wrong for every p; the relative difference is at most about 10⁻²⁴⁰ at the smallest sampled p.
"""

from sympy import Rational, evaluate, log

from gradbook import Derivation, domains

WRONG_STEP = 2

d = Derivation("log_with_epsilon", __doc__)
p = d.scalar("p", domains.PROBABILITY, "a predicted probability")

with evaluate(False):
    d.start(-log(p))
    d.step(-log(p + Rational(1, 10**300)), "add ε = 10⁻³⁰⁰ so the log never sees 0; it changes nothing")
