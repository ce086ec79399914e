"""(1/m) Σᵢ Xᵢⱼ(P_ic − Y_ic) written as (1/m) Xᵀ(Y − P), with P a defined matrix (the row softmax).
"""

from sympy import Sum, evaluate, exp

from gradbook import Derivation, domains

WRONG_STEP = 2

d = Derivation("defined_matrix_residual_sign", __doc__)
m = d.size("m", checked_at=(1, 2, 3), only=True)
n = d.size("n", checked_at=(1, 2, 3), only=True)
K = d.size("K", checked_at=(2, 3), only=True)
i = d.index("i", m, "a data point, summed over")
j = d.index("j", n, "a feature")
k = d.index("k", n, "a feature, summed over")
c = d.index("c", K, "a class")
c2 = d.index("c'", K, "a class, summed over")
X = d.matrix("X", m, n)
W = d.matrix("W", n, K)
Y = d.matrix("Y", m, K, domains.SIMPLEX)
z = d.define("z", Sum(X[i, k] * W[k, c], (k, 1, n)), "the scores", index=(i, c))
P = d.define("P", exp(z[i, c]) / Sum(exp(z[i, c2]), (c2, 1, K)), "the probabilities", index=(i, c))
X_, P_, Y_ = d.as_matrix(X), d.as_matrix(P), d.as_matrix(Y)

with evaluate(False):
    d.start(Sum(X[i, j] * (P[i, c] - Y[i, c]), (i, 1, m)) / m)
    d.step(X_.T * (Y_ - P_) / m, "the entry (j, c) of Xᵀ(Y − P)")
