"""The generated NumPy functions: finite differences, worked numbers, shapes, optimisation."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest
from array_libraries import FunctionsOn, library_params
from finite_differences import directional_errors

from gradbook import functions as gb

RNG_SEED = 20261126
SCALES = (0.1, 1.0, 5.0, 30.0)


def _logistic_data(rng, m=12, n=4):
    X = rng.standard_normal((m, n))
    y = (rng.random(m) < 0.5).astype(float)
    return X, y


def _cases():
    """(name, f, grad, x) for every gradient gradbook ships, at several input scales.

    The logit scale is what matters: |z| reaches 30 in each family.
    """
    rng = np.random.default_rng(RNG_SEED)
    for scale in SCALES:
        z = rng.uniform(-scale, scale, size=7)
        yield (f"sigmoid_prime@{scale}", lambda t: float(np.sum(gb.sigmoid(t))), gb.sigmoid_prime, z)

        X, y = _logistic_data(rng)
        theta = rng.standard_normal(4) * scale / 2
        yield (
            f"logistic_cost_grad@{scale}",
            lambda t, X=X, y=y: gb.logistic_cost(t, X, y),
            lambda t, X=X, y=y: gb.logistic_cost_grad(t, X, y),
            theta,
        )

        yield (
            f"logistic_cost_and_grad@{scale}",
            lambda t, X=X, y=y: float(gb.logistic_cost_and_grad(t, X, y)[0]),
            lambda t, X=X, y=y: gb.logistic_cost_and_grad(t, X, y)[1],
            theta,
        )

        x, label, b = rng.standard_normal(5), 1.0, 0.3
        w = rng.standard_normal(5) * scale / 2

        def unit_error(weights, x=x, label=label, b=b):
            return float(gb.log_loss_with_logits(np.array(label), np.array(x @ weights + b)))

        yield (
            f"unit_error_grad_w@{scale}",
            unit_error,
            lambda weights, x=x, label=label, b=b: gb.unit_error_grad(x, label, weights, b)[0],
            w,
        )
        yield (
            f"unit_error_grad_b@{scale}",
            lambda bias, x=x, w=w, label=label: float(
                gb.log_loss_with_logits(np.array(label), x @ w + bias[0])
            ),
            lambda bias, x=x, w=w, label=label: np.array([gb.unit_error_grad(x, label, w, bias[0])[1]]),
            np.array([0.3]),
        )

        scores = rng.uniform(-scale, scale, size=(3, 5))
        labels = rng.dirichlet(np.ones(5), size=3)
        yield (
            f"softmax_cross_entropy_grad@{scale}",
            lambda t, labels=labels: float(np.sum(gb.softmax_cross_entropy(t, labels))),
            lambda t, labels=labels: gb.softmax_cross_entropy_grad(t, labels),
            scores,
        )
        yield (
            f"softmax_cross_entropy_and_grad@{scale}",
            lambda t, labels=labels: float(np.sum(gb.softmax_cross_entropy_and_grad(t, labels)[0])),
            lambda t, labels=labels: gb.softmax_cross_entropy_and_grad(t, labels)[1],
            scores,
        )
        X, _ = _logistic_data(rng)
        weights = rng.standard_normal((4, 5)) * scale / 4
        labels = rng.dirichlet(np.ones(5), size=X.shape[0])
        yield (
            f"softmax_regression_cost_and_grad@{scale}",
            lambda W, X=X, labels=labels: float(gb.softmax_regression_cost_and_grad(W, X, labels)[0]),
            lambda W, X=X, labels=labels: gb.softmax_regression_cost_and_grad(W, X, labels)[1],
            weights,
        )


CASES = list(_cases())


@pytest.mark.parametrize("make_library", library_params())
@pytest.mark.parametrize(("name", "f", "grad", "x"), CASES, ids=[case[0] for case in CASES])
def test_gradient_matches_central_differences(name, f, grad, x, make_library, monkeypatch):
    """On NumPy and on every other array library (tests/array_libraries.py)."""
    monkeypatch.setattr(sys.modules[__name__], "gb", FunctionsOn(make_library()))
    rng = np.random.default_rng(RNG_SEED)
    errors = directional_errors(f, grad, x, rng)
    assert max(errors) < 1e-7, f"{name}: relative errors {errors}"


def test_finite_difference_oracle_catches_a_wrong_gradient():
    rng = np.random.default_rng(RNG_SEED)
    X, y = _logistic_data(rng)

    def missing_one_over_m(theta):
        return gb.logistic_cost_grad(theta, X, y) * X.shape[0]

    errors = directional_errors(lambda t: gb.logistic_cost(t, X, y), missing_one_over_m, np.ones(4), rng)
    assert min(errors) > 1e-2  # far above the 1e-7 a right gradient achieves


# Worked numbers from the reference notes, with expected values computed independently.


def test_sigmoid_at_the_notes_points():
    for z in (0.4, -5.5, 6.5):
        assert gb.sigmoid(z) == pytest.approx(1 / (1 + math.exp(-z)), rel=1e-15)
    assert round(float(gb.sigmoid(0.4)), 6) == 0.598688  # the notes truncate it to 0.5986


def test_softmax_of_the_notes_scores():
    total = math.e**2 + math.e + 1
    expected = [math.e**2 / total, math.e / total, 1 / total]
    assert gb.softmax([2.0, 1.0, 0.0]) == pytest.approx(expected, rel=1e-15)
    assert np.round(gb.softmax([2.0, 1.0, 0.0]), 2).tolist() == [0.67, 0.24, 0.09]


def test_softmax_cross_entropy_of_a_one_hot_row_is_minus_log_p():
    z, y = np.array([2.0, 1.0, 0.0]), np.array([0.0, 1.0, 0.0])
    total = math.e**2 + math.e + 1
    assert gb.softmax_cross_entropy(z, y) == pytest.approx(-math.log(math.e / total), rel=1e-15)


# Shapes and batching.


def test_unit_error_grad_for_one_point_and_for_a_batch():
    rng = np.random.default_rng(RNG_SEED)
    X, y = _logistic_data(rng, m=6, n=3)
    w, b = rng.standard_normal(3), -0.2
    dw, db = gb.unit_error_grad(X, y, w, b)
    assert dw.shape == (6, 3) and db.shape == (6,)
    for row in range(6):
        y_hat = 1 / (1 + math.exp(-(X[row] @ w + b)))
        one_dw, one_db = gb.unit_error_grad(X[row], y[row], w, b)
        assert one_dw == pytest.approx(-(y[row] - y_hat) * X[row], rel=1e-12)
        assert one_db == pytest.approx(-(y[row] - y_hat), rel=1e-12)
        assert dw[row] == pytest.approx(one_dw, rel=1e-15)


def test_softmax_functions_give_one_value_per_row():
    rng = np.random.default_rng(RNG_SEED)
    z = rng.standard_normal((4, 3))
    y = np.eye(3)[[0, 2, 1, 1]]
    assert gb.softmax_cross_entropy(z, y).shape == (4,)
    assert gb.softmax_cross_entropy_grad(z, y).shape == (4, 3)
    assert gb.softmax(z, axis=0).sum(axis=0) == pytest.approx(np.ones(3))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: gb.logistic_cost_grad(np.ones(3), np.ones((4, 2)), np.ones(4)), "theta must have 2"),
        (lambda: gb.logistic_cost(np.ones(2), np.ones((4, 2)), np.ones(5)), "y must have 4"),
        (
            lambda: gb.softmax_cross_entropy_grad(np.ones((2, 3)), np.ones((2, 4)) / 4),
            "y must have the same shape",
        ),
        (lambda: gb.unit_error_grad(np.ones(3), 1.0, np.ones(2), 0.0), "w must have 3"),
    ],
)
def test_mismatched_shapes_name_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_scipy_minimize_with_the_analytic_gradient_reaches_the_same_optimum():
    from scipy.optimize import minimize

    rng = np.random.default_rng(RNG_SEED)
    X = np.column_stack([np.ones(80), rng.standard_normal((80, 2))])
    y = (X @ np.array([0.5, 2.0, -1.0]) + rng.standard_normal(80) > 0).astype(float)
    theta0 = np.zeros(3)
    analytic = minimize(gb.logistic_cost, theta0, args=(X, y), jac=gb.logistic_cost_grad, method="BFGS")
    numeric = minimize(gb.logistic_cost, theta0, args=(X, y), method="BFGS")
    assert analytic.success and numeric.success
    assert analytic.x == pytest.approx(numeric.x, abs=1e-4)
    assert np.linalg.norm(gb.logistic_cost_grad(analytic.x, X, y)) < 1e-5


def test_the_cost_and_gradient_pair_serves_minimize_with_jac_true():
    """minimize(fun, x0, args=(X, y), jac=True) reads fun's value as (cost, gradient); it must
    reach the optimum the separate cost and gradient reach, with the pair's cost and gradient
    equal to the separate functions' at every point it visits."""
    from scipy.optimize import minimize

    rng = np.random.default_rng(RNG_SEED)
    X = np.column_stack([np.ones(200), rng.standard_normal((200, 3))])
    y = (X @ np.array([0.5, 2.0, -1.0, 0.3]) + rng.standard_normal(200) > 0).astype(float)
    visited = []

    def recorded(theta, X, y):
        visited.append(theta.copy())
        return gb.logistic_cost_and_grad(theta, X, y)

    paired = minimize(recorded, np.zeros(4), args=(X, y), jac=True, method="L-BFGS-B")
    separate = minimize(gb.logistic_cost, np.zeros(4), args=(X, y), jac=gb.logistic_cost_grad,
                        method="L-BFGS-B")
    assert paired.success and separate.success
    assert paired.x == pytest.approx(separate.x, abs=1e-6)
    for theta in visited:
        cost, grad = gb.logistic_cost_and_grad(theta, X, y)
        assert cost == pytest.approx(gb.logistic_cost(theta, X, y), rel=1e-14)
        np.testing.assert_allclose(grad, gb.logistic_cost_grad(theta, X, y), rtol=1e-13, atol=1e-16)


