"""The log loss of σ(z) written on the logit, without overflow or cancellation.

−y log σ(z) − (1 − y) log(1 − σ(z)) = max(z, 0) − zy + log(1 + e^−|z|); for large z the left
side computes 1 − σ(z) by cancellation.
"""

from sympy import Abs, Max, evaluate, exp, log

from gradbook import Derivation, domains, sigmoid

d = Derivation("log_loss_on_logits", __doc__)
z = d.real("z")
y = d.scalar("y", domains.SOFT_LABEL)

with evaluate(False):
    d.start(-y * log(sigmoid(z)) - (1 - y) * log(1 - sigmoid(z)))
    d.step(Max(z, 0) - z * y + log(1 + exp(-Abs(z))), "log σ(z) and log(1 − σ(z)) in the stable form")
