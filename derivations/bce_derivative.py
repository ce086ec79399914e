"""The derivative of the binary cross-entropy.

The binary cross-entropy E(ŷ) = −y ln ŷ − (1 − y) ln(1 − ŷ) scores a predicted probability ŷ
against a label y. Its slope in ŷ is (ŷ − y)/(ŷ(1 − ŷ)): negative while ŷ is below the label,
positive above it, zero exactly at ŷ = y, so following it downhill moves the prediction towards
the label. Composed with ŷ = σ(z), the factor ŷ(1 − ŷ) = σ′(z) cancels and the slope on the
logit is just ŷ − y.
"""

from sympy import Derivative, log

from gradbook import Derivation, binary_cross_entropy, domains, sigmoid
from gradbook.examples import CheckInput, Formula, GradientCheck, Public, WorkedExample, WorkedValue

d = Derivation("bce_derivative", __doc__, uses=["sigmoid_prime"], source=__file__)
y = d.scalar("y", domains.SOFT_LABEL, "the label: 0 or 1, or a soft label in between")
yhat = d.scalar("yhat", domains.PROBABILITY, "the predicted probability that y = 1")
z = d.real("z", "the logit, with ŷ = σ(z)")


def bce(prediction):
    return -y * log(prediction) - (1 - y) * log(1 - prediction)


def slope(prediction):
    """The result of the first chain, at any prediction."""
    return (prediction - y) / (prediction * (1 - prediction))


with d.chain("The slope in the predicted probability"):
    d.start(Derivative(binary_cross_entropy(y, yhat), yhat))
    d.step(Derivative(bce(yhat), yhat), "the definition BCE(y, ŷ) = −y ln ŷ − (1 − y) ln(1 − ŷ)")
    d.step(
        -y * Derivative(log(yhat), yhat) - (1 - y) * Derivative(log(1 - yhat), yhat),
        "the derivative of a sum is the sum of the derivatives; y is a constant",
    )
    d.step(
        -y * (1 / yhat) - (1 - y) * (-1 / (1 - yhat)),
        "(ln u)′ = u′/u, with (1 − ŷ)′ = −1",
    )
    d.step(-y / yhat + (1 - y) / (1 - yhat), "the two minus signs of the second term cancel")
    d.step(
        (-y * (1 - yhat) + (1 - y) * yhat) / (yhat * (1 - yhat)),
        "a common denominator ŷ(1 − ŷ)",
    )
    d.step(slope(yhat), "multiply out the numerator: −y + yŷ + ŷ − yŷ = ŷ − y")
d.result("bce_derivative_probability", arguments=(yhat, y))

with d.chain("The slope on the logit, ŷ = σ(z)"):
    d.start(Derivative(binary_cross_entropy(y, sigmoid(z)), z))
    d.step(
        slope(sigmoid(z)) * Derivative(sigmoid(z), z),
        "the chain rule, with the slope in ŷ from the first chain at ŷ = σ(z)",
    )
    d.step(slope(sigmoid(z)) * (sigmoid(z) * (1 - sigmoid(z))), "σ′ = σ(1 − σ)")
    d.step(sigmoid(z) - y, "σ(z)(1 − σ(z)) cancels")
d.result("bce_derivative_logit", arguments=(z, y))

d.note(
    "The sign matters. Writing the slope in ŷ as y/ŷ + (1 − y)/(1 − ŷ), with a plus between "
    "the terms, gives a number that is positive for every ŷ: the loss would seem to grow "
    "whatever the label, and gradient descent would push every prediction to 0. The correct "
    "slope −y/ŷ + (1 − y)/(1 − ŷ) changes sign at ŷ = y, where the loss has its minimum."
)
d.note(
    "Near ŷ = 0 or ŷ = 1 the slope in ŷ is huge (it divides by ŷ(1 − ŷ)), yet the slope on the "
    "logit, ŷ − y, stays between −1 and 1. That is one reason to compute the loss and its "
    "gradient from the logit z rather than from the probability ŷ."
)

