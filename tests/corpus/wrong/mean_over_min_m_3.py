"""A mean that divides by min(m, 3) instead of m.

The two agree for m ≤ 3 only.
"""

from sympy import Min, Sum, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("mean_with_capped_count", __doc__)
m = d.size("m", meaning="the number of data points")
i = d.index("i", m, "a data point, summed over")
e = d.vector("e", m, meaning="the errors")

with evaluate(False):
    d.start(Sum(e[i], (i, 1, m)) / m)
    d.step(Sum(e[i], (i, 1, m)) / Min(m, 3), "the number of points")