def test_the_pairs_equal_their_separate_functions():
    rng = np.random.default_rng(RNG_SEED)
    z, y = rng.normal(scale=8, size=(40, 6)), rng.dirichlet(np.ones(6), size=40)
    losses, gradient = gb.softmax_cross_entropy_and_grad(z, y)
    np.testing.assert_allclose(losses, gb.softmax_cross_entropy(z, y), rtol=1e-14)
    np.testing.assert_allclose(gradient, gb.softmax_cross_entropy_grad(z, y), rtol=1e-14, atol=1e-17)
    W, X = rng.normal(size=(3, 6)), rng.normal(size=(40, 3))
    cost, grad = gb.softmax_regression_cost_and_grad(W, X, y)
    assert cost == pytest.approx(gb.softmax_regression_cost(W, X, y), rel=1e-14)
    np.testing.assert_allclose(grad, gb.softmax_regression_grad(W, X, y), rtol=1e-13, atol=1e-16)


def test_label_rows_outside_zero_one_that_sum_to_one_get_the_exact_gradient():
    """Only Σy = 1 is required by the derivation; the gradient then matches finite differences."""
    rng = np.random.default_rng(RNG_SEED)
    labels = np.array([[1.5, -0.5, 0.0], [0.2, 0.3, 0.5]])
    scores = rng.standard_normal((2, 3))
    errors = directional_errors(
        lambda t: float(np.sum(gb.softmax_cross_entropy(t, labels))),
        lambda t: gb.softmax_cross_entropy_grad(t, labels),
        scores,
        rng,
    )
    assert max(errors) < 1e-7
    p = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    assert gb.softmax_cross_entropy(scores, labels) == pytest.approx(-(labels * np.log(p)).sum(axis=1))


