"""σ′(z) = σ(z)(1 − σ(z)).
"""

from sympy import Derivative, evaluate, exp

from gradbook import Derivation, sigmoid

d = Derivation("sigmoid_derivative_in_sigma", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Derivative(sigmoid(z), z))
    d.step(exp(-z) / (1 + exp(-z)) ** 2, "the chain rule on 1/(1 + e⁻ᶻ)")
    d.step(sigmoid(z) * (1 - sigmoid(z)), "split the fraction")
