"""∂L/∂zₖ = pₖ − yₖ once the labels, drawn from the simplex, sum to one.
"""

from sympy import KroneckerDelta, Sum, evaluate

from gradbook import Derivation, domains

d = Derivation("softmax_gradient_with_simplex_labels", __doc__)
K = d.size("K", checked_at=(2, 3, 4))
i = d.index("i", K, "summed over")
k = d.index("k", K, "the score we differentiate by")
y = d.vector("y", K, domains.SIMPLEX, "the labels")
p = d.vector("p", K, domains.SIMPLEX, "the predictions")
d.assume(Sum(y[i], (i, 1, K)), 1, "Σᵢ yᵢ = 1")

with evaluate(False):
    d.start(-Sum(y[i] * (KroneckerDelta(i, k) - p[k]), (i, 1, K)))
    d.step(-y[k] + p[k] * Sum(y[i], (i, 1, K)), "the delta picks yₖ")
    d.step(p[k] - y[k], "the labels sum to one")
