"""Why cross-entropy beats squared error for a sigmoid output.

A sigmoid unit ŷ = σ(z) can be trained on the cross-entropy E_CE = BCE(y, ŷ) or on the squared
error E_SE = ½(ŷ − y)². Their gradients on the logit are ∂E_CE/∂z = ŷ − y and
∂E_SE/∂z = (ŷ − y)·ŷ(1 − ŷ): they point the same way, but the squared error's is smaller by the
factor σ′(z) = ŷ(1 − ŷ) ≤ 1/4, which vanishes when the unit is confidently wrong. A point
labelled 1 with z = −6 gets a cross-entropy gradient of almost −1 and a squared-error gradient
of −0.0025: with the squared error, gradient descent barely moves the worst mistakes.
"""

import math

import numpy as np
from sympy import Derivative, Rational, S

from gradbook import Derivation, binary_cross_entropy, domains, sigmoid
from gradbook.examples import CheckInput, Formula, GradientCheck, Public, WorkedExample, WorkedValue

d = Derivation(
    "cross_entropy_vs_squared_error", __doc__, uses=["unit_error_gradient", "sigmoid_prime"], source=__file__
)
z = d.real("z", "the logit of the unit")
y = d.scalar("y", domains.LABEL, "the label")
yhat = d.define("yhat", sigmoid(z), "the prediction of the sigmoid unit")


def squared_error_gradient():
    """(ŷ − y)·ŷ(1 − ŷ), the result of the second chain."""
    return (yhat - y) * yhat * (1 - yhat)


with d.chain("The cross-entropy's gradient on the logit"):
    d.start(Derivative(binary_cross_entropy(y, yhat), z))
    d.step(
        -(y / yhat - (1 - y) / (1 - yhat)) * Derivative(yhat, z),
        "the chain rule ∂E/∂z = ∂E/∂ŷ · ∂ŷ/∂z, with ∂BCE/∂ŷ = −(y/ŷ − (1 − y)/(1 − ŷ)) from "
        "(ln u)′ = u′/u",
    )
    d.step(
        -(y / yhat - (1 - y) / (1 - yhat)) * (yhat * (1 - yhat)),
        "∂ŷ/∂z = σ′(z) = ŷ(1 − ŷ), from the sigmoid's derivative",
    )
    d.step(-(y * (1 - yhat) - (1 - y) * yhat), "cancel ŷ and 1 − ŷ")
    d.step(yhat - y, "multiply out: y(1 − ŷ) − (1 − y)ŷ = y − ŷ")
d.result("cross_entropy_logit_grad", arguments=(z, y))

with d.chain("The squared error's gradient on the logit"):
    d.start(Derivative(Rational(1, 2) * (yhat - y) ** 2, z))
    d.step(Rational(1, 2) * (2 * (yhat - y)) * Derivative(yhat, z), "the chain rule, with (u²)′ = 2uu′")
    d.step((yhat - y) * Derivative(yhat, z), "½ · 2 = 1")
    d.step(squared_error_gradient(), "∂ŷ/∂z = σ′(z) = ŷ(1 − ŷ), from the sigmoid's derivative")
d.result("squared_error_logit_grad", arguments=(z, y))

with d.chain("The ratio of the two gradients is σ′(z)"):
    d.start((yhat - y) * yhat * (1 - yhat) / (yhat - y))
    d.step(
        yhat * (1 - yhat),
        "cancel ŷ − y, which is never 0: ŷ lies strictly between 0 and 1 and y is 0 or 1",
    )
    d.step(sigmoid(z) * sigmoid(-z), "ŷ = σ(z) and 1 − σ(z) = σ(−z)")

with d.chain("For a point labelled 1: the cross-entropy's gradient"):
    d.start(sigmoid(z) - 1)
    d.step(-(1 - sigmoid(z)), "take out the minus sign")
    d.step(-sigmoid(-z), "1 − σ(z) = σ(−z)")

with d.chain("For a point labelled 1: the squared error's gradient"):
    d.start((sigmoid(z) - 1) * sigmoid(z) * (1 - sigmoid(z)))
    d.step(-(1 - sigmoid(z)) * sigmoid(z) * (1 - sigmoid(z)), "take out the minus sign")
    d.step(-sigmoid(z) * sigmoid(-z) ** 2, "1 − σ(z) = σ(−z), twice")

with d.chain("σ′(z) is at most 1/4"):
    d.start(Rational(1, 4) - yhat * (1 - yhat))
    d.step(Rational(1, 4) - yhat + yhat**2, "multiply out")
    d.step((yhat - Rational(1, 2)) ** 2, "complete the square: a square is never negative")

