"""Swapping a double sum (right), then adding (m − 1)(m − 2)(m − 3)(n − 1) (wrong).

The added term vanishes whenever m ≤ 3, however large n is.
"""

from sympy import Sum, evaluate

from gradbook import Derivation

WRONG_STEP = 3

d = Derivation("double_sum_with_size_term", __doc__)
m = d.size("m")
n = d.size("n")
i = d.index("i", m, "a row, summed over")
j = d.index("j", n, "a column, summed over")
A = d.matrix("A", m, n)

with evaluate(False):
    d.start(Sum(Sum(A[i, j], (j, 1, n)), (i, 1, m)))
    d.step(Sum(Sum(A[i, j], (i, 1, m)), (j, 1, n)), "swap the order of summation")
    d.step(
        Sum(Sum(A[i, j], (i, 1, m)), (j, 1, n)) + (m - 1) * (m - 2) * (m - 3) * (n - 1),
        "nothing is added",
    )
