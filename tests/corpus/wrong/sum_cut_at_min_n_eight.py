"""A sum over n entries cut at min(n, 8).

Right for n ≤ 8 only; drops x₉ … xₙ for larger n.
"""

from sympy import Min, Sum, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("sum_cut_at_eight", __doc__)
n = d.size("n")
j = d.index("j", n, "an entry, summed over")
x = d.vector("x", n)

with evaluate(False):
    d.start(Sum(x[j] ** 2, (j, 1, n)))
    d.step(Sum(x[j] ** 2, (j, 1, Min(n, 8))), "at most eight features matter")
