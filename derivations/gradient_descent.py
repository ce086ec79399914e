"""The gradient-descent update of a sigmoid unit, next to the perceptron's.

Gradient descent moves every parameter a small step α against its partial derivative:
w ← w − α ∂E/∂w. For a sigmoid unit scored by the binary cross-entropy E = BCE(y, ŷ) the derivatives are
∂E/∂wₖ = −(y − ŷ)xₖ and ∂E/∂b = −(y − ŷ), so the update adds α(y − ŷ)xₖ to each weight and
α(y − ŷ) to the bias: the point pulls the boundary towards itself when it is misclassified
and pushes it away when it is classified correctly, in proportion to the error y − ŷ. The
perceptron's rule has the same shape with a hard 0/1 prediction, and so it ignores every
point it already classifies correctly.
"""

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
from sympy import Derivative, Heaviside, Sum

from gradbook import Derivation, binary_cross_entropy, domains, sigmoid
from gradbook.examples import CheckInput, GradientCheck, Public, Usage, WorkedExample, WorkedValue, tuple_text

d = Derivation("gradient_descent", __doc__, uses=["unit_error_gradient"], source=__file__)
n = d.size("n", meaning="the number of features")
j = d.index("j", n, "a feature, summed over")
k = d.index("k", n, "the weight being updated")
x = d.vector("x", n, meaning="the features of the point")
w = d.vector("w", n, meaning="the weights")
b = d.real("b", "the bias")
y = d.scalar("y", domains.LABEL, "the label")
alpha = d.scalar("alpha", domains.POSITIVE, "the learning rate")
s = d.define("s", Sum(w[j] * x[j], (j, 1, n)) + b, "the score of the point")
yhat = d.define("yhat", sigmoid(s), "the prediction of the sigmoid unit")
yhat_step = d.define("yhat_step", Heaviside(s, 1), "the prediction of the perceptron: 1 if s ≥ 0, else 0")


with d.chain("The update of a weight"):
    d.start(w[k] - alpha * Derivative(binary_cross_entropy(y, yhat), w[k]))
    d.step(w[k] - alpha * ((yhat - y) * x[k]), "∂E/∂wₖ = −(y − ŷ)xₖ = (ŷ − y)xₖ, from unit_error_gradient")
    d.step(w[k] + alpha * (y - yhat) * x[k], "−α(ŷ − y) = α(y − ŷ)")
d.result("gradient_step_w")

with d.chain("The update of the bias"):
    d.start(b - alpha * Derivative(binary_cross_entropy(y, yhat), b))
    d.step(b - alpha * (yhat - y), "∂E/∂b = −(y − ŷ) = ŷ − y, from unit_error_gradient")
    d.step(b + alpha * (y - yhat), "−α(ŷ − y) = α(y − ŷ); there is no feature to multiply")
d.result("gradient_step_b")

with d.chain("The perceptron's update of a weight"):
    d.start(w[k] + alpha * (y - yhat_step) * x[k])
    d.step(
        w[k] + alpha * (y * (1 - yhat_step) - (1 - y) * yhat_step) * x[k],
        "y − ŷ = y(1 − ŷ) − (1 − y)ŷ; with y and ŷ_step in {0, 1} the first term is 1 only "
        "for a missed positive, the second only for a missed negative",
    )

with d.chain("The sigmoid unit's error is never zero"):
    d.start(y - yhat)
    d.step(y * (1 - yhat) - (1 - y) * yhat, "the same split: y − ŷ = y(1 − ŷ) − (1 − y)ŷ")
    d.step(y * sigmoid(-s) - (1 - y) * sigmoid(s), "1 − σ(s) = σ(−s)")

d.note(
    "The last chain gives y − ŷ = σ(−s) > 0 for a point labelled 1 and y − ŷ = −σ(s) < 0 for a "
    "point labelled 0, because σ is positive everywhere. So for the sigmoid unit y − ŷ ≠ 0 at "
    "every point: each point moves the weights, a badly misclassified point (|s| large, on the "
    "wrong side) by almost α|xₖ|, a point far on the correct side by very little. The "
    "perceptron's y − ŷ_step is exactly 0 at every correctly classified point, which then no "
    "longer moves the boundary."
)
d.note(
    "The bias update has no feature in it: it is b + α(y − ŷ), the weight update with xₖ "
    "replaced by 1, the constant input that the bias multiplies."
)

