"""Every public function at the edges of float64: inputs of ±1e308, ±1.7e308 and the largest
float64 (1.7976931348623157e308), in the same row or array as 0, subnormal and tiny values
(5e−324, 1e−300) and ordinary ones.

Wherever the true value is finite, each call must return finite values without a NaN, a
floating-point error or a warning (overflow, divide and invalid raise; warnings are errors), and
agree with mpmath at 50 digits, computed here from the exact inputs without gradbook's kernels:

* the activations σ, σ′, tanh′ to 4, 8 and 4 ulp, log_loss to 4 ulp, the softmax to 8 ulp;
  an ulp of a subnormal or zero true value is 5e−324, so a value that underflows must be 0 or
  within a few of the smallest subnormals;
* losses, costs and gradients to 32ε·max(1, |true|) (``mixed_errors`` of
  test_functions_accuracy.py): a relative 7e−15 for the large values here, an absolute 7e−15
  for those below 1.

The cost functions get data whose scores Xθ (or XW, or the residuals) reach ±1e308 but whose
mean cost and gradient are finite while the sum over the rows is not: a mean must not overflow
through its sum. The cases whose true value itself exceeds the largest float64 (a loss of
2e308) are tested apart, in ``test_a_true_value_beyond_the_largest_float_is_inf``, where +inf is
the right answer and an overflow is allowed.
"""

from __future__ import annotations

import sys
import warnings

import mpmath
import numpy as np
import pytest
from array_libraries import FunctionsOn, library_params
from test_functions_accuracy import (
    DIGITS,
    Points,
    assert_within,
    mixed_errors,
    true_log_loss,
    true_log_loss_logit,
    true_logit_gradient,
    true_sigmoid,
    true_sigmoid_prime,
)
from test_functions_stability import checked_call

from gradbook import functions as gb


@pytest.fixture(autouse=True, params=library_params(subnormals=True))
def on_each_array_library(request, monkeypatch):
    """Every test here runs on NumPy and on each other array library (tests/array_libraries.py)."""
    monkeypatch.setattr(sys.modules[__name__], "gb", FunctionsOn(request.param()))

mp = mpmath.mp
MAX = float(np.finfo(np.float64).max)
HUGE = [MAX, -MAX, 1.7e308, -1.7e308, 1e308, -1e308]
Z = np.array([*HUGE, 0.0, -0.0, 5e-324, -5e-324, 1e-300, -1e-300, 0.5, -2.0, 30.0, -700.0])
LABELS = (0.0, 1.0, 0.5, 0.25, 1e-300, 5e-324)


# Error measures and references.


def ulps(points: Points) -> np.ndarray:
    """|got − true| / spacing(true), where the spacing of a subnormal or zero value is 5e−324."""
    with mp.workdps(DIGITS):
        return np.array(
            [
                float(abs(mp.mpf(float(got)) - wanted)) / np.spacing(abs(float(wanted)))
                for got, wanted in zip(points.got.ravel(), points.wanted, strict=True)
            ]
        )


def check(points: Points, measure, bar: float, unit: str) -> None:
    """Every value finite and within ``bar`` of the truth."""
    got = np.asarray(points.got, dtype=np.float64).ravel()
    bad = [points.args[i] for i in np.nonzero(~np.isfinite(got))[0]]
    assert not bad, f"non-finite values where the true value is finite: {bad}"
    assert_within(Points(points.args, got, points.wanted), measure, bar, unit)


def true_tanh_prime(z: float) -> mpmath.mpf:
    return 1 / mp.cosh(mp.mpf(z)) ** 2


def exact_products(A: np.ndarray, B: np.ndarray) -> list[list[mpmath.mpf]]:
    """A @ B with every product and sum exact (to 50 digits), A of shape (m, n), B (n, k)."""
    return [
        [mp.fsum(mp.mpf(a) * mp.mpf(b) for a, b in zip(row, column, strict=True)) for column in B.T]
        for row in A
    ]


