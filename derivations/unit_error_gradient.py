"""The gradient of the error of one point for a sigmoid unit.

A single sigmoid unit predicts ŷ = σ(Σⱼ wⱼxⱼ + b) and is scored on a labelled point (x, y) by
the binary cross-entropy E = BCE(y, ŷ) = −y ln ŷ − (1 − y) ln(1 − ŷ). Its gradient is remarkably simple:
∂E/∂wₖ = −(y − ŷ)xₖ for each weight wₖ and ∂E/∂b = −(y − ŷ). The error of the prediction, y − ŷ, scaled by the
input, is all that gradient descent needs.
"""

import math

import numpy as np
from sympy import Abs, Derivative, Min, Rational, Sum, exp, log

from gradbook import Derivation, binary_cross_entropy, domains, sigmoid
from gradbook.examples import CheckInput, GradientCheck, Public, Usage, WorkedExample, WorkedValue

d = Derivation("unit_error_gradient", __doc__, uses=["sigmoid_prime"], source=__file__)
n = d.size("n", meaning="the number of features")
j = d.index("j", n, "a feature, summed over")
k = d.index("k", n, "the feature whose weight we differentiate by")
x = d.vector("x", n, meaning="the features of the point")
w = d.vector("w", n, meaning="the weights")
b = d.real("b", "the bias")
y = d.scalar("y", domains.LABEL, "the label")
z = d.real("z", "a logit, for the lemma")
yhat = d.define("yhat", sigmoid(Sum(w[j] * x[j], (j, 1, n)) + b), "the prediction")
s = Sum(w[j] * x[j], (j, 1, n)) + b


with d.chain("Lemma: the derivative on the logit"):
    d.start(Derivative(binary_cross_entropy(y, sigmoid(z)), z))
    d.step(
        Derivative(-y * log(sigmoid(z)) - (1 - y) * log(1 - sigmoid(z)), z),
        "the definition BCE(y, ŷ) = −y ln ŷ − (1 − y) ln(1 − ŷ), with ŷ = σ(z)",
    )
    d.step(
        -y * (1 / sigmoid(z)) * Derivative(sigmoid(z), z)
        - (1 - y) * (1 / (1 - sigmoid(z))) * (-Derivative(sigmoid(z), z)),
        "the chain rule with (ln u)′ = u′/u",
    )
    d.step(
        -y * (1 / sigmoid(z)) * (sigmoid(z) * (1 - sigmoid(z)))
        + (1 - y) * (1 / (1 - sigmoid(z))) * (sigmoid(z) * (1 - sigmoid(z))),
        "σ′ = σ(1 − σ)",
    )
    d.step(-y * (1 - sigmoid(z)) + (1 - y) * sigmoid(z), "cancel σ(z) and 1 − σ(z)")
    d.step(-(y - sigmoid(z)), "multiply out: −y + yσ + σ − yσ = σ − y")
d.result("error_logit_derivative")

with d.chain("The same derivative, computed without cancellation"):
    d.start(-(y - sigmoid(z)))
    d.step(
        (1 - y) * sigmoid(z) - y * (1 - sigmoid(z)),
        "write y = y·1 and σ(z) = (1 − y)σ(z) + yσ(z)",
    )
    d.step(
        (1 - y) * sigmoid(z) - y * sigmoid(-z),
        "1 − σ(z) = σ(−z), which stays accurate where σ(z) rounds to 1",
    )
    d.step(
        ((1 - y) * exp(Min(z, 0)) - y * exp(Min(-z, 0))) / (1 + exp(-Abs(z))),
        "σ(±z) = exp(min(±z, 0))/(1 + exp(−|z|)), the overflow-free sigmoid: one shared denominator",
    )