with d.exercise(
    "Spot the mistake. A student writes one gradient-descent step for the weight wₖ of a sigmoid "
    "unit, trained on the error E = BCE(y, ŷ) of one point, as below. Which line is wrong, and "
    "what should it say? Try a point labelled y = 0: which way should the step move its score?"
):
    d.start(w[k] - alpha * Derivative(binary_cross_entropy(y, yhat), w[k]))
    d.step(w[k] - alpha * (-(y - yhat) * x[k]), "∂E/∂wₖ = −(y − ŷ)xₖ, the gradient of one point's error")
    d.step(
        w[k] + alpha * (y - yhat) * x[k],
        "the two minus signs cancel",
        wrong=w[k] + alpha * (y + yhat) * x[k],
    )

with d.exercise(
    "Spot the mistake. A student derives the gradient-descent step for the bias b by following "
    "the derivation for a weight, and writes the lines below. Which line is wrong, and what "
    "should it say?"
):
    d.start(b - alpha * Derivative(binary_cross_entropy(y, yhat), b))
    d.step(
        b - alpha * ((yhat - y) * Derivative(Sum(w[j] * x[j], (j, 1, n)) + b, b)),
        "the chain rule through the score s = Σⱼ wⱼxⱼ + b, as for a weight: ∂E/∂s = ŷ − y",
    )
    d.step(
        b + alpha * (y - yhat),
        "differentiate the score by b; −α(ŷ − y) = α(y − ŷ)",
        wrong=b + alpha * (y - yhat) * x[k],
    )

with d.exercise(
    "One perceptron step on a point changes that point's own score. After the step "
    "wₖ ← wₖ + α(y − ŷ_step)xₖ for every k and b ← b + α(y − ŷ_step), show that the point's new "
    "score is s + α(y − ŷ_step)(Σₖ xₖ² + 1). So a missed positive point (y = 1, ŷ_step = 0) "
    "gains a score of α(Σₖ xₖ² + 1), a missed negative one loses as much, and a point already "
    "classified correctly keeps its score."
):
    d.start(Sum((w[k] + alpha * (y - yhat_step) * x[k]) * x[k], (k, 1, n)) + (b + alpha * (y - yhat_step)))
    d.step(
        Sum(w[k] * x[k] + alpha * (y - yhat_step) * x[k] ** 2, (k, 1, n)) + b + alpha * (y - yhat_step),
        "multiply out under the sum",
    )
    d.step(
        Sum(w[k] * x[k], (k, 1, n)) + alpha * (y - yhat_step) * Sum(x[k] ** 2, (k, 1, n))
        + b + alpha * (y - yhat_step),
        "split the sum; α(y − ŷ_step) does not depend on k",
    )
    d.step(
        s + alpha * (y - yhat_step) * (Sum(x[k] ** 2, (k, 1, n)) + 1),
        "Σₖ wₖxₖ + b is the old score s; collect the terms in α(y − ŷ_step)",
    )

# -- the page -------------------------------------------------------------------------------

page = d.page(part=4, section="Training", order=1)

#: The notes' line 4x₁ + 5x₂ − 9 = 0 and two points on it.
NOTES_LINE_WEIGHTS, NOTES_LINE_BIAS = (4.0, 5.0), -9.0
NOTES_LINE_POINTS = ((1.0, 1.0), (-4.0, 5.0))
#: The seed of the two clouds of points the figure trains on.
SEED = 7


def unit_error(x, y, w, b):
    """E = −y ln ŷ − (1 − y) ln(1 − ŷ) with ŷ = σ(w·x + b), straight from the definition."""
    y_hat = 1 / (1 + math.exp(-(float(np.dot(w, x)) + b)))
    return -y * math.log(y_hat) - (1 - y) * math.log(1 - y_hat)


