"""σ′ = σ(1 + σ), true only because the script redefines gradbook's σ′ rule first.
"""

from sympy import Derivative, evaluate

import gradbook.notation
from gradbook import Derivation, sigmoid

gradbook.notation.sigmoid.fdiff = lambda self, argindex=1: self * (1 + self)

WRONG_STEP = 2

d = Derivation("sigmoid_prime_plus", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Derivative(sigmoid(z), z))
    d.step(sigmoid(z) * (1 + sigmoid(z)), "σ′ = σ(1 + σ)")