d.note(
    "For a confident correct prediction (y = 1, z = 40) the difference σ(z) − y cancels: "
    "σ(40) rounds to 1 and the computed gradient is 0 instead of −4.2·10⁻¹⁸, an error that a "
    "large feature multiplies. The last form has no subtraction of nearly equal numbers for "
    "labels 0 and 1, and every exponent in it is ≤ 0, so the generated code uses it."
)
d.implement(
    "error_logit_gradient", (z, y), "∂E/∂z = σ(z) − y for the log loss on the logit z."
)
d.implement_together(
    "log_loss_logit_and_gradient", ("log_loss_logit", "error_logit_gradient"),
    "The log loss on the logit z and its derivative σ(z) − y, elementwise, in one pass.",
)

with d.chain("The gradient with respect to a weight"):
    d.start(Derivative(binary_cross_entropy(y, yhat), w[k]))
    d.step(
        (-y / yhat + (1 - y) / (1 - yhat)) * Derivative(sigmoid(s), w[k]),
        "the chain rule, where ŷ = σ(Σⱼ wⱼxⱼ + b): ∂BCE/∂ŷ = −y/ŷ + (1 − y)/(1 − ŷ) from (ln u)′ = u′/u",
    )
    d.step(
        (-y / yhat + (1 - y) / (1 - yhat)) * (yhat * (1 - yhat)) * Derivative(s, w[k]),
        "the chain rule through σ, with σ′ = σ(1 − σ)",
    )
    d.step(
        (-y / yhat + (1 - y) / (1 - yhat)) * (yhat * (1 - yhat)) * x[k],
        "only the term wₖxₖ of the sum depends on wₖ",
    )
    d.step((-y * (1 - yhat) + (1 - y) * yhat) * x[k], "cancel ŷ and 1 − ŷ")
    d.step(-(y - yhat) * x[k], "multiply out, as in the lemma")
d.result("unit_error_grad_w")

with d.chain("The gradient with respect to the bias"):
    d.start(Derivative(binary_cross_entropy(y, yhat), b))
    d.step(
        (-y / yhat + (1 - y) / (1 - yhat)) * (yhat * (1 - yhat)) * Derivative(s, b),
        "the chain rule, as for the weights",
    )
    d.step((-y / yhat + (1 - y) / (1 - yhat)) * (yhat * (1 - yhat)), "∂(Σⱼ wⱼxⱼ + b)/∂b = 1")
    d.step(-(y - yhat), "cancel and multiply out, as in the lemma")
d.result("unit_error_grad_b")

with d.exercise(
    "Score the unit with the squared error (1/2)(ŷ − y)² instead of the cross-entropy. Show that "
    "its derivative with respect to wₖ is (ŷ − y)ŷ(1 − ŷ)xₖ. Compared with the cross-entropy's "
    "(ŷ − y)xₖ there is an extra factor ŷ(1 − ŷ), which is nearly 0 when the unit is confidently "
    "wrong: a badly wrong unit then barely learns."
):
    d.start(Derivative(Rational(1, 2) * (yhat - y) ** 2, w[k]))
    d.step(
        (yhat - y) * Derivative(sigmoid(s), w[k]),
        "(u²/2)′ = uu′ with u = ŷ − y, where ŷ = σ(Σⱼ wⱼxⱼ + b) and y is a constant",
    )
    d.step(
        (yhat - y) * (yhat * (1 - yhat)) * Derivative(s, w[k]),
        "the chain rule through σ, with σ′ = σ(1 − σ)",
    )
    d.step((yhat - y) * (yhat * (1 - yhat)) * x[k], "only the term wₖxₖ of the sum depends on wₖ")

with d.exercise(
    "In a network of several layers the error must also be passed back to the unit's inputs. "
    "Find ∂E/∂xₖ, the derivative of the error with respect to a feature, and show that it is "
    "−(y − ŷ)wₖ: the weight's derivative with the roles of wₖ and xₖ swapped."
):
    d.start(Derivative(binary_cross_entropy(y, yhat), x[k]))
    d.step(
        (-y / yhat + (1 - y) / (1 - yhat)) * (yhat * (1 - yhat)) * Derivative(s, x[k]),
        "the chain rule through ŷ and σ, as for a weight",
    )
    d.step(
        (-y / yhat + (1 - y) / (1 - yhat)) * (yhat * (1 - yhat)) * w[k],
        "only the term wₖxₖ of the sum depends on xₖ",
    )
    d.step(-(y - yhat) * w[k], "cancel ŷ and 1 − ŷ, and multiply out, as in the lemma")

