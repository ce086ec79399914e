"""Sigmoid, its derivative and softplus without overflow.

The textbook formulas overflow: 1/(1 + e⁻ᶻ) computes e⁸⁰⁰ on the way to 0 for z = −800,
and e⁻ᶻ/(1 + e⁻ᶻ)² divides infinity by infinity. Rewriting each one so that every
exponent is ≤ 0 gives the same values, exactly, with no intermediate result above 2. These are
the forms gradbook compiles into NumPy.
"""

from sympy import Abs, Max, Min, exp, log
from sympy.codegen.cfunctions import log1p

from gradbook import Derivation, sigmoid, softplus

d = Derivation("stable_sigmoid", __doc__, uses=["sigmoid_prime"], source=__file__)
z = d.real("z", "the input, a logit")

with d.chain("σ(z) with no positive exponent"):
    d.start(sigmoid(z))
    d.step(1 / (1 + exp(-z)), "the definition of σ")
    d.step(
        exp(Min(z, 0)) / (exp(Min(z, 0)) + exp(Min(z, 0) - z)),
        "multiply numerator and denominator by exp(min(z, 0))",
    )
    d.step(
        exp(Min(z, 0)) / (1 + exp(-Abs(z))),
        "one of min(z, 0) and min(z, 0) − z is 0, the other is −|z|",
    )
d.implement("sigmoid", (z,), "The logistic sigmoid σ(z) = 1/(1 + e⁻ᶻ), elementwise.")

with d.chain("σ′(z) with no positive exponent"):
    d.start(sigmoid(z) * (1 - sigmoid(z)))
    d.step(exp(-z) / (1 + exp(-z)) ** 2, "the definition of σ; 1 − σ(z) = e⁻ᶻ/(1 + e⁻ᶻ)")
    d.step(
        exp(-Abs(z)) / (1 + exp(-Abs(z))) ** 2,
        "σ′ is even: multiplying by e²ᶻ/e²ᶻ turns e⁻ᶻ/(1 + e⁻ᶻ)² into eᶻ/(1 + eᶻ)²",
    )
d.implement("sigmoid_prime", (z,), "The derivative σ′(z) = σ(z)(1 − σ(z)), elementwise.")

with d.chain("softplus(z) = log(1 + eᶻ) with no positive exponent"):
    d.start(softplus(z))
    d.step(log(1 + exp(z)), "the definition of softplus")
    d.step(
        Max(z, 0) + log(exp(-Max(z, 0)) + exp(z - Max(z, 0))),
        "take exp(max(z, 0)) out of the logarithm",
    )
    d.step(Max(z, 0) + log(1 + exp(-Abs(z))), "one of −max(z, 0) and z − max(z, 0) is 0, the other −|z|")
    d.step(Max(z, 0) + log1p(exp(-Abs(z))), "log1p(u) = log(1 + u), exact for tiny u")
d.implement("softplus", (z,), "softplus(z) = log(1 + eᶻ), elementwise.")

if __name__ == "__main__":
    d.main()