def true_softmax(t: list[mpmath.mpf]) -> list[mpmath.mpf]:
    top = max(t)
    e = [mp.exp(v - top) for v in t]
    total = mp.fsum(e)
    return [v / total for v in e]


def true_cross_entropy(t: list[mpmath.mpf], y) -> mpmath.mpf:
    """ln Σ e^{t − max} − Σ y (t − max): both terms ≥ 0 for labels in [0, 1], no cancellation."""
    top = max(t)
    shifted = [v - top for v in t]
    return mp.log(mp.fsum(mp.exp(v) for v in shifted)) - mp.fsum(
        mp.mpf(w) * v for w, v in zip(y, shifted, strict=True)
    )


def mean_columns(X: np.ndarray, residuals: list[mpmath.mpf]) -> list[mpmath.mpf]:
    """(1/m) Xᵀr for a residual vector r, exactly."""
    return [mp.fsum(mp.mpf(x) * r for x, r in zip(column, residuals, strict=True)) / len(X) for column in X.T]


# The elementwise functions.

ACTIVATIONS = {
    "sigmoid": (true_sigmoid, 4),
    "sigmoid_prime": (true_sigmoid_prime, 8),
    "tanh_prime": (true_tanh_prime, 4),
}


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activations_at_the_largest_and_smallest_logits(name):
    truth, bar = ACTIVATIONS[name]
    got = checked_call(getattr(gb, name), Z)
    with mp.workdps(DIGITS):
        check(Points([f"{name}({z!r})" for z in Z.tolist()], got, [truth(z) for z in Z]), ulps, bar, "ulp")


def test_relu_prime_at_the_largest_and_smallest_logits_is_exactly_the_step():
    got = checked_call(gb.relu_prime, Z.reshape(4, 4))
    assert got.ravel().tolist() == [1.0 if z > 0 else 0.0 for z in Z.tolist()]


def test_log_loss_at_certain_and_subnormal_probabilities():
    y_hat_values = [0.0, 5e-324, 1e-300, 1e-17, 0.5, 1 - 2.0**-53, 1.0]
    y, y_hat = (grid.ravel() for grid in np.meshgrid(LABELS, y_hat_values, indexing="ij"))
    finite = ~(((y_hat == 0) & (y > 0)) | ((y_hat == 1) & (y < 1)))
    got = checked_call(gb.log_loss, y, y_hat)
    assert np.all(np.isinf(got[~finite]) & (got[~finite] > 0)), "a contradicted certain prediction costs +inf"
    with mp.workdps(DIGITS):
        wanted = [true_log_loss(a, b) for a, b in zip(y[finite], y_hat[finite], strict=True)]
    args = [
        f"log_loss({a!r}, {b!r})" for a, b in zip(y[finite].tolist(), y_hat[finite].tolist(), strict=True)
    ]
    check(Points(args, got[finite], wanted), ulps, 4, "ulp")


def test_log_loss_with_logits_at_the_largest_logits():
    y, z = (grid.ravel() for grid in np.meshgrid(LABELS, Z, indexing="ij"))
    got = checked_call(gb.log_loss_with_logits, y, z)
    with mp.workdps(DIGITS):
        wanted = [true_log_loss_logit(a, b) for a, b in zip(y, z, strict=True)]
    args = [f"log_loss_with_logits({a!r}, {b!r})" for a, b in zip(y.tolist(), z.tolist(), strict=True)]
    check(Points(args, got, wanted), mixed_errors, 32, "eps mixed")


