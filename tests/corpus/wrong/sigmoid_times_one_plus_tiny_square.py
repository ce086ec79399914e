"""σ(z) written with a non-constant relative error 10⁻²⁰⁰·z².

The difference σ(z)·z²·10⁻²⁰⁰ is not a constant, so no proof can reduce it to one, and it is
below every precision the points are evaluated at.
"""

from sympy import evaluate

from gradbook import Derivation, sigmoid

WRONG_STEP = 2

d = Derivation("tiny_nonconstant_sigmoid", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(sigmoid(z))
    d.step(sigmoid(z) * (1 + z**2 / 10**200), "1 + z²·10⁻²⁰⁰ is one")