# -- the page -------------------------------------------------------------------------------

page = d.page(part=3, section="Gradients", order=2, documents=["logistic_cost_grad", "unit_error_grad"])

#: The notes' line 4x₁ + 5x₂ − 9 = 0 and two points on it.
NOTES_LINE_WEIGHTS, NOTES_LINE_BIAS = (4.0, 5.0), -9.0
NOTES_LINE_POINTS = ((1.0, 1.0), (-4.0, 5.0))


def unit_error(x, y, w, b):
    """E = −y ln ŷ − (1 − y) ln(1 − ŷ) with ŷ = σ(w·x + b), straight from the definition."""
    y_hat = 1 / (1 + math.exp(-(float(np.dot(w, x)) + b)))
    return -y * math.log(y_hat) - (1 - y) * math.log(1 - y_hat)


@page.examples
def examples():
    sigmoid, grad = Public("sigmoid"), Public("unit_error_grad")
    w, b = np.array(NOTES_LINE_WEIGHTS), NOTES_LINE_BIAS
    rows = []
    for point in NOTES_LINE_POINTS:
        x = np.array(point)
        score = float(w @ x + b)
        at = f"x = ({point[0]:g}, {point[1]:g})"
        rows += [
            WorkedValue(rf"w \cdot x + b,\ {at}", score, "0"),
            WorkedValue(rf"\hat{{y}} = \sigma(w \cdot x + b),\ {at}", sigmoid(score), "0.5"),
        ]
    dw, db = grad(np.array(NOTES_LINE_POINTS[0]), 1.0, w, b)
    rows += [
        WorkedValue(r"\partial E/\partial w,\ x = (1, 1),\ y = 1", dw),
        WorkedValue(r"\partial E/\partial b,\ x = (1, 1),\ y = 1", db),
    ]
    worked = WorkedExample(
        "The notes' line \\(4x_1 + 5x_2 - 9 = 0\\) (so \\(w = (4, 5)\\), \\(b = -9\\)) passes "
        "through \\((1, 1)\\) and \\((-4, 5)\\); there the unit is undecided, \\(\\hat{y} = "
        "0.5\\) (the notes: “a 50% probability”). If \\((1, 1)\\) is labelled 1, the gradient is "
        "\\(-(1 - 0.5)\\,x\\).",
        tuple(rows),
    )
    cases = (
        CheckInput({"x": NOTES_LINE_POINTS[0], "y": 1.0, "w": NOTES_LINE_WEIGHTS, "b": b}),
        CheckInput({"x": NOTES_LINE_POINTS[1], "y": 0.0, "w": NOTES_LINE_WEIGHTS, "b": b}),
        CheckInput({"x": (0.5, -1.2, 2.0), "y": 1.0, "w": (0.3, -0.8, 0.1), "b": 0.2}),
        CheckInput({"x": (3.0, -2.0), "y": 0.0, "w": (1.5, 0.5), "b": -0.5}),
    )
    check = GradientCheck(grad, unit_error, r"E(w, b)", ("w", "b"), cases)
    usage = Usage("""
        import numpy as np
        from gradbook.functions import unit_error_grad

        x, y = np.array([1.0, 1.0]), 1.0          # a point labelled 1
        w, b = np.array([4.0, 5.0]), -9.0          # the line 4x₁ + 5x₂ − 9 = 0 through it
        dE_dw, dE_db = unit_error_grad(x, y, w, b)
        print(dE_dw, dE_db)

        learning_rate = 0.1                        # one gradient-descent step
        w, b = w - learning_rate * dE_dw, b - learning_rate * dE_db
        print(w, b, w @ x + b)                     # the score at x is now positive
    """)
    return [worked, check, usage]


if __name__ == "__main__":
    d.main()
