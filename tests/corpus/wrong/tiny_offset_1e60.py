"""σ(z) + 10⁻⁶⁰ written for σ(z).

An offset of 10⁻⁶⁰ is not rounding: both sides are exact, and they differ.
"""

from sympy import Rational, evaluate

from gradbook import Derivation, sigmoid

WRONG_STEP = 2

d = Derivation("sigmoid_plus_tiny_offset", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(sigmoid(z))
    d.step(sigmoid(z) + Rational(1, 10**60), "a negligible constant")
