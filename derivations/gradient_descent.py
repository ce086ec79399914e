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
z = d.define("z", Sum(w[j] * x[j], (j, 1, n)) + b, "the score (logit) of the point")
yhat = d.define("yhat", sigmoid(z), "the prediction of the sigmoid unit")
yhat_step = d.define("yhat_step", Heaviside(z, 1),
                     "the prediction of the perceptron: step(z), 1 if z ≥ 0, else 0")


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
        r"\(y - \hat{y} = y(1 - \hat{y}) - (1 - y)\hat{y}\); with y and the perceptron's "
        "prediction in {0, 1} the first term is 1 only "
        "for a missed positive, the second only for a missed negative",
    )

with d.chain("The sigmoid unit's error is never zero"):
    d.start(y - yhat)
    d.step(y * (1 - yhat) - (1 - y) * yhat, "the same split: y − ŷ = y(1 − ŷ) − (1 − y)ŷ")
    d.step(y * sigmoid(-z) - (1 - y) * sigmoid(z), "1 − σ(z) = σ(−z)")

d.note(
    "The last chain gives y − ŷ = σ(−z) > 0 for a point labelled 1 and y − ŷ = −σ(z) < 0 for a "
    "point labelled 0, because σ is positive everywhere. So for the sigmoid unit y − ŷ ≠ 0 at "
    "every point: each point moves the weights, a badly misclassified point (|z| large, on the "
    "wrong side) by almost α|xₖ|, a point far on the correct side by very little. The "
    "perceptron's error, y minus its prediction step(z), is exactly 0 at every correctly "
    "classified point, which then no "
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
        "the chain rule through the score z = Σⱼ wⱼxⱼ + b, as for a weight: ∂E/∂z = ŷ − y",
    )
    d.step(
        b + alpha * (y - yhat),
        "differentiate the score by b; −α(ŷ − y) = α(y − ŷ)",
        wrong=b + alpha * (y - yhat) * x[k],
    )

