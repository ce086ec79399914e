"""log p written as log max(p, 10⁻¹²).

For a probability p < 10⁻¹² the two logs differ (log 10⁻¹⁸ ≠ log 10⁻¹²); the guard is a
change of the loss, not a rewriting.
"""

from sympy import Max, Rational, evaluate, log

from gradbook import Derivation, domains

WRONG_STEP = 2

d = Derivation("guarded_log_probability", __doc__)
p = d.scalar("p", domains.PROBABILITY, "a predicted probability")

with evaluate(False):
    d.start(-log(p))
    d.step(-log(Max(p, Rational(1, 10**12))), "p is never below 10⁻¹²")
