"""σ(−z) = 1 − σ(z), and 1 − σ(z) = e⁻ᶻσ(z).
"""

from sympy import evaluate, exp

from gradbook import Derivation, sigmoid

d = Derivation("sigmoid_of_minus_z", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(sigmoid(-z))
    d.step(1 - sigmoid(z), "the sigmoid is symmetric about (0, 1/2)")
    d.step(exp(-z) * sigmoid(z), "1 − 1/(1 + e⁻ᶻ) = e⁻ᶻ/(1 + e⁻ᶻ)")
