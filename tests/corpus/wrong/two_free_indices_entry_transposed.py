"""Σᵢ Aⱼᵢ Bᵢ_c, the entry (j, c) of AB, written as AᵀB: right only where A is symmetric.

All sizes are equal, so the shapes agree and only the numbers can tell.
"""

from sympy import Sum, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("two_free_indices_transposed", __doc__)
n = d.size("n", checked_at=(2, 3))
i = d.index("i", n, "summed over")
j = d.index("j", n, "the row")
c = d.index("c", n, "the column")
A = d.matrix("A", n, n)
B = d.matrix("B", n, n)
A_, B_ = d.as_matrix(A), d.as_matrix(B)

with evaluate(False):
    d.start(Sum(A[j, i] * B[i, c], (i, 1, n)))
    d.step(A_.T * B_, "the entry (j, c) of a product")
