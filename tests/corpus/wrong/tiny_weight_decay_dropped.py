"""A weight-decay term w²/10⁵⁰ dropped from a loss.
"""

from sympy import evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("dropped_tiny_weight_decay", __doc__)
w = d.real("w", "a weight")
x = d.real("x", "an input")
y = d.real("y", "a target")

with evaluate(False):
    d.start((w * x - y) ** 2 + w**2 / 10**50)
    d.step((w * x - y) ** 2, "the decay term is negligible")