def test_unit_error_grad_with_huge_and_tiny_features():
    x = np.array(
        [
            [1e308, 0.5],
            [-1e308, 1.0],
            [1.7e308, 5e-324],
            [-MAX, 1e-300],
            [5e-324, 1e-300],
            [0.0, 3.0],
            [1e-300, -2.0],
        ]
    )
    y = np.array([0.0, 1.0, 0.5, 1.0, 0.25, 0.0, 1.0])
    w, b = np.array([1.0, 0.25]), 0.5
    dE_dw, dE_db = checked_call(gb.unit_error_grad, x, y, w, b)
    with mp.workdps(DIGITS):
        s = [t + mp.mpf(b) for (t,) in exact_products(x, w[:, np.newaxis])]
        delta = [true_logit_gradient(label, v) for label, v in zip(y, s, strict=True)]
        wanted = [d * mp.mpf(v) for d, row in zip(delta, x, strict=True) for v in row] + delta
    args = [
        f"dE_dw(x={row.tolist()}, y={label})[{j}]" for row, label in zip(x, y, strict=True) for j in (0, 1)
    ]
    args += [f"dE_db(x={row.tolist()}, y={label})" for row, label in zip(x, y, strict=True)]
    check(Points(args, np.concatenate([dE_dw.ravel(), dE_db]), wanted), mixed_errors, 32, "eps mixed")


# Logistic and linear regression: scores and residuals near ±1e308, finite means.

LOGISTIC_DATA = {
    # Two rows cost 1e308 each: the sum of the losses, and of x·(σ(z) − y), is 2e308.
    "opposite scores ±1e308": (
        np.array([1.0, 0.5]),
        np.array([[1e308, 1.0], [-1e308, 1.0], [5e-324, 1.0], [1e-300, -1.0], [0.0, 0.5]]),
        np.array([0.0, 1.0, 1.0, 0.0, 0.25]),
    ),
    "confident at the largest scores": (
        np.array([1.0, -1.0]),
        np.array([[MAX, 0.0], [-1.7e308, 1.0], [1e-300, 1.0]]),
        np.array([1.0, 0.0, 0.5]),
    ),
    "huge weights, ordinary features": (
        np.array([1e308, -1e308]),
        np.array([[1.0, 0.5], [1.0, -0.5], [0.0, 1e-300], [5e-324, 0.0]]),
        np.array([0.0, 1.0, 0.0, 0.5]),
    ),
}


def logistic_truth(theta, X, y) -> list[mpmath.mpf]:
    """[J, ∇J...] exactly: the mean log loss on exact scores and (1/m) Xᵀ(σ(Xθ) − y)."""
    with mp.workdps(DIGITS):
        z = [t for (t,) in exact_products(X, theta[:, np.newaxis])]
        cost = mp.fsum(true_log_loss_logit(a, t) for a, t in zip(y, z, strict=True)) / len(y)
        residuals = [true_logit_gradient(a, t) for a, t in zip(y, z, strict=True)]
        return [cost, *mean_columns(X, residuals)]


def logistic_results(name: str, data) -> np.ndarray:
    if name == "logistic_cost_and_grad":
        cost, grad = checked_call(gb.logistic_cost_and_grad, *data)
    else:
        cost, grad = checked_call(gb.logistic_cost, *data), checked_call(gb.logistic_cost_grad, *data)
    return np.concatenate([[cost], grad])


@pytest.mark.parametrize("function", ["logistic_cost and logistic_cost_grad", "logistic_cost_and_grad"])
@pytest.mark.parametrize("data", list(LOGISTIC_DATA))
def test_logistic_cost_and_gradient_at_scores_near_the_largest_float(function, data):
    theta, X, y = LOGISTIC_DATA[data]
    got = logistic_results(function, (theta, X, y))
    args = [f"cost <{data}>"] + [f"grad[{j}] <{data}>" for j in range(len(theta))]
    check(Points(args, got, logistic_truth(theta, X, y)), mixed_errors, 32, "eps mixed")


MSE_DATA = {
    # Residuals ±1.3e154 square to 1.69e308: the sum of two squares overflows, their mean not.
    "squares near the largest float": (
        np.array([1.0, 0.0]),
        np.array([[1.3e154, 1.0], [-1.3e154, 1.0], [5e-324, 1.0], [1e-300, 2.0]]),
        np.array([0.0, 0.0, 0.5, 1.0]),
    ),
    "features ±1e308, weight 1e-308": (
        np.array([1e-308, 0.5]),
        np.array([[1e308, 1.0], [1e308, 0.0], [0.0, 5e-324], [1e-300, 1.0]]),
        np.array([1.0, -1.0, 0.0, 2.0]),
    ),
}


