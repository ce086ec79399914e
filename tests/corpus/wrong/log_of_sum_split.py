"""log(a + b) written as log a + log b.
"""

from sympy import evaluate, log

from gradbook import Derivation, domains

WRONG_STEP = 2

d = Derivation("log_of_sum_as_sum_of_logs", __doc__)
a = d.scalar("a", domains.POSITIVE)
b = d.scalar("b", domains.POSITIVE)

with evaluate(False):
    d.start(log(a + b))
    d.step(log(a) + log(b), "the logarithm of a sum")
