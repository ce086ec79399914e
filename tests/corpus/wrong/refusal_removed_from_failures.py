"""A wrong step whose exception is caught, after which the derivation's failure list is cleared:
the loader keeps its own record of every refusal.
"""

from sympy import Derivative, evaluate

from gradbook import Derivation, sigmoid
from gradbook.errors import GradbookError

WRONG_STEP = 4

d = Derivation("failures_cleared", __doc__)
z = d.real("z")
with evaluate(False):
    d.start(sigmoid(z))
    d.step(sigmoid(z), "nothing")
try:
    with evaluate(False):
        d.start(Derivative(sigmoid(z), z))
        d.step(sigmoid(z) * (1 + sigmoid(z)), "σ′ = σ(1 + σ)")
except GradbookError:
    d.failures.clear()