with d.exercise(
    "Spot the mistake. A student differentiates one point's error E = −y ln ŷ − (1 − y) ln(1 − ŷ) "
    "with respect to the prediction ŷ and writes the lines below. Which line is wrong, and what "
    "should it say? Hint: for a point labelled y = 1, should the slope be positive or negative "
    "when ŷ is below 1?"
):
    d.start(Derivative(bce(yhat), yhat))
    d.step(
        -(y * (1 / yhat) + (1 - y) * (-1 / (1 - yhat))),
        "(ln u)′ = u′/u for each logarithm, with (1 − ŷ)′ = −1",
    )
    d.step(
        -y / yhat + (1 - y) / (1 - yhat),
        "take the minus sign into the bracket",
        wrong=y / yhat + (1 - y) / (1 - yhat),
    )
    d.step(
        (-y * (1 - yhat) + (1 - y) * yhat) / (yhat * (1 - yhat)),
        "a common denominator ŷ(1 − ŷ)",
    )
    d.step(slope(yhat), "multiply out the numerator: the terms in yŷ cancel")

with d.exercise(
    "Show that the derivative of ln(1 − σ(z)) is −σ(z). (With (ln σ(z))′ = 1 − σ(z), this gives "
    "the slope of E on the logit without going through ŷ.)"
):
    d.start(Derivative(log(1 - sigmoid(z)), z))
    d.step(
        (1 / (1 - sigmoid(z))) * (-Derivative(sigmoid(z), z)),
        "(ln u)′ = u′/u with u = 1 − σ(z), so u′ = −σ′(z)",
    )
    d.step((1 / (1 - sigmoid(z))) * (-(sigmoid(z) * (1 - sigmoid(z)))), "σ′ = σ(1 − σ)")
    d.step(-sigmoid(z), "cancel 1 − σ(z), which is never 0")

with d.exercise(
    "The slope of E on the logit is σ(z) − y. Differentiate once more: what is ∂²E/∂z², and why "
    "does it show that E is a convex function of z, whatever the label?"
):
    d.start(Derivative(binary_cross_entropy(y, sigmoid(z)), (z, 2)))
    d.step(Derivative(sigmoid(z) - y, z), "the first derivative, σ(z) − y, from the second chain")
    d.step(
        sigmoid(z) * (1 - sigmoid(z)),
        "y does not depend on z, and σ′ = σ(1 − σ): a product of two numbers in (0, 1)",
    )

# -- the page -------------------------------------------------------------------------------

page = d.page(part=3, section="Gradients", order=1)
page.show_figure("log-loss.svg")


def slope_in_probability(y, y_hat):
    return (y_hat - y) / (y_hat * (1 - y_hat))


def slope_on_logit(y, z):
    return float(Public("sigmoid")(z)) - y


@page.examples
def examples():
    y_hat = float(Public("sigmoid")(0.4))
    worked = WorkedExample(
        "The notes' \\(\\sigma(0.4)\\) as the prediction for a point labelled 1. The slope in "
        "\\(\\hat{y}\\) is negative, so a step downhill raises the prediction towards the label; "
        "on the logit the slope is just \\(\\hat{y} - y\\). The last row is the notes' slip "
        "(see [Mistakes the checker catches](../generated/mistakes.md)): with a plus sign the "
        "slope would be positive and push the prediction away from the label.",
        (
            WorkedValue(r"\hat{y} = \sigma(0.4)", y_hat, "0.5986"),  # as the notes print it
            WorkedValue(r"\frac{\hat{y} - y}{\hat{y}(1 - \hat{y})},\ y = 1",
                        slope_in_probability(1.0, y_hat)),
            WorkedValue(r"\hat{y} - y,\ y = 1", slope_on_logit(1.0, 0.4)),
            WorkedValue(r"\frac{y}{\hat{y}} + \frac{1 - y}{1 - \hat{y}},\ y = 1\ \text{(the notes)}",
                        1.0 / y_hat),
        ),
    )
    probability = GradientCheck(
        Formula("(y_hat - y) / (y_hat * (1 - y_hat))", slope_in_probability),
        Public("log_loss"), r"\texttt{log\_loss}(y, \hat{y})", ("y_hat",),
        tuple(CheckInput({"y": y, "y_hat": p}) for y, p in
              ((1.0, y_hat), (0.0, 0.2), (1.0, 0.05), (0.3, 0.9), (0.5, 0.7))),
    )
    logit = GradientCheck(
        Formula("sigmoid(z) - y", slope_on_logit),
        Public("log_loss_with_logits"), r"\texttt{log\_loss\_with\_logits}(y, z)", ("z",),
        tuple(CheckInput({"y": y, "z": z}) for y, z in
              ((1.0, 0.4), (0.0, 0.4), (1.0, -6.0), (0.0, 30.0), (0.3, 2.0))),
    )
    return [worked, probability, logit]


if __name__ == "__main__":
    d.main()
