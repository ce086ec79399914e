"""A sum with a second sum Σ_{j=9}^{n} xⱼ added: empty for n ≤ 8, not for n ≥ 9.
"""

from sympy import Sum, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("sum_extra_tail", __doc__)
n = d.size("n")
j = d.index("j", n, "an entry, summed over")
x = d.vector("x", n)

with evaluate(False):
    d.start(Sum(x[j], (j, 1, n)))
    d.step(Sum(x[j], (j, 1, n)) + Sum(x[j], (j, 9, n)), "the tail sum is empty")
