"""The log loss on a logit, without overflow.

The binary cross-entropy of a sigmoid unit, −y log σ(z) − (1 − y) log(1 − σ(z)), is usually
computed from the probability σ(z). For a confident wrong prediction (z = 800, y = 0) that
probability rounds to 1 and the loss comes out infinite, although its true value is 800.
Written with softplus, the loss is y·softplus(−z) + (1 − y)·softplus(z): two non-negative terms,
no cancellation and no overflow for any finite z.
"""

from sympy import log

from gradbook import Derivation, binary_cross_entropy, domains, sigmoid, softplus

d = Derivation("log_loss", __doc__, uses=["stable_sigmoid"], source=__file__)
z = d.real("z", "the logit")
y = d.scalar("y", domains.SOFT_LABEL, "the label, 0 or 1 (or a soft label in between)")

with d.chain("The loss on the logit"):
    d.start(binary_cross_entropy(y, sigmoid(z)))
    d.step(
        -y * log(sigmoid(z)) - (1 - y) * log(1 - sigmoid(z)),
        "the definition BCE(y, ŷ) = −y log ŷ − (1 − y) log(1 − ŷ), with ŷ = σ(z)",
    )
    d.step(-y * log(sigmoid(z)) - (1 - y) * log(sigmoid(-z)), "1 − σ(z) = σ(−z)")
    d.step(y * softplus(-z) + (1 - y) * softplus(z), "−log σ(u) = log(1 + e⁻ᵘ) = softplus(−u)")
d.result("log_loss_with_logits")
d.implement(
    "log_loss_logit", (y, z),
    "The binary cross-entropy −y log σ(z) − (1 − y) log(1 − σ(z)), elementwise, from logits.",
)

if __name__ == "__main__":
    d.main()
