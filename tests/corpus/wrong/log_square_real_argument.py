"""log(x²) written as 2 log x for a real x.

The identity needs x > 0; for negative x the left side is real and the right side is not.
"""

from sympy import evaluate, log

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("log_square_outside_domain", __doc__)
x = d.real("x")

with evaluate(False):
    d.start(log(x**2))
    d.step(2 * log(x), "log xᵃ = a log x")
