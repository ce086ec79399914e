"""xᵀx (a 1 × 1 matrix) written as xxᵀ (an n × n matrix).

The trace of xxᵀ is xᵀx, but the two are not equal unless n = 1.
"""

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("outer_for_inner_product", __doc__)
n = d.size("n", checked_at=(2, 3))
x = d.vector("x", n)
x_ = d.as_matrix(x)

d.start(x_.T * x_)
d.step(x_ * x_.T, "the product of x with itself")
