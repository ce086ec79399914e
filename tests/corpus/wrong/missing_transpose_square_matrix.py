"""Aᵀx written as Ax for a square matrix.

Shapes allow it (A is n × n), but (Aᵀx)ₖ = Σⱼ Aⱼₖxⱼ and (Ax)ₖ = Σⱼ Aₖⱼxⱼ differ unless A is
symmetric.
"""

from sympy import Sum

from gradbook import Derivation

WRONG_STEP = 3

d = Derivation("square_matrix_missing_transpose", __doc__)
n = d.size("n")
j = d.index("j", n, "summed over")
k = d.index("k", n, "a row of the result")
A = d.matrix("A", n, n)
x = d.vector("x", n)
A_, x_ = d.as_matrix(A), d.as_matrix(x)

d.start(Sum(A[j, k] * x[j], (j, 1, n)))
d.step(A_.T * x_, "Σⱼ Aⱼₖxⱼ is the k-th entry of Aᵀx")
d.step(A_ * x_, "A times x")
