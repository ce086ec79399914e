"""Xᵀ(Xθ − y) = XᵀXθ − Xᵀy, and its index form.
"""

from sympy import Sum

from gradbook import Derivation

d = Derivation("least_squares_normal_form", __doc__)
m = d.size("m")
n = d.size("n")
i = d.index("i", m, "a data point, summed over")
j = d.index("j", n, "a feature, summed over")
k = d.index("k", n, "the parameter we differentiate by")
X = d.matrix("X", m, n)
theta = d.vector("theta", n)
y = d.vector("y", m)
X_, theta_, y_ = d.as_matrix(X), d.as_matrix(theta), d.as_matrix(y)

d.start(Sum((Sum(theta[j] * X[i, j], (j, 1, n)) - y[i]) * X[i, k], (i, 1, m)))
d.step(X_.T * (X_ * theta_ - y_), "the k-th entry of Xᵀr with r = Xθ − y")
d.step(X_.T * X_ * theta_ - X_.T * y_, "multiply out")
