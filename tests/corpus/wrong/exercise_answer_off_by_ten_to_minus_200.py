"""A spot-the-mistake exercise whose answer chain has a step wrong by the factor 1 + 10⁻²⁰⁰z².

The shown mistake (1 − e⁻ᶻ) is refused as it must be; the answer's own wrong step passes.
"""

from sympy import Derivative, exp

from gradbook import Derivation, sigmoid

WRONG_STEP = 3

d = Derivation("exercise_tiny_relative_wrong", __doc__)
z = d.real("z")

with d.exercise("Find σ′(z). Which line is wrong?"):
    d.start(Derivative(sigmoid(z), z))
    d.step(Derivative(1 / (1 + exp(-z)), z), "the definition of σ",
           wrong=Derivative(1 / (1 - exp(-z)), z))
    d.step(exp(-z) / (1 + exp(-z)) ** 2 * (1 + z**2 / 10**200), "the quotient rule")
