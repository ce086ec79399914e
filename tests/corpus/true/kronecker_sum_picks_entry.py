"""Σᵢ yᵢδᵢₖ = yₖ: whether the free index k equals a summed value or not.
"""

from sympy import KroneckerDelta, Sum, evaluate

from gradbook import Derivation

d = Derivation("delta_picks_the_label", __doc__)
K = d.size("K", checked_at=(2, 3, 4))
i = d.index("i", K, "summed over")
k = d.index("k", K, "a class")
y = d.vector("y", K)

with evaluate(False):
    d.start(Sum(y[i] * KroneckerDelta(i, k), (i, 1, K)))
    d.step(y[k], "only the term i = k survives")
