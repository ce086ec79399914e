r"""Softmax with two classes is the sigmoid of the score difference.

A classifier with K classes turns its scores into probabilities with the softmax,
\(p_c = e^{z_c} / \sum_{c'} e^{z_{c'}}\). With two classes nothing new happens: the first probability is
σ(z₁ − z₂), the sigmoid of how far the first score is ahead of the second. So logistic
regression is the two-class softmax with one score pinned to 0, and only the difference of the
two scores can be learned.
"""

import numpy as np
from sympy import Derivative, exp, log

from gradbook import Derivation, sigmoid
from gradbook.examples import Public, WorkedExample, WorkedValue

d = Derivation("softmax_two_classes", __doc__, uses=["sigmoid_prime"], source=__file__)
z_1 = d.real("z_1", "the score of the first class")
z_2 = d.real("z_2", "the score of the second class")
s = d.real("s", "a shift: any number added to both scores")


def softmax_two(numerator, first, second):
    """The two-class softmax probability exp(numerator)/(exp(first) + exp(second))."""
    return exp(numerator) / (exp(first) + exp(second))


with d.chain("The probability of the first class"):
    d.start(softmax_two(z_1, z_1, z_2))
    d.step(
        1 / (exp(z_1) / exp(z_1) + exp(z_2) / exp(z_1)),
        "divide the numerator and the denominator by exp(z₁) > 0",
    )
    d.step(1 / (1 + exp(-(z_1 - z_2))), r"\(e^{z_1}/e^{z_1} = 1\) and \(e^{z_2}/e^{z_1} = e^{-(z_1 - z_2)}\)")
    d.step(sigmoid(z_1 - z_2), r"the definition \(\sigma(t) = 1/(1 + e^{-t})\) with \(t = z_1 - z_2\)")
d.result("softmax_two_classes_first", arguments=(z_1, z_2))

with d.chain("The probability of the second class"):
    d.start(softmax_two(z_2, z_1, z_2))
    d.step(sigmoid(z_2 - z_1), "the same steps, dividing by exp(z₂) instead")
    d.step(1 - sigmoid(z_1 - z_2), "σ(−t) = 1 − σ(t): the two probabilities add up to one")

with d.chain("Adding the same number to both scores"):
    d.start(softmax_two(z_1 + s, z_1 + s, z_2 + s))
    d.step(sigmoid((z_1 + s) - (z_2 + s)), "the first chain, with the scores z₁ + s and z₂ + s")
    d.step(sigmoid(z_1 - z_2), "s cancels in the difference")

d.note(
    "Only z₁ − z₂ matters, so one score can be fixed at 0 without losing anything: with z₂ = 0 "
    "the first probability is σ(z₁), the prediction of logistic regression."
)
d.note(
    "The same holds for any number of "
    "classes: softmax is unchanged when one number is added to every score, which is why "
    "implementations subtract the largest score before exponentiating."
)

with d.exercise(
    "Work out the probability of the second class, exp(z₂)/(exp(z₁) + exp(z₂)), from the second "
    "class's side, dividing by exp(z₂): show that it is σ(z₂ − z₁)."
):
    d.start(softmax_two(z_2, z_1, z_2))
    d.step(
        1 / (exp(z_1) / exp(z_2) + exp(z_2) / exp(z_2)),
        "divide the numerator and the denominator by exp(z₂) > 0",
    )
    d.step(1 / (exp(z_1 - z_2) + 1), "eᵃ/eᵇ = eᵃ⁻ᵇ and eᵇ/eᵇ = 1")
    d.step(1 / (1 + exp(-(z_2 - z_1))), "z₁ − z₂ = −(z₂ − z₁)")
    d.step(sigmoid(z_2 - z_1), "the definition σ(t) = 1/(1 + e⁻ᵗ) with t = z₂ − z₁")

with d.exercise(
    "When the first class is the true one, the loss is L = −ln p₁. Show that ∂L/∂z₁ = p₁ − 1, "
    "the softmax gradient p − y for the label y = (1, 0). (The same steps give "
    "∂L/∂z₂ = 1 − p₁, so the two components add up to zero.)"
):
    d.start(Derivative(-log(softmax_two(z_1, z_1, z_2)), z_1))
    d.step(Derivative(-log(sigmoid(z_1 - z_2)), z_1), "p₁ = σ(z₁ − z₂), the first chain")
    d.step(
        -(1 / sigmoid(z_1 - z_2)) * (sigmoid(z_1 - z_2) * (1 - sigmoid(z_1 - z_2))),
        "(ln u)′ = u′/u and σ′ = σ(1 − σ); the inner derivative ∂(z₁ − z₂)/∂z₁ is 1",
    )
    d.step(sigmoid(z_1 - z_2) - 1, "cancel σ(z₁ − z₂) and take the minus sign into the bracket")
    d.step(softmax_two(z_1, z_1, z_2) - 1, "σ(z₁ − z₂) = p₁, the first chain read backwards")

# -- the page -------------------------------------------------------------------------------

page = d.page(part=2, section="The sigmoid", order=3)

#: The notes' scores of three classes A, B, C, and their softmax as the notes print it.
NOTES_SCORES, NOTES_SOFTMAX = (2.0, 1.0, 0.0), "(0.67, 0.24, 0.09)"
#: The notes' line 4x₁ + 5x₂ − 9 = 0 and two points on it.
NOTES_LINE_WEIGHTS, NOTES_LINE_BIAS = (4.0, 5.0), -9.0
NOTES_LINE_POINTS = ((1.0, 1.0), (-4.0, 5.0))


@page.examples
def examples():
    softmax, sigmoid = Public("softmax"), Public("sigmoid")
    scores = np.array(NOTES_LINE_POINTS) @ np.array(NOTES_LINE_WEIGHTS) + NOTES_LINE_BIAS
    two = np.column_stack([scores, np.zeros_like(scores)])
    worked = WorkedExample(
        "The notes' three scores \\((2, 1, 0)\\) for the classes A, B, C, then only A and B: with "
        "two classes the softmax is \\(\\sigma\\) of the score difference. Last, the notes' line "
        "\\(4x_1 + 5x_2 - 9\\) as the score of a class whose rival scores 0: at the points "
        "\\((1, 1)\\) and \\((-4, 5)\\) the score is 0 and both classes get one half.",
        (
            WorkedValue(r"\operatorname{softmax}(2, 1, 0)", softmax(np.array(NOTES_SCORES)), NOTES_SOFTMAX),
            WorkedValue(r"\operatorname{softmax}(2, 1)", softmax(np.array([2.0, 1.0]))),
            WorkedValue(r"(\sigma(2 - 1), \sigma(1 - 2))", sigmoid(np.array([1.0, -1.0]))),
            WorkedValue(r"4x_1 + 5x_2 - 9\ \text{at}\ (1, 1), (-4, 5)", scores, "(0, 0)"),
            WorkedValue(r"\sigma(4x_1 + 5x_2 - 9)\ \text{at both points}", sigmoid(scores), "(0.5, 0.5)"),
            WorkedValue(r"\operatorname{softmax}(4x_1 + 5x_2 - 9, 0)_1\ \text{at both points}",
                        softmax(two)[:, 0]),
        ),
    )
    return [worked]


if __name__ == "__main__":
    d.main()
