"""(A + B)² expanded as A² + 2AB + B².

For matrices (A + B)² = A² + AB + BA + B²; AB + BA = 2AB needs commuting matrices.
"""

from gradbook import Derivation

WRONG_STEP = 3

d = Derivation("matrix_square_of_sum", __doc__)
n = d.size("n")
A = d.matrix("A", n, n)
B = d.matrix("B", n, n)
A_, B_ = d.as_matrix(A), d.as_matrix(B)

d.start((A_ + B_) * (A_ + B_))
d.step(A_ * A_ + A_ * B_ + B_ * A_ + B_ * B_, "multiply out")
d.step(A_ * A_ + 2 * A_ * B_ + B_ * B_, "AB + BA = 2AB")
