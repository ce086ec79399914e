"""Examples of the learning path's third part, gradients: of the binary cross-entropy, of one
sigmoid unit's error, of the logistic cost, and of the softmax cross-entropy."""

from __future__ import annotations

import math

import mpmath
import numpy as np

from gradbook.examples.extremes import ExtremeTable, extreme_row
from gradbook.examples.gradient_checks import CheckInput, GradientCheck
from gradbook.examples.page import PageExamples
from gradbook.examples.usage import Usage
from gradbook.examples.values import Formula, Public, notes, public_function
from gradbook.examples.worked import WorkedExample, WorkedValue


def _bce_slope(y: float, y_hat: float) -> float:
    return (y_hat - y) / (y_hat * (1 - y_hat))


def _bce_logit_slope(y: float, z: float) -> float:
    return float(public_function("sigmoid")(z)) - y


def bce_derivative_examples() -> PageExamples:
    sigmoid = Public("sigmoid")
    y_hat = float(sigmoid(0.4))
    worked = WorkedExample(
        "The notes' \\(\\sigma(0.4)\\) as the prediction for a point labelled 1. The slope in "
        "\\(\\hat{y}\\) is negative, so a step downhill raises the prediction towards the label; "
        "on the logit the slope is just \\(\\hat{y} - y\\). The last row is the notes' slip "
        "(see [Mistakes the checker catches](../generated/mistakes.md)): with a plus sign the "
        "slope would be positive and push the prediction away from the label.",
        (
            WorkedValue(r"\hat{y} = \sigma(0.4)", y_hat, notes().sigmoid_figures()[0.4]),
            WorkedValue(r"\frac{\hat{y} - y}{\hat{y}(1 - \hat{y})},\ y = 1", _bce_slope(1.0, y_hat)),
            WorkedValue(r"\hat{y} - y,\ y = 1", _bce_logit_slope(1.0, 0.4)),
            WorkedValue(r"\frac{y}{\hat{y}} + \frac{1 - y}{1 - \hat{y}},\ y = 1\ \text{(the notes)}",
                        1.0 / y_hat),
        ),
    )
    probability = GradientCheck(
        Formula("(y_hat - y) / (y_hat * (1 - y_hat))", _bce_slope),
        Public("log_loss"), r"\texttt{log\_loss}(y, \hat{y})", ("y_hat",),
        tuple(CheckInput({"y": y, "y_hat": p}) for y, p in
              ((1.0, y_hat), (0.0, 0.2), (1.0, 0.05), (0.3, 0.9), (0.5, 0.7))),
    )
    logit = GradientCheck(
        Formula("sigmoid(z) - y", _bce_logit_slope),
        Public("log_loss_with_logits"), r"\texttt{log\_loss\_with\_logits}(y, z)", ("z",),
        tuple(CheckInput({"y": y, "z": z}) for y, z in
              ((1.0, 0.4), (0.0, 0.4), (1.0, -6.0), (0.0, 30.0), (0.3, 2.0))),
    )
    return PageExamples((worked,), (probability, logit))



def unit_error(x: np.ndarray, y: float, w: np.ndarray, b: float) -> float:
    """E = −y ln ŷ − (1 − y) ln(1 − ŷ) with ŷ = σ(w·x + b), straight from the definition."""
    y_hat = 1 / (1 + math.exp(-(float(np.dot(w, x)) + b)))
    return -y * math.log(y_hat) - (1 - y) * math.log(1 - y_hat)


