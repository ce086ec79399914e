"""t·(1 − σ(t − 10⁷)) written for t: wrong from about t = 10⁷ on, where t is never drawn.
"""

from sympy import evaluate

from gradbook import Derivation, domains, sigmoid

WRONG_STEP = 2

d = Derivation("soft_gate_large", __doc__)
t = d.scalar("t", domains.POSITIVE, "a positive rate")

with evaluate(False):
    d.start(t)
    d.step(t * (1 - sigmoid(t - 10**7)), "the gate is open for every t")
