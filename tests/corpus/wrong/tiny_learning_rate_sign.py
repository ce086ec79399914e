"""A gradient step with a tiny rate, its sign flipped.

θ − g/10⁴⁵ and θ + g/10⁴⁵ differ by 2g/10⁴⁵: small, but the update goes uphill.
"""

from sympy import evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("tiny_step_uphill", __doc__)
theta = d.real("theta", "a parameter")
g = d.real("g", "its gradient")

with evaluate(False):
    d.start(theta - g / 10**45)
    d.step(theta + g / 10**45, "the direction of a tiny step does not matter")
