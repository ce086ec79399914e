"""∂L/∂zₖ written as pᵢ − yₖ: the prediction carries the wrong index.
"""

from sympy import KroneckerDelta, Sum, evaluate

from gradbook import Derivation, domains

WRONG_STEP = 2

d = Derivation("softmax_gradient_wrong_prediction_index", __doc__)
K = d.size("K", checked_at=(2, 3, 4))
i = d.index("i", K, "a class")
k = d.index("k", K, "the score we differentiate by")
y = d.vector("y", K, domains.SIMPLEX, "the labels")
p = d.vector("p", K, domains.SIMPLEX, "the predictions")

with evaluate(False):
    d.start(-Sum(y[i] * (KroneckerDelta(i, k) - p[k]), (i, 1, K)))
    d.step(p[i] - y[k], "the labels sum to one")
