"""Σᵢ Xᵢⱼ S_ic is the entry (j, c) of XᵀS, for a defined matrix S = XW with entries S_ic.

Two free indices meet a matrix: j picks the row and c the column (the first declared picks
the row). S is a name for Σₖ XᵢₖWₖ_c, written out wherever it is evaluated.
"""

from sympy import Sum

from gradbook import Derivation

d = Derivation("two_free_indices", __doc__)
m = d.size("m", checked_at=(1, 2, 3), only=True)
n = d.size("n", checked_at=(1, 2, 3), only=True)
K = d.size("K", checked_at=(2, 3, 4), only=True)
i = d.index("i", m, "a data point, summed over")
j = d.index("j", n, "a feature: the row")
k = d.index("k", n, "a feature, summed over")
c = d.index("c", K, "a class: the column")
X = d.matrix("X", m, n)
W = d.matrix("W", n, K)
S = d.define("S", Sum(X[i, k] * W[k, c], (k, 1, n)), "the scores", index=(i, c))
X_, W_, S_ = d.as_matrix(X), d.as_matrix(W), d.as_matrix(S)

d.start(Sum(X[i, j] * S[i, c], (i, 1, m)))
d.step(X_.T * S_, "the entry (j, c) of XᵀS")
d.step(X_.T * (X_ * W_), "S = XW")
