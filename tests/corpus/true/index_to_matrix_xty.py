"""Σᵢ Xᵢₖyᵢ is the k-th entry of the column Xᵀy.
"""

from sympy import Sum

from gradbook import Derivation

d = Derivation("column_x_transpose_y", __doc__)
m = d.size("m")
n = d.size("n")
i = d.index("i", m, "a data point, summed over")
k = d.index("k", n, "a feature")
X = d.matrix("X", m, n)
y = d.vector("y", m)
X_, y_ = d.as_matrix(X), d.as_matrix(y)

d.start(Sum(X[i, k] * y[i], (i, 1, m)))
d.step(X_.T * y_, "the k-th entry of Xᵀy")
