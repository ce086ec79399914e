"""softplus(z) − softplus(−z) = z, softplus(−z) = −log σ(z), and softplus′ = σ.
"""

from sympy import evaluate, log

from gradbook import Derivation, sigmoid, softplus

d = Derivation("softplus_reflection_and_slope", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(softplus(z) - z)
    d.step(softplus(-z), "log(1 + eᶻ) − z = log(e⁻ᶻ + 1)")
    d.step(-log(sigmoid(z)), "σ(z) = 1/(1 + e⁻ᶻ)")
