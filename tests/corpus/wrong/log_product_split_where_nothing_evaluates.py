"""e^(10⁹)·log(xy) = e^(10⁹)·(log x + log y) for real x, y: false when x, y < 0.

Every point overflows (e^(10⁹) is beyond the evaluator's limit), so only the prover looks,
and its force=True log expansion splits log(xy) whatever the signs.
"""

from sympy import evaluate, exp, log

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("log_product_overflow", __doc__)
x = d.real("x")
y = d.real("y")

with evaluate(False):
    d.start(exp(10**9) * log(x * y))
    d.step(exp(10**9) * (log(x) + log(y)), "the log of a product is the sum of the logs")