def unit_error_gradient_examples() -> PageExamples:
    n = notes()
    sigmoid, grad = Public("sigmoid"), Public("unit_error_grad")
    w, b = np.array(n.LINE_WEIGHTS), n.LINE_BIAS
    rows = []
    for point in n.LINE_POINTS:
        x = np.array(point)
        score = float(w @ x + b)
        at = f"x = ({point[0]:g}, {point[1]:g})"
        rows += [
            WorkedValue(rf"w \cdot x + b,\ {at}", score, "0"),
            WorkedValue(rf"\hat{{y}} = \sigma(w \cdot x + b),\ {at}", sigmoid(score), "0.5"),
        ]
    dw, db = grad(np.array(n.LINE_POINTS[0]), 1.0, w, b)
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
        CheckInput({"x": n.LINE_POINTS[0], "y": 1.0, "w": n.LINE_WEIGHTS, "b": b}),
        CheckInput({"x": n.LINE_POINTS[1], "y": 0.0, "w": n.LINE_WEIGHTS, "b": b}),
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
    return PageExamples((worked,), (check,), usage)


def logistic_cost_gradient_examples() -> PageExamples:
    cost, grad, sigmoid = Public("logistic_cost"), Public("logistic_cost_grad"), Public("sigmoid")
    n = notes()
    X = np.array([[1.0, *point] for point in n.LINE_POINTS])
    theta, y = np.array([n.LINE_BIAS, *n.LINE_WEIGHTS]), np.array([1.0, 0.0])
    worked = WorkedExample(
        "The notes' two points as a data set, with a column of ones for the bias: "
        "\\(X = \\begin{pmatrix} 1 & 1 & 1 \\\\ 1 & -4 & 5 \\end{pmatrix}\\), "
        "\\(\\theta = (-9, 4, 5)\\), labels \\(y = (1, 0)\\). Both points sit on the line, so "
        "\\(h = (0.5, 0.5)\\) and the cost is \\(\\ln 2\\).",
        (
            WorkedValue(r"h = \sigma(X\theta)", sigmoid(X @ theta), "(0.5, 0.5)"),
            WorkedValue(r"J(\theta)", cost(theta, X, y)),
            WorkedValue(r"\nabla J(\theta) = \tfrac{1}{m} X^{\top}(h - y)", grad(theta, X, y)),
        ),
    )
    rng = np.random.default_rng(0)
    random_X = np.column_stack([np.ones(5), rng.normal(size=(5, 2))])
    cases = (
        CheckInput({"theta": theta, "X": X, "y": y}, "the notes' two points, θ = (−9, 4, 5)"),
        CheckInput(
            {"theta": rng.normal(size=3), "X": random_X, "y": rng.integers(0, 2, size=5)},
            "5 random points with a bias column, random θ (NumPy seed 0)",
        ),
        CheckInput(
            {"theta": (0.5, -2.0), "X": ((1.0, 3.0), (1.0, -1.0), (1.0, 0.5)), "y": (1.0, 0.0, 1.0)}
        ),
    )
    check = GradientCheck(grad, cost, r"J(\theta)", ("theta",), cases)
    usage = Usage("""
        import numpy as np
        from gradbook.functions import logistic_cost, logistic_cost_grad

        X = np.array([[1.0, 1.0, 1.0], [1.0, -4.0, 5.0], [1.0, 2.0, 3.0], [1.0, -1.0, -2.0]])
        y = np.array([1.0, 0.0, 1.0, 0.0])
        theta = np.zeros(3)
        for step in range(201):                    # plain gradient descent
            if step % 50 == 0:
                print(step, round(float(logistic_cost(theta, X, y)), 4))
            theta -= 0.5 * logistic_cost_grad(theta, X, y)
    """)
    return PageExamples((worked,), (check,), usage)