_X = np.array([[0.5, -1.0], [2.0, 0.25], [-0.75, 1.5]])
_SCORES = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]])
_LABELS = np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])
_SOFTMAX_LABELS = np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
#: One valid call of every public function.
SAMPLE_CALLS = {
    "log_loss": (np.array([0.0, 1.0]), np.array([0.3, 0.6])),
    "log_loss_with_logits": (np.array([0.0, 1.0]), np.array([-2.0, 0.5])),
    "logistic_cost": (np.array([0.1, -0.2]), _X, np.array([1.0, 0.0, 1.0])),
    "logistic_cost_grad": (np.array([0.1, -0.2]), _X, np.array([1.0, 0.0, 1.0])),
    "mse_cost": (np.array([0.1, -0.2]), _X, np.array([0.3, -1.0, 2.0])),
    "mse_cost_grad": (np.array([0.1, -0.2]), _X, np.array([0.3, -1.0, 2.0])),
    "relu_prime": (np.array([-1.0, 0.0, 2.0]),),
    "sigmoid": (np.array([-1.0, 0.0, 2.0]),),
    "sigmoid_prime": (np.array([-1.0, 0.0, 2.0]),),
    "softmax": (_SCORES,),
    "softmax_cross_entropy": (_SCORES, _LABELS),
    "softmax_cross_entropy_grad": (_SCORES, _LABELS),
    "softmax_cross_entropy_and_grad": (_SCORES, _LABELS),
    "logistic_cost_and_grad": (np.array([0.1, -0.2]), _X, np.array([1.0, 0.0, 1.0])),
    "softmax_regression_cost_and_grad": (
        np.array([[0.5, -1.0, 0.0], [1.0, 0.0, 2.0]]), _X, _SOFTMAX_LABELS
    ),
    "tanh_prime": (np.array([-1.0, 0.0, 2.0]),),
    "softmax_regression_cost": (np.array([[0.5, -1.0, 0.0], [1.0, 0.0, 2.0]]), _X, _SOFTMAX_LABELS),
    "softmax_regression_grad": (np.array([[0.5, -1.0, 0.0], [1.0, 0.0, 2.0]]), _X, _SOFTMAX_LABELS),
    "unit_error_grad": (_X, np.array([1.0, 0.0, 1.0]), np.array([0.1, -0.2]), np.array(0.3)),
}