d.note(
    "The two gradients always have the same sign, since σ′(z) > 0: both losses push ŷ towards "
    "y. They differ in size. The squared error's gradient is the cross-entropy's times "
    "σ′(z) = ŷ(1 − ŷ), which is at most 1/4 (at ŷ = 1/2, by the last chain) and close to 0 "
    "whenever ŷ is close to 0 or 1: when the unit is confidently right, where a small "
    "gradient is welcome, but also when it is confidently wrong, where a large one is needed."
)
d.note(
    "Take a point labelled y = 1 that the unit scores far on the wrong side, z → −∞. Then "
    "σ(−z) → 1, so the cross-entropy's gradient −σ(−z) tends to −1, its largest size: the "
    "worse the mistake, the harder it is corrected. The squared error's gradient "
    "−σ(z)σ(−z)² has a size below σ(z) < eᶻ and tends to 0: the worse "
    "the mistake, the less it is corrected. A unit that starts out confidently wrong on many "
    "points then learns very slowly, with a loss that stays on a plateau for many steps."
)
d.note(
    "The factor that cancels is the sigmoid's own derivative. The cross-entropy's slope in ŷ, "
    "(ŷ − y)/(ŷ(1 − ŷ)), grows as ŷ approaches the wrong end and exactly makes up for the "
    "flat sigmoid there; the squared error's slope in ŷ, ŷ − y, does not. For an output "
    "without a squashing function, as in linear regression, there is no σ′ to cancel, and "
    "the squared error's gradient is the residual itself."
)

with d.exercise(
    r"For a point labelled \(y = 0\) the squared error is \(E_{SE} = \tfrac12 \sigma(z)^2\). "
    r"Differentiate it by \(z\) and show that \(\partial E_{SE}/\partial z = \sigma(z)^2 \sigma(-z)\). "
    r"What happens to this gradient when the unit is confidently wrong, \(z \to +\infty\)?"
):
    d.start(Derivative(Rational(1, 2) * sigmoid(z) ** 2, z))
    d.step(sigmoid(z) * Derivative(sigmoid(z), z), r"the chain rule, with \((u^2)' = 2uu'\); ½ · 2 = 1")
    d.step(sigmoid(z) * (sigmoid(z) * (1 - sigmoid(z))), "σ′ = σ(1 − σ)")
    d.step(
        sigmoid(z) ** 2 * sigmoid(-z),
        r"\(1 - \sigma(z) = \sigma(-z)\): as \(z \to +\infty\), \(\sigma(z)^2 \to 1\) but "
        r"\(\sigma(-z) < e^{-z}\) goes to 0, and so does the gradient",
    )

with d.exercise(
    r"A point whose logit is \(z = 0\) is one the unit cannot decide: \(\hat{y} = \tfrac12\). "
    r"Show that there the ratio of the two gradients on the logit, "
    r"\((\hat{y} - y)\hat{y}(1 - \hat{y}) / (\hat{y} - y)\), is \(\tfrac14\) whatever the "
    "label: the squared error's gradient is a quarter of the cross-entropy's."
):
    d.start((sigmoid(S.Zero) - y) * sigmoid(S.Zero) * (1 - sigmoid(S.Zero)) / (sigmoid(S.Zero) - y))
    d.step(
        sigmoid(S.Zero) * (1 - sigmoid(S.Zero)),
        r"cancel \(\sigma(0) - y\), which is never 0: \(\sigma(0)\) lies strictly between 0 "
        "and 1, and y is 0 or 1",
    )
    d.step(
        1 / (1 + S.One) * (1 - 1 / (1 + S.One)),
        r"\(\sigma(0) = 1/(1 + e^{0})\), and \(e^{0} = 1\)",
    )
    d.step(Rational(1, 4), r"\(\tfrac12 \cdot \tfrac12\): the largest value of \(\sigma'\)")

with d.exercise(
    r"Spot the mistake. A student differentiates the squared error \(\tfrac12 (\hat{y} - y)^2\) "
    r"of a sigmoid unit by its logit \(z\) and writes the lines below. Which line is wrong, and "
    r"what should it say? Hint: if the student were right, the squared error would have the same "
    "gradient on the logit as the cross-entropy, and there would be nothing to choose between "
    "them."
):
    d.start(Derivative(Rational(1, 2) * (yhat - y) ** 2, z))
    d.step(
        (yhat - y) * Derivative(yhat, z),
        r"the chain rule, with \((u^2)' = 2uu'\) and \(\tfrac12 \cdot 2 = 1\)",
        wrong=yhat - y,
    )
    d.step(squared_error_gradient(), "∂ŷ/∂z = σ′(z) = ŷ(1 − ŷ), from the sigmoid's derivative")

# -- the page -------------------------------------------------------------------------------

page = d.page(part=4, section="Training", order=4)

#: The confidently wrong point of the worked example: label 1, logit −6.
WRONG_LOGIT, WRONG_LABEL = -6.0, 1.0


