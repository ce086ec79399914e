"""log of a mean written as the mean of the logs.

Jensen's inequality makes the mean of the logs smaller unless all entries are equal (or n = 1).
"""

from sympy import Sum, evaluate, log

from gradbook import Derivation, domains

WRONG_STEP = 2

d = Derivation("jensen_gap_ignored", __doc__)
n = d.size("n")
i = d.index("i", n, "summed over")
x = d.vector("x", n, domains.POSITIVE)

with evaluate(False):
    d.start(log(Sum(x[i], (i, 1, n)) / n))
    d.step(Sum(log(x[i]), (i, 1, n)) / n, "log of a mean")