def mse_truth(theta, X, y) -> list[mpmath.mpf]:
    with mp.workdps(DIGITS):
        r = [
            t - mp.mpf(target)
            for (t,), target in zip(exact_products(X, theta[:, np.newaxis]), y, strict=True)
        ]
        return [mp.fsum(v * v for v in r) / (2 * len(y)), *mean_columns(X, r)]


@pytest.mark.parametrize("data", list(MSE_DATA))
def test_mse_cost_and_gradient_with_residuals_near_the_largest_float(data):
    theta, X, y = MSE_DATA[data]
    got = np.concatenate(
        [[checked_call(gb.mse_cost, theta, X, y)], checked_call(gb.mse_cost_grad, theta, X, y)]
    )
    args = [f"mse_cost <{data}>"] + [f"mse_cost_grad[{j}] <{data}>" for j in range(len(theta))]
    check(Points(args, got, mse_truth(theta, X, y)), mixed_errors, 32, "eps mixed")


@pytest.mark.parametrize(
    ("theta", "X", "y"),
    [([1.0], [[1.5e154]], [0.0]), ([1.0, 1.0], [[1.8e154, 0.5], [-1e154, 0.5]], [0.0, 1.0])],
    ids=["one residual of 1.5e154", "two large residuals"],
)
def test_an_mse_cost_whose_squares_overflow_but_half_their_mean_does_not(theta, X, y):
    """Half the mean square: one residual of 1.5e154 costs 1.125e308, though its square does
    not fit."""
    theta, X, y = (np.array(value) for value in (theta, X, y))
    truth = float(mse_truth(theta, X, y)[0])
    got = float(checked_call(gb.mse_cost, theta, X, y))
    assert abs(got - truth) <= 4 * np.finfo(np.float64).eps * truth


# Softmax rows with scores ±1e308 next to tiny and ordinary ones, and label rows whose loss is
# finite: one-hot on the largest score (loss 0 or tiny), spread labels (loss up to the largest float).

