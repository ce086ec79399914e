"""Log loss with the prediction clipped to [10⁻⁷, 1 − 10⁻⁷].

Frameworks clip like this for safety; as an identity it is wrong for every prediction closer
than 10⁻⁷ to 0 or 1.
"""

from sympy import Max, Min, Rational, evaluate, log

from gradbook import Derivation, domains

WRONG_STEP = 2

d = Derivation("clipped_log_loss", __doc__)
y = d.scalar("y", domains.LABEL, "the label")
q = d.scalar("q", domains.PROBABILITY, "the prediction")
eps = Rational(1, 10**7)

with evaluate(False):
    d.start(-(y * log(q) + (1 - y) * log(1 - q)))
    d.step(
        -(y * log(Min(Max(q, eps), 1 - eps)) + (1 - y) * log(1 - Min(Max(q, eps), 1 - eps))),
        "clipping the prediction changes nothing",
    )
