"""The softmax Jacobian written as −pᵢpₖ: the δᵢₖ term is dropped.

∂pᵢ/∂zₖ = pᵢ(δᵢₖ − pₖ).
The quotient rule (right) is followed by −pᵢpₖ, which drops the δᵢₖpᵢ term.
The two agree whenever i ≠ k, so only a point where the free indices coincide refuses it.
"""

from sympy import Derivative, KroneckerDelta, Sum, evaluate, exp

from gradbook import Derivation

WRONG_STEP = 3

d = Derivation("cross_terms_only", __doc__)
K = d.size("K", checked_at=(2,), meaning="the number of classes")
j = d.index("j", K, "a class, summed over")
i = d.index("i", K, "the output class")
k = d.index("k", K, "the score we differentiate by")
z = d.vector("z", K, meaning="the scores")
S = Sum(exp(z[j]), (j, 1, K))
p = d.define("p", exp(z[i]) / S, "the softmax", index=i)

with evaluate(False):
    d.start(Derivative(p[i], z[k]))
    d.step(
        (KroneckerDelta(i, k) * exp(z[i]) * S - exp(z[i]) * exp(z[k])) / S**2,
        "the quotient rule",
    )
    d.step(-p[i] * p[k], "the definition of the softmax, twice")
