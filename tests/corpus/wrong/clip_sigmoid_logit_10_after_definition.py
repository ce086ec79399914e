"""Clipping the exponent to [−10, 10] in the written-out sigmoid.

The first step (the definition of σ) is right; the second clips −z to [−10, 10], which changes
σ(z) for every |z| > 10 by up to e⁻¹⁰ ≈ 4.5e−5.
"""

from sympy import Max, Min, evaluate, exp

from gradbook import Derivation, sigmoid

WRONG_STEP = 3

d = Derivation("clipped_logistic_function", __doc__)
t = d.real("t", "a logit")

with evaluate(False):
    d.start(sigmoid(t))
    d.step(1 / (1 + exp(-t)), "the definition of σ")
    d.step(1 / (1 + exp(-Max(Min(t, 10), -10))), "the exponent never leaves [−10, 10]")