def math_sigmoid(z):
    return 1 / (1 + math.exp(-z))


def cross_entropy(z, y):
    """E_CE = −y ln ŷ − (1 − y) ln(1 − ŷ) with ŷ = σ(z), straight from the definition, in math."""
    prediction = math_sigmoid(float(z))
    return -y * math.log(prediction) - (1 - y) * math.log(1 - prediction)


def squared_error(z, y):
    """E_SE = ½(ŷ − y)² with ŷ = σ(z), in math."""
    return 0.5 * (math_sigmoid(float(z)) - y) ** 2


def cross_entropy_gradient(z, y):
    import gradbook.functions as gb

    return gb.sigmoid(z) - y


def squared_error_gradient_numpy(z, y):
    import gradbook.functions as gb

    return (gb.sigmoid(z) - y) * gb.sigmoid_prime(z)


CROSS_ENTROPY_GRADIENT = Formula("sigmoid(z) - y", cross_entropy_gradient)
SQUARED_ERROR_GRADIENT = Formula("(sigmoid(z) - y) * sigmoid_prime(z)", squared_error_gradient_numpy)


def by_hand(value):
    return f"{value:.12g}".replace("-", "−")


@page.examples
def examples():
    sigmoid_value, sigmoid_prime = Public("sigmoid"), Public("sigmoid_prime")
    z, label = WRONG_LOGIT, WRONG_LABEL
    prediction = math_sigmoid(z)  # by hand, with math
    ce, se = prediction - label, (prediction - label) * prediction * (1 - prediction)
    worked = WorkedExample(
        "A point labelled \\(y = 1\\) that the unit scores at \\(z = -6\\): it predicts "
        "\\(\\hat{y} = \\sigma(-6) \\approx 0.0025\\), confidently wrong. The values come from "
        "`gradbook.functions.sigmoid` and `sigmoid_prime`; the reference column is each "
        "formula worked out with Python's `math`, to 12 significant digits. The cross-entropy's "
        "gradient is almost \\(-1\\); the squared error's is about 400 times smaller.",
        (
            WorkedValue(r"\hat{y} = \sigma(-6)", sigmoid_value(z), by_hand(prediction)),
            WorkedValue(r"\partial E_{CE}/\partial z = \hat{y} - y",
                        cross_entropy_gradient(z, label), by_hand(ce)),
            WorkedValue(r"\partial E_{SE}/\partial z = (\hat{y} - y)\,\hat{y}(1 - \hat{y})",
                        squared_error_gradient_numpy(z, label), by_hand(se)),
            WorkedValue(r"\sigma'(-6) = \text{their ratio}", sigmoid_prime(z), by_hand(se / ce)),
            WorkedValue(r"1/\sigma'(-6)", 1 / sigmoid_prime(z), by_hand(ce / se)),
        ),
        reference_label="by hand",
    )
    points = tuple(CheckInput({"z": z, "y": WRONG_LABEL}) for z in (-6.0, -2.0, 0.0, 2.0))
    checks = [
        GradientCheck(CROSS_ENTROPY_GRADIENT, cross_entropy, r"E_{CE}(z)", ("z",), points),
        GradientCheck(SQUARED_ERROR_GRADIENT, squared_error, r"E_{SE}(z)", ("z",), points),
    ]
    return [worked, *checks]


@page.figure(
    "cross-entropy-vs-squared-error.svg",
    alt="For a point labelled 1, the cross-entropy's gradient on the logit rises from −1 at very "
    "negative z to 0; the squared error's gradient is 0 at very negative z, dips to about −0.15 "
    "near z = −0.7 and returns to 0.",
    caption="Both gradients on the logit for a point labelled y = 1, computed by "
    "gradbook.functions. Left of 0 the unit is wrong, and more confidently so the further "
    "left: there the cross-entropy's gradient tends to −1, while the squared error's vanishes. "
    "The dots mark z = −6, the worked example.",
    size=(7, 3.6),
)
def draw_gradients(drawing):
    ax = drawing.subplots()
    z = np.linspace(-8, 8, 641)
    ax.plot(z, cross_entropy_gradient(z, WRONG_LABEL), label="cross-entropy: ŷ − y")
    ax.plot(z, squared_error_gradient_numpy(z, WRONG_LABEL), label="squared error: (ŷ − y)ŷ(1 − ŷ)")
    gradients = (cross_entropy_gradient, squared_error_gradient_numpy)
    for line, gradient in zip(ax.lines[:2], gradients, strict=True):
        ax.plot([WRONG_LOGIT], [gradient(WRONG_LOGIT, WRONG_LABEL)], "o", color=line.get_color())
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xlabel("z")
    ax.set_ylabel("∂E/∂z for y = 1")
    ax.set_ylim(-1.1, 0.1)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")


if __name__ == "__main__":
    d.main()
