"""The derivative of the sigmoid.

σ′(z) = σ(z)(1 − σ(z)): once the forward pass has computed σ(z), backpropagating through
a sigmoid costs a single multiplication, and the derivative is largest, 1/4, at z = 0.
"""

from sympy import Derivative, exp

from gradbook import Derivation, sigmoid

d = Derivation("sigmoid_prime", __doc__, source=__file__)
z = d.real("z", "the input, a logit")

with d.chain("σ′ in terms of σ"):
    d.start(Derivative(sigmoid(z), z))
    d.step(Derivative(1 / (1 + exp(-z)), z), "the definition σ(z) = 1/(1 + e⁻ᶻ)")
    d.step(-((1 + exp(-z)) ** -2) * (-exp(-z)), "the chain rule: (1/u)′ = −u′/u²")
    d.step(exp(-z) / (1 + exp(-z)) ** 2, "the two minus signs cancel")
    d.step(1 / (1 + exp(-z)) * (exp(-z) / (1 + exp(-z))), "split the fraction")
    d.step(
        1 / (1 + exp(-z)) * (1 - 1 / (1 + exp(-z))),
        "e⁻ᶻ/(1 + e⁻ᶻ) = 1 − 1/(1 + e⁻ᶻ)",
    )
    d.step(sigmoid(z) * (1 - sigmoid(z)), "the definition of σ, twice")
d.result("sigmoid_prime", arguments=(z,))

if __name__ == "__main__":
    d.main()
