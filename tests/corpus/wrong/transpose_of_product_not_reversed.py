"""(AB)ᵀ written as AᵀBᵀ.

The transpose of a product reverses the order: (AB)ᵀ = BᵀAᵀ.
"""

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("transpose_keeps_order", __doc__)
n = d.size("n")
A = d.matrix("A", n, n)
B = d.matrix("B", n, n)
A_, B_ = d.as_matrix(A), d.as_matrix(B)

d.start((A_ * B_).T)
d.step(A_.T * B_.T, "transpose each factor")
