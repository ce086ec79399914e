"""The least-squares gradient written as (Xθ − y)ᵀX/m, a row vector.

The entries are those of Xᵀ(Xθ − y)/m; the shape is 1 × n instead of n × 1.
"""

from sympy import Sum

from gradbook import Derivation

WRONG_STEP = 3

d = Derivation("least_squares_gradient_row", __doc__)
m = d.size("m")
n = d.size("n")
i = d.index("i", m, "a data point, summed over")
j = d.index("j", n, "a feature, summed over")
k = d.index("k", n, "the parameter we differentiate by")
X = d.matrix("X", m, n)
theta = d.vector("theta", n)
y = d.vector("y", m)
X_, theta_, y_ = d.as_matrix(X), d.as_matrix(theta), d.as_matrix(y)

d.start(Sum((Sum(theta[j] * X[i, j], (j, 1, n)) - y[i]) * X[i, k], (i, 1, m)) / m)
d.step(X_.T * (X_ * theta_ - y_) / m, "the k-th entry of Xᵀr with r = Xθ − y")
d.step((X_ * theta_ - y_).T * X_ / m, "the same entries as rᵀX")
