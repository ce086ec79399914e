"""Examples of the learning path's fourth part, training: one gradient-descent step from the
notes' line, and the mean squared error of a linear regression."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np

from gradbook.examples.gradient_checks import CheckInput, GradientCheck
from gradbook.examples.gradients import unit_error
from gradbook.examples.page import PageExamples
from gradbook.examples.usage import Usage
from gradbook.examples.values import Public, notes, tuple_text
from gradbook.examples.worked import WorkedExample, WorkedValue


def gradient_descent_examples() -> PageExamples:
    n = notes()
    grad = Public("unit_error_grad")
    w, b, alpha = np.array(n.LINE_WEIGHTS), n.LINE_BIAS, 0.1
    rows = []
    for point, y in ((n.LINE_POINTS[0], 1.0), ((2.0, 1.0), 0.0)):
        rows += _update_rows(grad, np.array(point), y, w, b, alpha)
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
        tuple(CheckInput({"x": point, "y": y, "w": n.LINE_WEIGHTS, "b": n.LINE_BIAS})
              for point, y in ((n.LINE_POINTS[0], 1.0), ((2.0, 1.0), 0.0), (n.LINE_POINTS[1], 0.0))),
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
    return PageExamples((worked,), (check,), usage)


def _update_rows(grad: Public, x: np.ndarray, y: float, w: np.ndarray, b: float,
                 alpha: float) -> list[WorkedValue]:
    dw, db = grad(x, y, w, b)
    new_w, new_b = w - alpha * dw, b - alpha * db
    score = float(w @ x + b)
    at = rf"x = ({x[0]:g}, {x[1]:g}),\ y = {y:g}"
    if score == 0:  # ŷ = 1/2 exactly: the update is exact in fractions
        step = Fraction(str(alpha)) * (Fraction(y) - Fraction(1, 2))
        by_hand = _updated(tuple(map(Fraction, w)), tuple(map(Fraction, x)), Fraction(b), step)
        shown = [_fraction_text(values) for values in by_hand]
    else:
        step = alpha * (y - 1 / (1 + math.exp(-score)))
        shown = [_digits(values) for values in _updated(tuple(w), tuple(x), b, step)]
    return [
        WorkedValue(rf"w - \alpha \nabla_w E,\ {at}", new_w, shown[0]),
        WorkedValue(rf"b - \alpha\, \partial E/\partial b,\ {at}", new_b, shown[1]),
        WorkedValue(rf"\text{{new score}},\ {at}", float(new_w @ x + new_b), shown[2]),
    ]


def _updated(w: tuple, x: tuple, b: object, step: object) -> tuple[tuple, tuple, tuple]:
    """The derived update w + step·x, b + step and the new score w·x + b, worked out by hand.

    The numbers may be floats or fractions; each part is a tuple, as the table shows it.
    """
    new_w = tuple(wk + step * xk for wk, xk in zip(w, x, strict=True))
    new_b = b + step
    return new_w, (new_b,), (sum(wk * xk for wk, xk in zip(new_w, x, strict=True)) + new_b,)


def _digits(values: tuple[float, ...]) -> str:
    return tuple_text(f"{float(value):.12g}".replace("-", "−") for value in values)


def _fraction_text(values: tuple[Fraction, ...]) -> str:
    """Exact decimals (the fractions here have denominators 2ᵃ5ᵇ), as a table shows them."""
    return tuple_text(str(Decimal(value.numerator) / Decimal(value.denominator)).replace("-", "−")
                      for value in values)


def linear_regression_mse_examples() -> PageExamples:
    cost, grad = Public("mse_cost"), Public("mse_cost_grad")
    X, y = np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]]), np.array([1.0, 2.0, 2.0])
    start, fit = np.zeros(2), np.array([2.0 / 3.0, 0.5])  # the least-squares line y = 2/3 + x/2
    worked = WorkedExample(
        "Three points \\((1, 1), (2, 2), (3, 2)\\) with a column of ones for the intercept. "
        "From \\(\\theta = (0, 0)\\) every residual is \\(-y_i\\), so \\(J = (1 + 4 + 4)/6 = 1.5\\) "
        "and \\(\\nabla J = -\\tfrac{1}{3} X^{\\top} y = -\\tfrac{1}{3}(5, 11)\\). At the least-squares "
        "line \\(\\theta = (2/3, 1/2)\\) the gradient vanishes.",
        (
            WorkedValue(r"J(0, 0)", cost(start, X, y), "1.5"),
            WorkedValue(r"\nabla J(0, 0)", grad(start, X, y), "(−1.6667, −3.6667)"),
            WorkedValue(r"\nabla J(2/3, 1/2)", grad(fit, X, y), "(0, 0)"),
        ),
        reference_label="by hand",
    )
    rng = np.random.default_rng(1)
    cases = (
        CheckInput({"theta": start, "X": X, "y": y}, "the three points, θ = (0, 0)"),
        CheckInput(
            {"theta": rng.normal(size=3), "X": rng.normal(size=(6, 3)), "y": rng.normal(size=6)},
            "6 random points, 3 features, random θ (NumPy seed 1)",
        ),
    )
    check = GradientCheck(grad, cost, r"J(\theta)", ("theta",), cases)
    usage = Usage("""
        import numpy as np
        from gradbook.functions import mse_cost, mse_cost_grad

        X = np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]])   # intercept column, then x
        y = np.array([1.0, 2.0, 2.0])
        theta = np.zeros(2)
        for step in range(2001):                             # plain gradient descent
            if step % 500 == 0:
                print(step, theta.round(4), round(float(mse_cost(theta, X, y)), 6))
            theta -= 0.1 * mse_cost_grad(theta, X, y)
    """)
    return PageExamples((worked,), (check,), usage)

