"""Σ_c y_c δ_ce written as y_c instead of y_e.

The sum picks the entry at e; writing the summation index outside the sum is right only
where the two indices happen to be equal.
"""

from sympy import KroneckerDelta, Sum, evaluate

from gradbook import Derivation, domains

WRONG_STEP = 3

d = Derivation("delta_sum_wrong_label", __doc__)
K = d.size("K", checked_at=(2, 3, 4), meaning="the number of classes")
c = d.index("c", K, "a class, summed over")
e = d.index("e", K, "a class")
y = d.vector("y", K, domains.SIMPLEX, "the labels")
p = d.vector("p", K, domains.SIMPLEX, "the predictions")

with evaluate(False):
    d.start(-Sum(y[c] * (KroneckerDelta(c, e) - p[e]), (c, 1, K)))
    d.step(
        -Sum(y[c] * KroneckerDelta(c, e), (c, 1, K))
        + p[e] * Sum(y[c], (c, 1, K)),
        "split the sum",
    )
    d.step(-y[c] + p[e], "the delta picks one label; the labels sum to one")
