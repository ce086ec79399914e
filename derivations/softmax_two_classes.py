"""Softmax with two classes is the sigmoid of the score difference.

A classifier with K classes turns its scores z₁, …, z_K into probabilities with the softmax
exp(zₖ)/Σⱼ exp(zⱼ). With two classes nothing new happens: the first probability is
σ(z₁ − z₂), the sigmoid of how far the first score is ahead of the second. So logistic
regression is the two-class softmax with one score pinned to 0, and only the difference of the
two scores can be learned.
"""

from sympy import exp

from gradbook import Derivation, sigmoid

d = Derivation("softmax_two_classes", __doc__, uses=["sigmoid_prime"], source=__file__)
z_1 = d.real("z_1", "the score of the first class")
z_2 = d.real("z_2", "the score of the second class")
c = d.real("c", "a number added to both scores")


def softmax_two(numerator, first, second):
    """The two-class softmax probability exp(numerator)/(exp(first) + exp(second))."""
    return exp(numerator) / (exp(first) + exp(second))


with d.chain("The probability of the first class"):
    d.start(softmax_two(z_1, z_1, z_2))
    d.step(
        1 / (exp(z_1) / exp(z_1) + exp(z_2) / exp(z_1)),
        "divide the numerator and the denominator by exp(z₁) > 0",
    )
    d.step(1 / (1 + exp(z_2 - z_1)), "eᵃ/eᵃ = 1 and eᵇ/eᵃ = eᵇ⁻ᵃ")
    d.step(1 / (1 + exp(-(z_1 - z_2))), "z₂ − z₁ = −(z₁ − z₂)")
    d.step(sigmoid(z_1 - z_2), "the definition σ(t) = 1/(1 + e⁻ᵗ) with t = z₁ − z₂")
d.result("softmax_two_classes_first", arguments=(z_1, z_2))

with d.chain("The probability of the second class"):
    d.start(softmax_two(z_2, z_1, z_2))
    d.step(sigmoid(z_2 - z_1), "the same steps, dividing by exp(z₂) instead")
    d.step(1 - sigmoid(z_1 - z_2), "σ(−t) = 1 − σ(t): the two probabilities add up to one")

with d.chain("Adding the same number to both scores"):
    d.start(softmax_two(z_1 + c, z_1 + c, z_2 + c))
    d.step(sigmoid((z_1 + c) - (z_2 + c)), "the first chain, with the scores z₁ + c and z₂ + c")
    d.step(sigmoid(z_1 - z_2), "c cancels in the difference")

d.note(
    "Only z₁ − z₂ matters, so one score can be fixed at 0 without losing anything: with z₂ = 0 "
    "the first probability is σ(z₁), the prediction of logistic regression."
)
d.note(
    "The same holds for any number of "
    "classes: softmax is unchanged when one number is added to every score, which is why "
    "implementations subtract the largest score before exponentiating."
)

if __name__ == "__main__":
    d.main()