@page.examples
def examples():
    grad = Public("unit_error_grad")
    w, b, alpha = np.array(NOTES_LINE_WEIGHTS), NOTES_LINE_BIAS, 0.1
    rows = []
    for point, label in ((NOTES_LINE_POINTS[0], 1.0), ((2.0, 1.0), 0.0)):
        rows += update_rows(grad, np.array(point), label, w, b, alpha)
    worked = WorkedExample(
        "One gradient-descent step from the notes' line \\(4x_1 + 5x_2 - 9 = 0\\) with "
        "\\(\\alpha = 0.1\\), for two points in turn. The gradbook column applies "
        "\\(w \\leftarrow w - \\alpha \\nabla_w E\\) with the gradient from "
        "`gradbook.functions.unit_error_grad`; the other column is the derived update "
        "\\(w + \\alpha (y - \\hat{y}) x\\), \\(b + \\alpha (y - \\hat{y})\\) worked out by hand, "
        "in exact fractions where \\(\\hat{y} = 1/2\\). The point \\((1, 1)\\), labelled 1, sits "
        "on the line and pulls it towards itself; \\((2, 1)\\), labelled 0, is on the wrong side "
        "with \\(\\hat{y} = \\sigma(4) \\approx 0.98\\) and pushes the line away with almost the "
        "largest step there is. Where \\(\\hat{y}\\) is irrational the hand computation is shown "
        "to 12 significant digits.",
        tuple(rows),
        reference_label="by hand",
    )
    check = GradientCheck(
        grad, unit_error, r"E(w, b)", ("w", "b"),
        tuple(CheckInput({"x": point, "y": label, "w": NOTES_LINE_WEIGHTS, "b": NOTES_LINE_BIAS})
              for point, label in ((NOTES_LINE_POINTS[0], 1.0), ((2.0, 1.0), 0.0),
                                   (NOTES_LINE_POINTS[1], 0.0))),
    )
    usage = Usage("""
        import numpy as np
        from gradbook.functions import sigmoid, unit_error_grad

        X = np.array([[1.0, 2.0], [-1.0, 1.0], [0.0, 3.0],    # above the diagonal x₂ = x₁
                      [2.0, 1.0], [3.0, -1.0], [1.0, 0.0]])   # below it
        y = np.array([1.0, 1.0, 1.0, 0.0, 0.0, 0.0])
        w, b, alpha = np.array([4.0, 5.0]), -9.0, 0.1          # the notes' line
        for epoch in range(201):
            if epoch % 50 == 0:
                print(epoch, sigmoid(X @ w + b).round(2))
            for x_i, y_i in zip(X, y):                         # one point at a time
                dw, db = unit_error_grad(x_i, y_i, w, b)
                w, b = w - alpha * dw, b - alpha * db
        print(w.round(2), round(b, 2))
    """)
    return [worked, check, usage]


def update_rows(grad, x, label, w, b, alpha):
    """One step w − α∇E on a point, beside the derived update worked out by hand."""
    dw, db = grad(x, label, w, b)
    new_w, new_b = w - alpha * dw, b - alpha * db
    score = float(w @ x + b)
    at = rf"x = ({x[0]:g}, {x[1]:g}),\ y = {label:g}"
    if score == 0:  # ŷ = 1/2 exactly: the update is exact in fractions
        step = Fraction(str(alpha)) * (Fraction(label) - Fraction(1, 2))
        by_hand = updated(tuple(map(Fraction, w)), tuple(map(Fraction, x)), Fraction(b), step)
        shown = [fraction_text(values) for values in by_hand]
    else:
        step = alpha * (label - 1 / (1 + math.exp(-score)))
        shown = [digits(values) for values in updated(tuple(w), tuple(x), b, step)]
    return [
        WorkedValue(rf"w - \alpha \nabla_w E,\ {at}", new_w, shown[0]),
        WorkedValue(rf"b - \alpha\, \partial E/\partial b,\ {at}", new_b, shown[1]),
        WorkedValue(rf"\text{{new score}},\ {at}", float(new_w @ x + new_b), shown[2]),
    ]