def softmax_cross_entropy_examples() -> PageExamples:
    softmax, loss = Public("softmax"), Public("softmax_cross_entropy")
    grad = Public("softmax_cross_entropy_grad")
    n = notes()
    z, y = np.array(n.SOFTMAX_SCORES), np.array([1.0, 0.0, 0.0])
    figure = n.NOTES_FIGURES["softmax_of_scores"]
    worked = WorkedExample(
        "The notes' three classes A, B, C with scores \\(z = (2, 1, 0)\\); take A as the true "
        "class, \\(y = (1, 0, 0)\\). Adding 1000 to every score changes nothing, and the stable "
        "form computes it without overflow.",
        (
            WorkedValue(r"\operatorname{softmax}(2, 1, 0)", softmax(z), figure),
            WorkedValue(r"\operatorname{softmax}(1002, 1001, 1000)", softmax(z + 1000), figure),
            WorkedValue(r"L = -\log p_A", loss(z, y)),
            WorkedValue(r"\partial L/\partial z = p - y", grad(z, y)),
        ),
    )
    cases = (
        CheckInput({"z": z, "y": y}),
        CheckInput({"z": (-1.0, 0.5, 3.0), "y": (0.2, 0.5, 0.3)}),
        CheckInput({"z": (1000.0, 1001.0, 999.0, 1000.5), "y": (0.0, 1.0, 0.0, 0.0)}),
    )
    check = GradientCheck(grad, loss, r"L(z)", ("z",), cases)
    usage = Usage("""
        import numpy as np
        from gradbook.functions import softmax, softmax_cross_entropy, softmax_cross_entropy_grad

        z = np.array([[2.0, 1.0, 0.0], [0.0, 0.0, 5.0]])   # two points, three classes
        y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])   # one-hot labels
        print(softmax(z).round(4))
        print(softmax_cross_entropy(z, y))                 # one loss per row
        g = softmax_cross_entropy_grad(z, y)
        print(g.round(4), g.sum(axis=-1))                  # each row of p − y sums to 0
    """)
    return PageExamples((worked,), (check,), usage, (_naive_softmax_table(),))



def _textbook_softmax(z: np.ndarray) -> np.ndarray:
    return np.exp(z) / np.sum(np.exp(z))


def _textbook_cross_entropy(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    return -np.sum(y * np.log(_textbook_softmax(z)))


TEXTBOOK_SOFTMAX = Formula("np.exp(z) / np.sum(np.exp(z))", _textbook_softmax)
TEXTBOOK_CROSS_ENTROPY = Formula("-np.sum(y * np.log(np.exp(z) / np.sum(np.exp(z))))",
                                 _textbook_cross_entropy)


def _exact_softmax(z: tuple[float, ...]) -> tuple[mpmath.mpf, ...]:
    with mpmath.workdps(30):
        exps = [mpmath.exp(score) for score in z]
        return tuple(e / mpmath.fsum(exps) for e in exps)


def _exact_cross_entropy(z: tuple[float, ...], y: tuple[float, ...]) -> mpmath.mpf:
    with mpmath.workdps(30):
        return -mpmath.fsum(label * mpmath.log(p) for label, p in zip(y, _exact_softmax(z), strict=True))


def _naive_softmax_table() -> ExtremeTable:
    z, y = (1000.0, 0.0, -1000.0), (0.0, 1.0, 0.0)
    return ExtremeTable(
        "Naive and stable softmax at extreme scores",
        f"The textbook softmax written in NumPy, `{TEXTBOOK_SOFTMAX}`, without subtracting the "
        "largest score first: at \\(z = (1000, 0, -1000)\\) the exponential of 1000 overflows "
        "to infinity and \\(\\infty/\\infty\\) is NaN. The loss for the class \\(y = e_2\\) "
        f"computed from those probabilities, `{TEXTBOOK_CROSS_ENTROPY}`, is NaN as well. "
        "gradbook shifts the scores by their maximum, so no exponent is positive, and computes "
        "the loss as \\(\\log\\sum_k e^{z_k} - z_2\\). The exact values are from 30-digit mpmath.",
        (
            extreme_row(r"\operatorname{softmax}(z)", TEXTBOOK_SOFTMAX, Public("softmax"),
                        _exact_softmax, {"z": z}),
            extreme_row(r"L = -\sum_k y_k \log p_k", TEXTBOOK_CROSS_ENTROPY,
                        Public("softmax_cross_entropy"), _exact_cross_entropy, {"z": z, "y": y}),
        ),
    )
