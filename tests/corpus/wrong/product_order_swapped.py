"""ABx written as BAx with A and B square.

Matrix products do not commute; the shapes (n × n) hide the mistake.
"""

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("swapped_matrix_product", __doc__)
n = d.size("n")
A = d.matrix("A", n, n)
B = d.matrix("B", n, n)
x = d.vector("x", n)
A_, B_, x_ = d.as_matrix(A), d.as_matrix(B), d.as_matrix(x)

d.start(A_ * B_ * x_)
d.step(B_ * A_ * x_, "the order of the factors does not matter")
