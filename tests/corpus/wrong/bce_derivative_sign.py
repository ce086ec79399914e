"""The derivative of the log loss by the prediction with a wrong sign on the second term.

d/dq [−y log q − (1 − y) log(1 − q)] = −y/q + (1 − y)/(1 − q); the step has −(1 − y)/(1 − q).
"""

from sympy import Derivative, evaluate, log

from gradbook import Derivation, domains

WRONG_STEP = 2

d = Derivation("log_loss_slope_wrong_sign", __doc__)
y = d.scalar("y", domains.LABEL)
q = d.scalar("q", domains.PROBABILITY)

with evaluate(False):
    d.start(Derivative(-y * log(q) - (1 - y) * log(1 - q), q))
    d.step(-y / q - (1 - y) / (1 - q), "(log u)′ = u′/u")
