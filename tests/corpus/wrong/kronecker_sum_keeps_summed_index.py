"""Σ_i y_i δ_ik written as y_i instead of y_k.

The sum picks the entry at k; writing the summation index outside the sum is right only
where the two indices happen to be equal.
"""

from sympy import KroneckerDelta, Sum, evaluate

from gradbook import Derivation, domains

WRONG_STEP = 3

d = Derivation("label_picked_by_delta", __doc__)
K = d.size("K", checked_at=(2, 3, 4), meaning="the number of classes")
i = d.index("i", K, "a class, summed over")
k = d.index("k", K, "a class")
y = d.vector("y", K, domains.SIMPLEX, "the labels")
p = d.vector("p", K, domains.SIMPLEX, "the predictions")

with evaluate(False):
    d.start(-Sum(y[i] * (KroneckerDelta(i, k) - p[k]), (i, 1, K)))
    d.step(
        -Sum(y[i] * KroneckerDelta(i, k), (i, 1, K))
        + p[k] * Sum(y[i], (i, 1, K)),
        "split the sum",
    )
    d.step(-y[i] + p[k], "the delta picks one label; the labels sum to one")
