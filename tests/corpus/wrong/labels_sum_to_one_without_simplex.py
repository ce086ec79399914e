"""pₖ Σᵢ yᵢ − yₖ written as pₖ − yₖ when the labels are only declared to lie in [0, 1].

The step states Σᵢ yᵢ = 1 as an assumption, but the labels' domain does not give it: each
entry is a soft label on its own, and their sum can be anything from 0 to K.
"""

from sympy import Sum, evaluate

from gradbook import Derivation, domains

WRONG_STEP = 2

d = Derivation("soft_labels_assumed_to_sum_to_one", __doc__)
K = d.size("K", checked_at=(2, 3, 4))
i = d.index("i", K, "a class, summed over")
k = d.index("k", K, "the score we differentiate by")
y = d.vector("y", K, domains.SOFT_LABEL, "the labels, each in [0, 1]")
p = d.vector("p", K, domains.SIMPLEX, "the predictions")
d.assume(Sum(y[i], (i, 1, K)), 1, "Σᵢ yᵢ = 1")

with evaluate(False):
    d.start(p[k] * Sum(y[i], (i, 1, K)) - y[k])
    d.step(p[k] - y[k], "the labels sum to one")
