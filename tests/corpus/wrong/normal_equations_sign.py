"""Xᵀ(Xθ − y) multiplied out as XᵀXθ + Xᵀy.
"""

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("normal_equations_wrong_sign", __doc__)
m = d.size("m")
n = d.size("n")
X = d.matrix("X", m, n)
theta = d.vector("theta", n)
y = d.vector("y", m)
X_, theta_, y_ = d.as_matrix(X), d.as_matrix(theta), d.as_matrix(y)

d.start(X_.T * (X_ * theta_ - y_))
d.step(X_.T * X_ * theta_ + X_.T * y_, "multiply out")
