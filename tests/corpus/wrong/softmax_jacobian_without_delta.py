"""The softmax Jacobian written as −pᵢpₖ: the δᵢₖ term is dropped.

∂pᵢ/∂zₖ = pᵢ(δᵢₖ − pₖ).
The derivative is written at once as −pᵢpₖ, without the δᵢₖpᵢ term.
The two agree whenever i ≠ k, so only a point where the free indices coincide refuses it.
"""

from sympy import Derivative, Sum, evaluate, exp

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("softmax_jacobian_drops_delta", __doc__)
K = d.size("K", checked_at=(2, 3, 4), meaning="the number of classes")
j = d.index("j", K, "a class, summed over")
i = d.index("i", K, "the output class")
k = d.index("k", K, "the score we differentiate by")
z = d.vector("z", K, meaning="the scores")
S = Sum(exp(z[j]), (j, 1, K))
p = d.define("p", exp(z[i]) / S, "the softmax", index=i)

with evaluate(False):
    d.start(Derivative(p[i], z[k]))
    d.step(-p[i] * p[k], "differentiate the softmax")
