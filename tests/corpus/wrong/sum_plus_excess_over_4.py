"""A sum with (n − min(n, 4))·x₁ added.

n − min(n, 4) is zero for n ≤ 4 and positive from n = 5 on.
"""

from sympy import Min, Sum, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("sum_with_excess_term", __doc__)
n = d.size("n", checked_at=(1, 2, 3, 4))
j = d.index("j", n, "an entry, summed over")
x = d.vector("x", n)

with evaluate(False):
    d.start(Sum(x[j], (j, 1, n)))
    d.step(Sum(x[j], (j, 1, n)) + (n - Min(n, 4)) * x[1], "nothing is added")
