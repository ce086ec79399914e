"""log σ(z) = −softplus(−z) = min(z, 0) − log(1 + e^−|z|).
"""

from sympy import Abs, Min, evaluate, exp, log

from gradbook import Derivation, sigmoid, softplus

d = Derivation("log_sigmoid_as_softplus", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(log(sigmoid(z)))
    d.step(-softplus(-z), "log 1/(1 + e⁻ᶻ) = −log(1 + e⁻ᶻ)")
    d.step(Min(z, 0) - log(1 + exp(-Abs(z))), "the stable form of softplus")
