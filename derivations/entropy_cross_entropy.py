r"""Entropy, cross-entropy, and the cross-entropy of a one-hot label.

The entropy \(H(p) = -\sum_c p_c \ln p_c\) of a distribution over K classes is the average
surprise \(-\ln p_c\) of an outcome drawn from p. The cross-entropy
\(H(y, p) = -\sum_c y_c \ln p_c\) averages the surprise under the model's p over outcomes drawn
from y instead: it is the multi-class loss. With a one-hot label (the true class c gets
\(y_c = 1\), the others 0) only one term is left, \(-\ln p_c\), minus the logarithm of the
probability the model gives the true class; with two classes it is the binary cross-entropy.
"""

import itertools
import math

import numpy as np
from sympy import Derivative, KroneckerDelta, Sum, log

from gradbook import Derivation, binary_cross_entropy, domains, numbers
from gradbook.examples import WorkedExample, WorkedValue

d = Derivation("entropy_cross_entropy", __doc__, uses=["maximum_likelihood"], source=__file__)
K = d.size("K", checked_at=(1, 2, 3, 4), meaning="the number of classes")
k = d.index("c'", K, "a class, summed over")
c = d.index("c", K, "the true class")
p = d.vector("p", K, domains.SIMPLEX, "the predicted probabilities of the classes")
y = d.vector("y", K, domains.ONE_HOT, "the one-hot label")
y_1 = d.scalar("y_1", domains.SOFT_LABEL, "with two classes: the label of the first class")
p_1 = d.scalar("p_1", domains.PROBABILITY, "with two classes: the probability of the first class")
y_2 = d.define("y_2", 1 - y_1, "with two classes: the label of the second class")
p_2 = d.define("p_2", 1 - p_1, "with two classes: the probability of the second class")
q = d.scalar("q", domains.PROBABILITY, "in the exercises: a soft label of the first class, strictly "
             "between 0 and 1 (0.9 in label smoothing)")

with d.chain("Entropy is the average surprise"):
    d.start(-Sum(p[k] * log(p[k]), (k, 1, K)))
    d.step(Sum(p[k] * log(1 / p[k]), (k, 1, K)), r"take the minus sign into the sum: \(-\ln a = \ln(1/a)\)")

with d.chain("The entropy of K equally likely classes"):
    d.start(-Sum((1 / K) * log(1 / K), (k, 1, K)))
    d.step(Sum((1 / K) * log(K), (k, 1, K)), r"take the minus sign into the sum: \(-\ln(1/K) = \ln K\)")
    d.step(log(K), r"the K terms of the sum are equal, and \(K \cdot \frac{1}{K} = 1\)")

with d.chain("Cross-entropy with a one-hot label"):
    d.start(-Sum(y[k] * log(p[k]), (k, 1, K)))
    d.step(
        -log(Sum(y[k] * p[k], (k, 1, K))),
        r"y is one-hot: each sum has a single non-zero term, the one where \(y_{c'} = 1\)",
    )

with d.chain("The one-hot label of class c"):
    d.start(-Sum(KroneckerDelta(k, c) * log(p[k]), (k, 1, K)))
    d.step(-log(p[c]), r"\(\delta_{c'c}\) is 1 only for \(c' = c\): one term of the sum is left")
d.result("one_hot_cross_entropy")

with d.chain("Two classes: the binary cross-entropy"):
    d.start(-(y_1 * log(p_1) + y_2 * log(p_2)))
    d.step(
        -(y_1 * log(p_1) + (1 - y_1) * log(1 - p_1)),
        r"\(y_2 = 1 - y_1\) and \(p_2 = 1 - p_1\): labels and probabilities each add up to one",
    )
    d.step(-y_1 * log(p_1) - (1 - y_1) * log(1 - p_1), "take the minus sign into the bracket")
    d.step(
        binary_cross_entropy(y_1, p_1),
        r"the binary cross-entropy "
        r"\(\operatorname{BCE}(y, \hat{y}) = -y \ln \hat{y} - (1 - y) \ln(1 - \hat{y})\), "
        r"with \(y = y_1\) and \(\hat{y} = p_1\)",
    )