SOFTMAX_ROWS = [
    ([1e308, 0.0, -1e308, 1.0], [[1, 0, 0, 0], [0.5, 0, 0.5, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0.25] * 4]),
    ([1.7e308, -1.7e308, 1e-300, 5e-324], [[1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0.5, 0.5], [0.5, 0.5, 0, 0]]),
    ([MAX, -MAX, 0.0, 1e308], [[1, 0, 0, 0], [0.5, 0.5, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]),
    ([1e308, 1e308, 0.0, -1e308], [[1, 0, 0, 0], [0.5, 0.5, 0, 0], [0, 0, 1, 0]]),
    ([-1e308, 5e-324, 1e-300, 0.5], [[0, 0, 0, 1], [1, 0, 0, 0], [0.25] * 4]),
    ([-MAX, -MAX, -1.7e308, -1e308], [[0, 0, 0, 1], [1, 0, 0, 0], [0.25] * 4]),
    ([MAX, MAX, MAX, MAX], [[1, 0, 0, 0], [0.25] * 4]),
    ([0.0, 5e-324, -1e-300, 1e-300], [[1, 0, 0, 0], [0, 0.5, 0.5, 0]]),
]


def softmax_pairs() -> tuple[np.ndarray, np.ndarray]:
    z = [row for row, labels in SOFTMAX_ROWS for _ in labels]
    y = [label for _, labels in SOFTMAX_ROWS for label in labels]
    return np.array(z), np.array(y, dtype=np.float64)


def test_softmax_of_rows_with_the_largest_scores():
    z = np.array([row for row, _ in SOFTMAX_ROWS])
    got = checked_call(gb.softmax, z)
    with mp.workdps(DIGITS):
        wanted = [p for row in z for p in true_softmax([mp.mpf(v) for v in row])]
    args = [f"softmax({row.tolist()})[{k}]" for row in z for k in range(z.shape[1])]
    check(Points(args, got, wanted), ulps, 8, "ulp")


def softmax_truth(z: np.ndarray, y: np.ndarray) -> tuple[list[mpmath.mpf], list[mpmath.mpf]]:
    """The loss of each row and p − y of each entry, exactly."""
    with mp.workdps(DIGITS):
        t = [[mp.mpf(v) for v in row] for row in z]
        loss = [true_cross_entropy(row, label) for row, label in zip(t, y, strict=True)]
        grad = [
            p - mp.mpf(w)
            for row, label in zip(t, y, strict=True)
            for p, w in zip(true_softmax(row), label, strict=True)
        ]
    return loss, grad


def softmax_results(name: str, z: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if name == "softmax_cross_entropy_and_grad":
        return checked_call(gb.softmax_cross_entropy_and_grad, z, y)
    return checked_call(gb.softmax_cross_entropy, z, y), checked_call(gb.softmax_cross_entropy_grad, z, y)


@pytest.mark.parametrize(
    "function", ["softmax_cross_entropy and softmax_cross_entropy_grad", "softmax_cross_entropy_and_grad"]
)
def test_cross_entropy_and_gradient_of_rows_with_the_largest_scores(function):
    z, y = softmax_pairs()
    loss, grad = softmax_results(function, z, y)
    wanted_loss, wanted_grad = softmax_truth(z, y)
    rows = [f"z={row.tolist()}, y={label.tolist()}" for row, label in zip(z, y, strict=True)]
    check(Points([f"loss({row})" for row in rows], loss, wanted_loss), mixed_errors, 32, "eps mixed")
    args = [f"grad({row})[{k}]" for row in rows for k in range(z.shape[1])]
    check(Points(args, grad, wanted_grad), mixed_errors, 32, "eps mixed")


# Softmax regression: scores XW near ±1e308.

REGRESSION_DATA = {
    # Two rows cost 1e308 each: the sum of the losses is 2e308, the mean 5e307.
    "opposite scores ±1e308": (
        np.array([[1e308, 0.0, -1e308], [1.0, 2.0, 3.0]]),
        np.array([[1.0, 0.0], [-1.0, 5e-324], [0.0, 1.0], [1e-300, 0.5]]),
        np.array([[0, 1, 0], [0, 1, 0], [0, 0, 1], [0.5, 0.5, 0]], dtype=np.float64),
    ),
    # Features 1e308 and −1.7e308: Xᵀ(P − Y) sums 1e308 + 1e308 in its first entry.
    "features near the largest float": (
        np.array([[1.0, 0.0, -1.0]]),
        np.array([[1e308], [1e308], [-1.7e308]]),
        np.array([[0, 1, 0], [0, 1, 0], [0, 1, 0]], dtype=np.float64),
    ),
}


def regression_truth(W, X, Y) -> list[mpmath.mpf]:
    """[J, ∇J row by row] exactly: the mean cross-entropy and (1/m) Xᵀ(P − Y)."""
    with mp.workdps(DIGITS):
        scores = exact_products(X, W)
        cost = mp.fsum(true_cross_entropy(t, y) for t, y in zip(scores, Y, strict=True)) / len(X)
        residual = [
            [p - mp.mpf(w) for p, w in zip(true_softmax(t), y, strict=True)]
            for t, y in zip(scores, Y, strict=True)
        ]
        grad = [
            mean_columns(X[:, [j]], [row[c] for row in residual])[0]
            for j in range(X.shape[1])
            for c in range(W.shape[1])
        ]
        return [cost, *grad]


def regression_results(name: str, data) -> np.ndarray:
    if name == "softmax_regression_cost_and_grad":
        cost, grad = checked_call(gb.softmax_regression_cost_and_grad, *data)
    else:
        cost, grad = (
            checked_call(gb.softmax_regression_cost, *data),
            checked_call(gb.softmax_regression_grad, *data),
        )
    return np.concatenate([[cost], np.ravel(grad)])


@pytest.mark.parametrize(
    "function", ["softmax_regression_cost and softmax_regression_grad", "softmax_regression_cost_and_grad"]
)
@pytest.mark.parametrize("data", list(REGRESSION_DATA))
def test_softmax_regression_at_scores_near_the_largest_float(function, data):
    W, X, Y = REGRESSION_DATA[data]
    got = regression_results(function, (W, X, Y))
    args = [f"cost <{data}>"] + [
        f"grad[{j},{c}] <{data}>" for j in range(W.shape[0]) for c in range(W.shape[1])
    ]
    check(Points(args, got, regression_truth(W, X, Y)), mixed_errors, 32, "eps mixed")


# True values beyond the largest float: +inf is the right answer, and an overflow is allowed.


def calm_overflow_call(function, *args):
    """``function(*args)`` with overflow allowed and divide and invalid raised."""
    with warnings.catch_warnings(), np.errstate(over="ignore", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        return function(*args)


OVERFLOWING = {
    # softmax_cross_entropy: z, y and the true loss.
    "loss 2e308": (np.array([[1e308, 0.0, -1e308, 1.0]]), np.array([[0.0, 0, 1, 0]])),
    "loss 3.4e308": (np.array([[1.7e308, -1.7e308, 1e-300, 5e-324]]), np.array([[0.0, 1, 0, 0]])),
    "loss 2e308 beside ln 2": (np.array([[1e308, 1e308, 0.0, -1e308]]), np.array([[0.0, 0, 0, 1]])),
}


@pytest.mark.parametrize("case", list(OVERFLOWING))
def test_a_true_value_beyond_the_largest_float_is_inf(case):
    """The loss is +inf (never NaN); its gradient p − y is finite and exact all the same."""
    z, y = OVERFLOWING[case]
    wanted_loss, wanted_grad = softmax_truth(z, y)
    assert float(wanted_loss[0]) == np.inf
    assert calm_overflow_call(gb.softmax_cross_entropy, z, y).tolist() == [np.inf]
    loss, grad = calm_overflow_call(gb.softmax_cross_entropy_and_grad, z, y)
    assert loss.tolist() == [np.inf]
    args = [f"grad(z={z[0].tolist()}, y={y[0].tolist()})[{k}]" for k in range(z.shape[1])]
    check(
        Points(args, checked_call(gb.softmax_cross_entropy_grad, z, y), wanted_grad),
        mixed_errors,
        32,
        "eps mixed",
    )
    check(Points(args, grad, wanted_grad), mixed_errors, 32, "eps mixed")


def test_costs_beyond_the_largest_float_are_inf():
    """Mean costs of 2e308 (softmax regression) and 5e599 (squared residuals of 1e300)."""
    W, X, Y = np.array([[1e308, 0.0, -1e308]]), np.ones((2, 1)), np.array([[0.0, 0, 1], [0.0, 0, 1]])
    assert float(regression_truth(W, X, Y)[0]) == np.inf
    assert calm_overflow_call(gb.softmax_regression_cost, W, X, Y) == np.inf
    assert calm_overflow_call(gb.softmax_regression_cost_and_grad, W, X, Y)[0] == np.inf
    # Its gradient is finite: P − Y = (1, 0, −1) in both rows, so ∇J = (1, 0, −1).
    assert checked_call(gb.softmax_regression_grad, W, X, Y).tolist() == [[1.0, 0.0, -1.0]]
    theta, X, y = np.array([1e300]), np.array([[1.0], [-1.0]]), np.array([0.0, 0.0])
    assert float(mse_truth(theta, X, y)[0]) == np.inf
    assert calm_overflow_call(gb.mse_cost, theta, X, y) == np.inf