def updated(w, x, b, step):
    """The derived update w + step·x, b + step and the new score w·x + b, worked out by hand.

    The numbers may be floats or fractions; each part is a tuple, as the table shows it.
    """
    new_w = tuple(wk + step * xk for wk, xk in zip(w, x, strict=True))
    new_b = b + step
    return new_w, (new_b,), (sum(wk * xk for wk, xk in zip(new_w, x, strict=True)) + new_b,)


def digits(values):
    return tuple_text(f"{float(value):.12g}".replace("-", "−") for value in values)


def fraction_text(values):
    """Exact decimals (the fractions here have denominators 2ᵃ5ᵇ), as a table shows them."""
    return tuple_text(str(Decimal(value.numerator) / Decimal(value.denominator)).replace("-", "−")
                      for value in values)


def toy_data():
    """Two overlapping Gaussian clouds in the plane, with a column of ones for the bias."""
    rng = np.random.default_rng(SEED)
    positive = rng.normal((1.2, 1.0), 0.8, size=(20, 2))
    negative = rng.normal((-1.0, -0.8), 0.8, size=(20, 2))
    points = np.vstack([positive, negative])
    labels = np.concatenate([np.ones(20), np.zeros(20)])
    return np.column_stack([points, np.ones(40)]), labels


def perceptron_trick(X, labels, rate=0.1, epochs=12):
    """Move the line towards each misclassified point only; the weights after each epoch."""
    weights = np.zeros(X.shape[1])
    history = [weights.copy()]
    for _ in range(epochs):
        for point, label in zip(X, labels, strict=True):
            prediction = float(point @ weights >= 0)
            weights = weights + rate * (label - prediction) * point
        history.append(weights.copy())
    return history


def full_batch_descent(X, labels, rate=0.5, epochs=60):
    """Full-batch gradient descent on the mean log loss; the weights after each epoch."""
    import gradbook.functions as gb

    weights = np.zeros(X.shape[1])
    history = [weights.copy()]
    for _ in range(epochs):
        weights = weights - rate * X.T @ (gb.sigmoid(X @ weights) - labels) / len(labels)
        history.append(weights.copy())
    return history


@page.figure(
    "training.svg",
    alt="Left: two clouds of points and the decision lines found by the perceptron trick and by gradient "
    "descent after several epochs. Right: the mean log loss of both per epoch.",
    caption="Both rules trained on the same 40 seeded points, starting from zero weights. The "
    "perceptron moves the line only for misclassified points; gradient descent moves it "
    "for every point, in proportion to its error y − ŷ, and its loss falls every epoch.",
    size=(10, 4),
)
def draw_training(drawing):
    import gradbook.functions as gb

    X, labels = toy_data()
    left, right = drawing.subplots(1, 2)
    left.scatter(X[labels == 1, 0], X[labels == 1, 1], marker="o", label="y = 1")
    left.scatter(X[labels == 0, 0], X[labels == 0, 1], marker="x", label="y = 0")
    xs = np.linspace(-3.5, 3.5, 2)
    for history, style, name in (
        (perceptron_trick(X, labels), ":", "perceptron trick"),
        (full_batch_descent(X, labels), "-", "gradient descent"),
    ):
        for epoch in (1, len(history) // 3, len(history) - 1):
            weights = history[epoch]
            if abs(weights[1]) > 1e-12:
                left.plot(xs, -(weights[0] * xs + weights[2]) / weights[1], style,
                          alpha=0.3 + 0.7 * epoch / len(history), label=f"{name}, epoch {epoch}")
        losses = [gb.logistic_cost(weights, X, labels) for weights in history]
        right.plot(range(len(history)), losses, style, label=name)
    left.set_xlim(-3.5, 3.5)
    left.set_ylim(-3.5, 3.5)
    left.set_title("decision boundary over epochs")
    left.legend(fontsize=7, loc="lower right")
    right.set_title("mean log loss per epoch")
    right.set_xlabel("epoch")
    right.legend()
    right.grid(alpha=0.3)


if __name__ == "__main__":
    d.main()
