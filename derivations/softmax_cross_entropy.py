"""The gradient of softmax cross-entropy.

A K-class classifier turns scores z into probabilities pₖ = exp(zₖ) / Σⱼ exp(zⱼ) (the softmax) and
is scored by the cross-entropy L = −Σₖ yₖ log pₖ against a label distribution y. Through the
softmax Jacobian ∂pᵢ/∂zₖ = pᵢ(δᵢₖ − pₖ), the gradient collapses to ∂L/∂zₖ = pₖ − yₖ, but only
because the labels sum to one; the step that uses Σₖ yₖ = 1 says so. Shifting every score by
the same constant changes nothing, which is what lets the code compute it without overflow.
"""

from sympy import Derivative, KroneckerDelta, Sum, exp, log

from gradbook import Derivation, domains

d = Derivation("softmax_cross_entropy", __doc__, uses=["sigmoid_prime"], source=__file__)
K = d.size("K", checked_at=(2, 3, 4), meaning="the number of classes")
i = d.index("i", K, "a class")
j = d.index("j", K, "a class, summed over")
k = d.index("k", K, "the score we differentiate by")
z = d.vector("z", K, meaning="the scores (logits)")
y = d.vector("y", K, domains.SIMPLEX, "the label distribution: one-hot or probabilities")
c = d.real("c", "any real shift; the code uses the largest score")
S = Sum(exp(z[j]), (j, 1, K))
p = d.define("p", exp(z[i]) / S, "the softmax probabilities", index=i)
d.assume(Sum(y[i], (i, 1, K)), 1, "Σᵢ yᵢ = 1")

with d.chain("The softmax Jacobian"):
    d.start(Derivative(p[i], z[k]))
    d.step(Derivative(exp(z[i]) / S, z[k]), "the definition of the softmax")
    d.step(
        (KroneckerDelta(i, k) * exp(z[i]) * S - exp(z[i]) * exp(z[k])) / S**2,
        "the quotient rule, with ∂exp(zᵢ)/∂zₖ = δᵢₖexp(zᵢ) and ∂(Σⱼ exp(zⱼ))/∂zₖ = exp(zₖ)",
    )
    d.step(exp(z[i]) / S * (KroneckerDelta(i, k) - exp(z[k]) / S), "factor out exp(zᵢ)/Σⱼ exp(zⱼ)")
    d.step(p[i] * (KroneckerDelta(i, k) - p[k]), "the definition of the softmax, twice")
d.result("softmax_jacobian")

with d.chain("The gradient of the loss"):
    d.start(Derivative(-Sum(y[i] * log(p[i]), (i, 1, K)), z[k]))
    d.step(
        -Sum(y[i] * (1 / p[i]) * Derivative(p[i], z[k]), (i, 1, K)),
        "differentiate under the sum, with (ln u)′ = u′/u",
    )
    d.step(
        -Sum(y[i] * (1 / p[i]) * (p[i] * (KroneckerDelta(i, k) - p[k])), (i, 1, K)),
        "the softmax Jacobian",
    )
    d.step(-Sum(y[i] * (KroneckerDelta(i, k) - p[k]), (i, 1, K)), "cancel pᵢ")
    d.step(-y[k] + p[k] * Sum(y[i], (i, 1, K)), "Σᵢ yᵢδᵢₖ = yₖ, and pₖ does not depend on i")
    d.step(p[k] - y[k], "the labels sum to one: Σᵢ yᵢ = 1")
d.result("softmax_cross_entropy_grad")

with d.chain("Softmax without overflow"):
    d.start(p[k])
    d.step(exp(z[k]) / S, "the definition of the softmax")
    d.step(
        exp(z[k] - c) / Sum(exp(z[j] - c), (j, 1, K)),
        "multiply numerator and denominator by e⁻ᶜ; with c = maxⱼ zⱼ no exponent is positive",
    )
d.implement(
    "softmax_shifted", (z, c), "Softmax along the last axis, with every score shifted by c.",
    vector_index=k,
)

with d.chain("The gradient without overflow"):
    d.start(p[k] - y[k])
    d.step(
        exp(z[k] - c) / Sum(exp(z[j] - c), (j, 1, K)) - y[k],
        "the shifted softmax, as above",
    )
d.implement(
    "softmax_cross_entropy_grad_shifted", (z, y, c),
    "∂L/∂z = softmax(z) − y along the last axis, with every score shifted by c.",
    vector_index=k,
)

with d.chain("The loss without overflow"):
    d.start(-Sum(y[i] * log(p[i]), (i, 1, K)))
    d.step(
        -Sum(y[i] * ((z[i] - c) - log(Sum(exp(z[j] - c), (j, 1, K)))), (i, 1, K)),
        "log pᵢ = (zᵢ − c) − log Σⱼ exp(zⱼ − c), the shifted softmax",
    )
    d.step(
        log(Sum(exp(z[j] - c), (j, 1, K))) - Sum(y[i] * (z[i] - c), (i, 1, K)),
        "the labels sum to one: Σᵢ yᵢ = 1",
    )
d.implement(
    "softmax_cross_entropy_shifted", (z, y, c),
    "L = −Σₖ yₖ log softmax(z)ₖ along the last axis, with every score shifted by c.",
    vector_index=k,
)

if __name__ == "__main__":
    d.main()
