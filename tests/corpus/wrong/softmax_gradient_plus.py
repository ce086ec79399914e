"""The softmax cross-entropy gradient written as p + y instead of p − y.
"""

from sympy import KroneckerDelta, Sum, evaluate

from gradbook import Derivation, domains

WRONG_STEP = 3

d = Derivation("softmax_cross_entropy_grad_p_plus_y", __doc__)
K = d.size("K", checked_at=(2, 3, 4))
i = d.index("i", K, "a class, summed over")
k = d.index("k", K, "the score we differentiate by")
y = d.vector("y", K, domains.SIMPLEX, "the labels")
p = d.vector("p", K, domains.SIMPLEX, "the predictions")

with evaluate(False):
    d.start(-Sum(y[i] * (KroneckerDelta(i, k) - p[k]), (i, 1, K)))
    d.step(-y[k] + p[k] * Sum(y[i], (i, 1, K)), "split the sum; the delta picks yₖ")
    d.step(p[k] + y[k], "the labels sum to one")