d.result("two_class_cross_entropy")

d.note(
    "The last chain ends in BCE(y₁, p₁): the "
    "binary cross-entropy is the multi-class one with K = 2, where the second class carries "
    "the complementary label and probability. It is checked for soft labels y₁ ∈ [0, 1], which "
    "include the one-hot case y₁ ∈ {0, 1}."
)
d.note(
    r"The uniform distribution has the largest entropy, \(\ln K\): no outcome is less surprising "
    r"than any other. A one-hot distribution has entropy 0 (with \(0 \ln 0 = 0\), the limit of "
    r"\(p \ln p\) as \(p \to 0\)), so the cross-entropy \(-\ln p_c\) of a one-hot label measures only the "
    r"mismatch between label and model, and it is 0 only when \(p_c = 1\)."
)

with d.exercise(
    "The entropy of two classes with probabilities p₁ and 1 − p₁ is "
    "H = −p₁ ln p₁ − (1 − p₁) ln(1 − p₁). Find dH/dp₁, and use its sign to show that H is "
    "largest at p₁ = 1/2, where it is ln 2."
):
    d.start(Derivative(-p_1 * log(p_1) - (1 - p_1) * log(1 - p_1), p_1))
    d.step(
        -(log(p_1) + 1) + (log(1 - p_1) + 1),
        "the product rule: (u ln u)′ = u′ ln u + u′, with u = p₁, then u = 1 − p₁ and u′ = −1",
    )
    d.step(log(1 - p_1) - log(p_1), "the two 1s cancel")
    d.step(
        log((1 - p_1) / p_1),
        "ln a − ln b = ln(a/b): positive for p₁ < 1/2, zero at 1/2, negative above",
    )

with d.exercise(
    "Label smoothing trains on a soft label q, such as 0.9, instead of 1. Show that the "
    "cross-entropy of the soft label, −q ln p₁ − (1 − q) ln(1 − p₁), is the label's own entropy "
    "−q ln q − (1 − q) ln(1 − q) plus q ln(q/p₁) + (1 − q) ln((1 − q)/(1 − p₁)). The second "
    "part (the Kullback–Leibler divergence) is zero only at p₁ = q: with a soft label the loss "
    "is smallest at p₁ = q, and its minimum is not 0 but the entropy of q."
):
    d.start(-q * log(p_1) - (1 - q) * log(1 - p_1))
    d.step(
        (-q * log(q) - (1 - q) * log(1 - q))
        + (q * log(q) - q * log(p_1) + (1 - q) * log(1 - q) - (1 - q) * log(1 - p_1)),
        "add and subtract q ln q + (1 − q) ln(1 − q)",
    )
    d.step(
        (-q * log(q) - (1 - q) * log(1 - q))
        + (q * (log(q) - log(p_1)) + (1 - q) * (log(1 - q) - log(1 - p_1))),
        "factor q out of the third and fourth terms, and 1 − q out of the last two",
    )
    d.step(
        (-q * log(q) - (1 - q) * log(1 - q))
        + (q * log(q / p_1) + (1 - q) * log((1 - q) / (1 - p_1))),
        "ln a − ln b = ln(a/b)",
    )

gift_1, gift_2, gift_3 = numbers(0.8, 0.7, 0.1)
with d.exercise(
    "Spot the mistake. Three doors hide a gift with probabilities 0.8, 0.7 and 0.1, and the "
    "gifts turn out to be behind the first two doors only: the outcome is y = (1, 1, 0). A "
    "student computes the cross-entropy −Σᵢ [yᵢ ln pᵢ + (1 − yᵢ) ln(1 − pᵢ)] of this outcome "
    "as below. Which line is wrong? Hint: the cross-entropy of an outcome is minus the logarithm of "
    "its probability."
):
    d.start(-((log(gift_1) + log(gift_2)) + log(1 - gift_3)))
    d.step(
        -log(gift_1) - log(gift_2) - log(1 - gift_3),
        "take the minus sign into the bracket",
        wrong=-log(gift_1) - log(gift_2) + log(1 - gift_3),
    )
    d.step(-log(gift_1 * gift_2 * (1 - gift_3)), "ln a + ln b = ln(ab), twice")

