"""The softmax Jacobian written as −pᵢpₖ: the δᵢₖ term is dropped.

∂pᵢ/∂zₖ = pᵢ(δᵢₖ − pₖ).
The quotient rule (right) is followed by −pᵢpₖ, which drops the δᵢₖpᵢ term.
The two agree whenever i ≠ k, so only a point where the free indices coincide refuses it.
"""

from sympy import Derivative, KroneckerDelta, Sum, evaluate, exp

from gradbook import Derivation

WRONG_STEP = 3

d = Derivation("dp_dz", __doc__)
K = d.size("K", checked_at=(2, 3), meaning="the number of classes")
j = d.index("j", K, "a class, summed over")
r = d.index("r", K, "the output class")
s = d.index("s", K, "the score we differentiate by")
z = d.vector("z", K, meaning="the scores")
S = Sum(exp(z[j]), (j, 1, K))
p = d.define("p", exp(z[r]) / S, "the softmax", index=r)

with evaluate(False):
    d.start(Derivative(p[r], z[s]))
    d.step(
        (KroneckerDelta(r, s) * exp(z[r]) * S - exp(z[r]) * exp(z[s])) / S**2,
        "the quotient rule",
    )
    d.step(-p[r] * p[s], "the definition of the softmax, twice")
