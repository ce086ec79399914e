"""Xᵀy written as yᵀX: a row where a column is meant.

The step from the index form to Xᵀy is right. yᵀX has the same entries as Xᵀy but is a
1 × n row, not an n × 1 column: only a shape check refuses it.
"""

from sympy import Sum

from gradbook import Derivation

WRONG_STEP = 3

d = Derivation("xty_as_row", __doc__)
m = d.size("m")
n = d.size("n")
i = d.index("i", m, "a data point, summed over")
k = d.index("k", n, "a feature")
X = d.matrix("X", m, n)
y = d.vector("y", m)
X_, y_ = d.as_matrix(X), d.as_matrix(y)

d.start(Sum(X[i, k] * y[i], (i, 1, m)))
d.step(X_.T * y_, "Σᵢ Xᵢₖyᵢ is the k-th entry of Xᵀy")
d.step(y_.T * X_, "the same products, in the other order")
