"""Gradient clipping to [−100, 100] presented as an identity.

g and max(min(g, 100), −100) differ for every |g| > 100.
"""

from sympy import Max, Min, evaluate

from gradbook import Derivation, domains

WRONG_STEP = 2

d = Derivation("clipped_gradient_value", __doc__)
theta = d.real("theta", "a parameter")
g = d.real("g", "its gradient")
eta = d.scalar("eta", domains.POSITIVE, "the step size")

with evaluate(False):
    d.start(theta - eta * g)
    d.step(theta - eta * Max(Min(g, 100), -100), "gradients stay within ±100")