# -- the page -------------------------------------------------------------------------------

page = d.page(part=1, section="Error functions and probabilities", order=2, documents=["log_loss"])

#: The notes' three doors: the probability of a gift behind each, and the likeliest outcome
#: (gift, gift, no gift) with its probability and cross-entropy as the notes print them.
DOOR_GIFT_PROBABILITIES = (0.8, 0.7, 0.1)
LIKELIEST_OUTCOME, LIKELIEST_PROBABILITY, LIKELIEST_CROSS_ENTROPY = (1, 1, 0), "0.504", "0.69"


def outcome_probability(outcome, gift_probabilities):
    """The probability of one outcome (1 = gift) when each door has a gift with its probability."""
    return math.prod([q if gift else 1 - q for gift, q in zip(outcome, gift_probabilities, strict=True)])


def outcome_cross_entropy(outcome, gift_probabilities):
    """The binary cross-entropy of each door, summed over the doors: H(y, p) of the outcome y."""
    from gradbook.functions import log_loss

    labels = np.asarray(outcome, dtype=float)
    return float(np.sum(log_loss(labels, np.asarray(gift_probabilities, dtype=float))))


def doors_table():
    """Every outcome of the three doors → (its probability, its cross-entropy)."""
    outcomes = itertools.product((1, 0), repeat=len(DOOR_GIFT_PROBABILITIES))
    return {
        outcome: (
            outcome_probability(outcome, DOOR_GIFT_PROBABILITIES),
            outcome_cross_entropy(outcome, DOOR_GIFT_PROBABILITIES),
        )
        for outcome in outcomes
    }


def outcome_text(outcome):
    return "(" + ", ".join(map(str, outcome)) + ")"


@page.examples
def examples():
    table = doors_table()
    likeliest, least = LIKELIEST_OUTCOME, min(table, key=lambda outcome: table[outcome][0])
    gifts = ", ".join(f"{q:g}" for q in DOOR_GIFT_PROBABILITIES)
    worked = WorkedExample(
        f"The notes' three doors hide a gift with probabilities \\(p = ({gifts})\\). An outcome "
        "\\(y\\) says which doors had one. The likeliest outcome, gifts behind the first two "
        "doors, has probability \\(0.8 \\times 0.7 \\times 0.9\\), and its cross-entropy is minus "
        "its logarithm, so likely outcomes have a small cross-entropy and unlikely ones a large "
        "one. The cross-entropy is computed with `gradbook.functions.log_loss`, one door at a "
        "time, and summed.",
        (
            WorkedValue(rf"P(y = {outcome_text(likeliest)})", table[likeliest][0], LIKELIEST_PROBABILITY),
            WorkedValue(rf"H\big({outcome_text(likeliest)}, p\big)", table[likeliest][1],
                        LIKELIEST_CROSS_ENTROPY),
            WorkedValue(rf"-\ln P(y = {outcome_text(likeliest)})", -math.log(table[likeliest][0])),
            WorkedValue(rf"P(y = {outcome_text(least)}),\ \text{{the least likely outcome}}",
                        table[least][0]),
            WorkedValue(rf"H\big({outcome_text(least)}, p\big)", table[least][1]),
            WorkedValue(r"\text{sum of } P \text{ over all 8 outcomes}",
                        math.fsum(probability for probability, _ce in table.values())),
        ),
    )
    return [worked]


if __name__ == "__main__":
    d.main()
