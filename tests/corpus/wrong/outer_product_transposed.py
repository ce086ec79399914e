"""The H × n matrix of the entries δ_h x_j written as xδᵀ, an n × H matrix.
"""

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("outer_product_transposed", __doc__)
n = d.size("n", checked_at=(1, 2, 3), only=True)
H = d.size("H", checked_at=(1, 2, 3), only=True)
h = d.index("h", H, "a hidden unit: the row")
j = d.index("j", n, "an input: the column")
delta = d.vector("delta", H)
x = d.vector("x", n)
delta_, x_ = d.as_matrix(delta), d.as_matrix(x)

d.start(delta[h] * x[j])
d.step(x_ * delta_.T, "the outer product of the error signals and the input")
