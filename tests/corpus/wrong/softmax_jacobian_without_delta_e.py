"""The softmax Jacobian written as −pᵢpₖ: the δᵢₖ term is dropped.

∂pᵢ/∂zₖ = pᵢ(δᵢₖ − pₖ).
The derivative is written at once as −pᵢpₖ, without the δᵢₖpᵢ term.
The two agree whenever i ≠ k, so only a point where the free indices coincide refuses it.
"""

from sympy import Derivative, Sum, evaluate, exp

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("softmax_partials_missing_identity", __doc__)
K = d.size("K", checked_at=(4, 5), meaning="the number of classes")
j = d.index("j", K, "a class, summed over")
u = d.index("u", K, "the output class")
v = d.index("v", K, "the score we differentiate by")
z = d.vector("z", K, meaning="the scores")
S = Sum(exp(z[j]), (j, 1, K))
p = d.define("p", exp(z[u]) / S, "the softmax", index=u)

with evaluate(False):
    d.start(Derivative(p[u], z[v]))
    d.step(-p[u] * p[v], "differentiate the softmax")
