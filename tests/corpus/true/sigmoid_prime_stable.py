"""σ(z)(1 − σ(z)) = e^−|z|/(1 + e^−|z|)².

For large z, 1 − σ(z) cancels almost every digit of σ(z); the step is exact.
"""

from sympy import Abs, evaluate, exp

from gradbook import Derivation, sigmoid

d = Derivation("sigmoid_slope_for_large_logits", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(sigmoid(z) * (1 - sigmoid(z)))
    d.step(exp(-Abs(z)) / (1 + exp(-Abs(z))) ** 2, "σ′ is even; write it with −|z|")
