"""Σⱼ Aᵢⱼxⱼ written as Σⱼ Aⱼᵢxⱼ: row and column swapped.
"""

from sympy import Sum, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("row_column_swapped", __doc__)
n = d.size("n")
i = d.index("i", n, "a row")
j = d.index("j", n, "summed over")
A = d.matrix("A", n, n)
x = d.vector("x", n)

with evaluate(False):
    d.start(Sum(A[i, j] * x[j], (j, 1, n)))
    d.step(Sum(A[j, i] * x[j], (j, 1, n)), "the i-th entry of Ax")