with d.exercise(
    "One perceptron step on a point changes that point's own score. After the step "
    "wₖ ← wₖ + α(y − step(z))xₖ for every k and b ← b + α(y − step(z)), show that the point's "
    "new score is z + α(y − step(z))(Σₖ xₖ² + 1). So a missed positive point (y = 1, "
    "step(z) = 0) "
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
        "split the sum; α(y − step(z)) does not depend on k",
    )
    d.step(
        z + alpha * (y - yhat_step) * (Sum(x[k] ** 2, (k, 1, n)) + 1),
        "Σₖ wₖxₖ + b is the old score z; collect the terms in α(y − step(z))",
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
    on_line, wrong_side = (update_scores(grad, np.array(point), label, w, b, alpha)
                           for point, label in ((NOTES_LINE_POINTS[0], 1.0), ((2.0, 1.0), 0.0)))
    worked = WorkedExample(
        "One gradient-descent step from the notes' line \\(4x_1 + 5x_2 - 9 = 0\\) with "
        "\\(\\alpha = 0.1\\), for two points in turn. The gradbook column applies "
        "\\(w \\leftarrow w - \\alpha \\nabla_w E\\) with the gradient from "
        "`gradbook.functions.unit_error_grad`; the other column is the derived update "
        "\\(w + \\alpha (y - \\hat{y}) x\\), \\(b + \\alpha (y - \\hat{y})\\) worked out by hand, "
        "in exact fractions where \\(\\hat{y} = 1/2\\). A point's distance from the line is "
        "\\(|w \\cdot x + b| / \\lVert w \\rVert\\). The point \\((1, 1)\\), labelled 1, sits on "
        f"the line (score 0, \\(\\hat{{y}} = 1/2\\)); the step raises its score to {on_line:.2f}, so "
        "the line moves away from it and leaves it on the positive side, where its label says it "
        "belongs. \\((2, 1)\\), labelled 0, is on the wrong side with \\(\\hat{y} = \\sigma(4) "
        f"\\approx 0.98\\); the step lowers its score from 4 to {wrong_side:.2f}, so the line moves "
        "towards it, with almost the largest step there is. Where \\(\\hat{y}\\) is irrational the "
        "hand computation is shown to 12 significant digits.",
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


def update_scores(grad, x, label, w, b, alpha):
    """The point's score w·x + b after one step w − α∇E on it."""
    dw, db = grad(x, label, w, b)
    return float((w - alpha * dw) @ x + (b - alpha * db))


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


#: Where both rules of the figure start: the notes' line, as (w₁, w₂, b).
START = (*NOTES_LINE_WEIGHTS, NOTES_LINE_BIAS)
#: The number of epochs both rules of the figure run, and the epochs whose lines it draws.
EPOCHS = 60
SHOWN_EPOCHS = (1, 5, 20, 60)
#: How opaque the line of each shown epoch is: later epochs darker on the light page, brighter
#: on the dark one.
EPOCH_OPACITY = (0.3, 0.5, 0.75, 1.0)
#: The square of the plane the figure shows.
VIEW = (-3.5, 3.5)


def perceptron_trick(X, labels, rate=0.1, epochs=EPOCHS, start=START):
    """Move the line towards each misclassified point only; the weights after each epoch.

    An epoch is one pass over the points, one point at a time.
    """
    weights = np.array(start, dtype=float)
    history = [weights.copy()]
    for _ in range(epochs):
        for point, label in zip(X, labels, strict=True):
            prediction = float(point @ weights >= 0)
            weights = weights + rate * (label - prediction) * point
        history.append(weights.copy())
    return history


def full_batch_descent(X, labels, rate=2.0, epochs=EPOCHS, start=START):
    """Full-batch gradient descent on the mean log loss; the weights after each epoch.

    An epoch is one step along the mean gradient of all the points.
    """
    import gradbook.functions as gb

    weights = np.array(start, dtype=float)
    history = [weights.copy()]
    for _ in range(epochs):
        weights = weights - rate * X.T @ (gb.sigmoid(X @ weights) - labels) / len(labels)
        history.append(weights.copy())
    return history


def misclassified(weights, X, labels):
    """How many points lie on the wrong side of the line w₁x₁ + w₂x₂ + b = 0 (s ≥ 0 means 1)."""
    return int(np.sum((X @ weights >= 0) != (labels == 1)))


@page.figure(
    "training.svg",
    alt="Top: two overlapping clouds of points, the notes' line where both rules start, and the "
    "decision lines after epochs 1, 5, 20 and 60, for the perceptron trick (left) and for gradient "
    "descent (right); both lines move down into the gap between the clouds. Bottom: the mean log "
    "loss of both lines over the 60 epochs.",
    caption="Both rules start from the notes' line 4x₁ + 5x₂ − 9 = 0 (dotted), which has 12 of the "
    "40 seeded points on its wrong side (dots are labelled 1, crosses 0), and both run 60 epochs. "
    "An epoch of the perceptron trick is one pass over the points, one at a time, with α = 0.1; an "
    "epoch of gradient descent is one step along the mean gradient of all 40, with α = 2. Top: "
    "the line w₁x₁ + w₂x₂ + b = 0 after epochs 1, 5, 20 and 60, fainter for earlier epochs. No line "
    "separates the two clouds (a segment between two dots crosses one between two crosses), so "
    "the perceptron never settles: every epoch it still meets a misclassified point and moves "
    "its line. Bottom: the mean log loss J of each rule's weights after each epoch. Gradient "
    "descent lowers J at every epoch, by less each time. The perceptron does not "
    "minimise J; its J falls while its line moves into the gap (faster at first: it updates "
    "after each point, up to 40 times an epoch) and then levels off while its line keeps moving "
    "back and forth.",
    size=(8, 6.6),
)
def draw_training(drawing):
    import gradbook.functions as gb

    X, labels = toy_data()
    grid = drawing.add_gridspec(2, 2, height_ratios=(1.3, 0.7))
    rules = (
        ("perceptron trick", perceptron_trick(X, labels), "--", "C4"),
        ("gradient descent", full_batch_descent(X, labels), "-", "C2"),
    )
    for column, (name, history, style, colour) in enumerate(rules):
        draw_lines(drawing.add_subplot(grid[0, column]), X, labels, name, history, style, colour)
    loss = drawing.add_subplot(grid[1, :])
    for name, history, style, colour in rules:
        losses = [gb.logistic_cost(weights, X, labels) for weights in history]
        loss.plot(range(len(history)), losses, style, color=colour, label=name)
        loss.plot(SHOWN_EPOCHS, [losses[e] for e in SHOWN_EPOCHS], "o", color=colour, markersize=4)
    loss.set_title("mean log loss J after each epoch (dots: the epochs drawn above)", fontsize=10)
    loss.set_xlabel("epoch")
    loss.set_xlim(0, EPOCHS)
    loss.set_ylim(bottom=0)
    loss.grid(alpha=0.3)
    loss.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)


def draw_lines(axes, X, labels, name, history, style, colour):
    """The points, the starting line and the line of ``history`` after each of SHOWN_EPOCHS,
    fainter when earlier; the legend goes under the axes, clear of the points."""
    axes.scatter(X[labels == 1, 0], X[labels == 1, 1], marker="o", s=14, color="C0", label="y = 1")
    axes.scatter(X[labels == 0, 0], X[labels == 0, 1], marker="x", s=14, color="C1", label="y = 0")
    drawn = [(0, ":", "grey", 1.0, "start")]
    drawn += [(epoch, style, colour, EPOCH_OPACITY[shade], f"epoch {epoch}")
              for shade, epoch in enumerate(SHOWN_EPOCHS)]
    for epoch, line_style, line_colour, opacity, label in drawn:
        ends = line_in_view(history[epoch])
        if ends is not None:
            (x0, y0), (x1, y1) = ends
            axes.plot((x0, x1), (y0, y1), line_style, color=line_colour, alpha=opacity, linewidth=1.8,
                      label=label)
    axes.set_xlim(*VIEW)
    axes.set_ylim(*VIEW)
    axes.set_aspect("equal")
    axes.set_title(name, fontsize=10)
    axes.set_xlabel("x₁")
    axes.set_ylabel("x₂")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=4, fontsize=7.5, frameon=False,
                handlelength=2.2, columnspacing=1.0)


def line_in_view(weights):
    """Where the line w₁x₁ + w₂x₂ + b = 0 enters and leaves the shown square, left to right.

    None when the line misses the square (or all weights are zero).
    """
    w1, w2, b = weights
    low, high = VIEW
    points = []
    if abs(w2) > 1e-12:
        points += [(x, -(w1 * x + b) / w2) for x in (low, high)]
    if abs(w1) > 1e-12:
        points += [(-(w2 * y + b) / w1, y) for y in (low, high)]
    inside = sorted({(round(x, 12), round(y, 12)) for x, y in points
                     if low - 1e-9 <= x <= high + 1e-9 and low - 1e-9 <= y <= high + 1e-9})
    return (inside[0], inside[-1]) if len(inside) >= 2 else None


if __name__ == "__main__":
    d.main()
