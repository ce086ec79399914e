"""The softmax Jacobian ∂pᵢ/∂zₖ = pᵢ(δᵢₖ − pₖ), for coinciding and distinct i, k.
"""

from sympy import Derivative, KroneckerDelta, Sum, evaluate, exp

from gradbook import Derivation

d = Derivation("softmax_jacobian_checked", __doc__)
K = d.size("K", checked_at=(2, 3, 4))
i = d.index("i", K, "the output class")
j = d.index("j", K, "summed over")
k = d.index("k", K, "the score we differentiate by")
z = d.vector("z", K)
S = Sum(exp(z[j]), (j, 1, K))
p = d.define("p", exp(z[i]) / S, "the softmax", index=i)

with evaluate(False):
    d.start(Derivative(p[i], z[k]))
    d.step(
        (KroneckerDelta(i, k) * exp(z[i]) * S - exp(z[i]) * exp(z[k])) / S**2,
        "the quotient rule",
    )
    d.step(p[i] * (KroneckerDelta(i, k) - p[k]), "the definition of the softmax, twice")
