"""Clipping the logit to [−30, 30] inside the sigmoid.

σ(min(max(z, −30), 30)) equals σ(z) only for |z| ≤ 30. Beyond, the two differ by about
e⁻³⁰ ≈ 1e−13: invisible at moderate z, wrong at z = 40.
"""

from sympy import Max, Min, evaluate

from gradbook import Derivation, sigmoid

WRONG_STEP = 2

d = Derivation("clip_sigmoid_logit_30", __doc__)
z = d.real("z", "a logit")

with evaluate(False):
    d.start(sigmoid(z))
    d.step(sigmoid(Min(Max(z, -30), 30)), "clipping the logit changes nothing")