def test_every_public_function_calls_exactly_the_kernels_it_declares(monkeypatch):
    """The site links each function to the pages of the kernels it declares: they must be
    the kernels it really calls, found here by calling it with every kernel recording."""
    from gradbook import kernels

    assert sorted(SAMPLE_CALLS) == sorted(gb.__all__)
    called: set[str] = set()
    depth = [0]
    for name, value in list(vars(kernels).items()):
        if callable(value) and getattr(value, "__module__", None) == kernels.__name__:
            monkeypatch.setattr(kernels, name, _recording(name, value, called, depth))
    for name, arguments in SAMPLE_CALLS.items():
        called.clear()
        getattr(gb, name)(*arguments)
        assert called == set(gb.KERNELS_CALLED.get(name, ())), name


def _recording(name, kernel, called, depth):
    """``kernel``, noting its name when called from outside the kernels (a kernel such as
    log_loss_logit calls softplus itself; that call is not the public function's)."""

    def record(*arguments, **options):
        if depth[0] == 0:
            called.add(name.removesuffix("_blocks"))  # a kernel's blocked driver is that kernel
        depth[0] += 1
        try:
            return kernel(*arguments, **options)
        finally:
            depth[0] -= 1

    return record


def test_the_examples_in_the_docstrings_hold():
    """The docstrings' examples are worked by hand (ln 2 for a zero parameter vector, σ(0.4),
    tanh′(0) = 1); the API page shows them, so they must be what the functions return."""
    import doctest

    result = doctest.testmod(gb, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 3
    assert result.failed == 0


def test_the_loss_of_one_row_of_scores_is_a_numpy_scalar():
    """As documented ("a scalar for z of shape (K,)"), like the elementwise functions' values."""
    z, y = np.array([2.0, 1.0, 0.0]), np.array([1.0, 0.0, 0.0])
    assert isinstance(gb.softmax_cross_entropy(z, y), np.float64)
    assert isinstance(gb.softmax_cross_entropy_and_grad(z, y)[0], np.float64)
    assert gb.softmax_cross_entropy(z[np.newaxis], y[np.newaxis]).shape == (1,)
