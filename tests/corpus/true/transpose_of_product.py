"""(AB)ᵀ = BᵀAᵀ and (A + B)x = Ax + Bx for square matrices.
"""

from gradbook import Derivation

d = Derivation("matrix_transpose_and_distribute", __doc__)
n = d.size("n")
A = d.matrix("A", n, n)
B = d.matrix("B", n, n)
x = d.vector("x", n)
A_, B_, x_ = d.as_matrix(A), d.as_matrix(B), d.as_matrix(x)

d.start((A_ * B_).T * x_)
d.step(B_.T * A_.T * x_, "the transpose of a product reverses it")
d.step((B_.T * A_.T + A_) * x_ - A_ * x_, "add and subtract Ax")
