"""σ(z) multiplied by 1 + 10⁻⁵⁰.

A relative change of 10⁻⁵⁰ is a change: the numbers are exact.
"""

from sympy import Rational, evaluate

from gradbook import Derivation, sigmoid

WRONG_STEP = 2

d = Derivation("sigmoid_times_almost_one", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(sigmoid(z))
    d.step(sigmoid(z) * (1 + Rational(1, 10**50)), "1 + 10⁻⁵⁰ is one")
