"""σ(z) = e^min(z, 0)/(1 + e^−|z|), the form with no positive exponent.
"""

from sympy import Abs, Min, evaluate, exp

from gradbook import Derivation, sigmoid

d = Derivation("sigmoid_without_positive_exponent", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(sigmoid(z))
    d.step(exp(Min(z, 0)) / (1 + exp(-Abs(z))), "multiply above and below by e^min(z, 0)")
