"""No NaN, no inf, no floating-point warning wherever the mathematics is finite.

Each public function is called on inputs that break the textbook formulas: logits on a grid over
[−745, 745] including the points where a naive formula's exp overflows (709.78), where 1 − σ(z)
rounds to 0 (36.7) or where e^z becomes subnormal (−745), and logits of ±1e308; softmax rows with
scores a thousand apart and offsets up to ±1e300; logistic-regression data with |Xθ| up to 800.
Every call runs with floating-point errors raised as exceptions and checks that its inputs come
back unchanged.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from gradbook import functions as gb

RNG_SEED = 20261126
CUT_OVERS = (0.0, 18.0, 33.3, 36.7, 37.0, 354.8, 708.4, 709.78, 710.0, 745.0, 745.13)
HUGE = (1e300, 1e308, np.finfo(np.float64).max)
LABELS = (0.0, 0.25, 0.5, 1.0)


def logit_grid() -> np.ndarray:
    """Every order of magnitude up to 745, a 0.25-step grid, the cut-overs and ±1e308."""
    magnitudes = np.concatenate([np.logspace(-20, np.log10(745), 400), CUT_OVERS, HUGE])
    grid = np.arange(-745.0, 745.0 + 0.125, 0.25)
    return np.unique(np.concatenate([grid, magnitudes, -magnitudes, [5e-324, -5e-324]]))


Z = logit_grid()


def checked_call(function, *args, **kwargs):
    """``function(*args)`` with floating-point errors raised, checking that no argument changed."""
    before = [np.array(arg, copy=True) for arg in args]
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        result = function(*args, **kwargs)
    for index, (arg, copy) in enumerate(zip(args, before, strict=True)):
        assert np.array_equal(np.asarray(arg), copy, equal_nan=True), (
            f"{function.__name__} modified argument {index}"
        )
    return result


def assert_finite(name: str, inputs: np.ndarray, values: np.ndarray) -> None:
    bad = ~np.isfinite(values)
    if np.any(bad):
        where = np.nonzero(bad.reshape(len(inputs), -1).any(axis=1))[0]
        points = ", ".join(f"{inputs[i]!r} => {values.reshape(len(inputs), -1)[i]}" for i in where[:20])
        raise AssertionError(f"{name}: {len(where)} non-finite outputs: {points}")


# Elementwise functions of a logit.

#: The functions of one logit whose values lie in [0, 1].
ELEMENTWISE = [gb.sigmoid, gb.sigmoid_prime, gb.tanh_prime, gb.relu_prime]


@pytest.mark.parametrize("function", ELEMENTWISE, ids=lambda f: f.__name__)
def test_elementwise_functions_of_a_logit_are_finite_for_every_logit(function):
    values = checked_call(function, Z)
    assert_finite(function.__name__, Z, values)
    assert np.all((values >= 0) & (values <= 1))


def test_sigmoid_saturates_to_exactly_zero_and_one():
    assert checked_call(gb.sigmoid, np.array([-1e308, 1e308])).tolist() == [0.0, 1.0]
    assert checked_call(gb.sigmoid_prime, np.array([-1e308, 1e308])).tolist() == [0.0, 0.0]


@pytest.mark.parametrize("label", LABELS)
def test_log_loss_with_logits_is_finite_and_nonnegative_for_every_logit(label):
    y = np.full_like(Z, label)
    loss = checked_call(gb.log_loss_with_logits, y, Z)
    assert_finite(f"log_loss_with_logits(y={label})", Z, loss)
    assert np.all(loss >= 0)


@pytest.mark.parametrize("label", LABELS)
def test_unit_error_grad_is_finite_for_every_logit(label):
    # x = z, w = 1, b = 0 makes the unit's logit x·w + b exactly z.
    x, y = Z[:, np.newaxis], np.full_like(Z, label)
    dE_dw, dE_db = checked_call(gb.unit_error_grad, x, y, np.array([1.0]), np.float64(0.0))
    assert_finite(f"unit_error_grad dE_dw (y={label})", Z, dE_dw)
    assert_finite(f"unit_error_grad dE_db (y={label})", Z, dE_db)
    assert np.all(np.abs(dE_db) <= 1)


# Softmax rows with a wide spread and huge offsets.


def softmax_rows(classes: int) -> list[np.ndarray]:
    """Rows of ``classes`` scores spread over 1000, shifted by offsets up to ±1e300."""
    rng = np.random.default_rng(RNG_SEED + classes)
    spread = np.concatenate([[-500.0, 500.0], rng.uniform(-500, 500, classes - 2)])
    offsets = (0.0, 700.0, -800.0, 1e4, -1e4, 1e150, -1e150, 1e300, -1e300)
    return [offset + spread for offset in offsets]


def label_rows(classes: int) -> list[np.ndarray]:
    """One-hot on the largest score, on the smallest score, uniform, and a soft random row."""
    rng = np.random.default_rng(RNG_SEED - classes)
    return [
        np.eye(classes)[1],
        np.eye(classes)[0],
        np.full(classes, 1 / classes),
        rng.dirichlet(np.ones(classes)),
    ]


CLASSES = (2, 3, 10, 100, 1000)


@pytest.mark.parametrize("classes", CLASSES)
def test_softmax_is_finite_and_sums_to_one_for_wide_and_shifted_rows(classes):
    z = np.stack(softmax_rows(classes))
    p = checked_call(gb.softmax, z)
    assert_finite("softmax", z, p)
    assert np.allclose(p.sum(axis=-1), 1, rtol=0, atol=classes * 1e-15)
    p_columns = checked_call(gb.softmax, z.T, axis=0)
    assert_finite("softmax(axis=0)", z, p_columns.T)


@pytest.mark.parametrize("classes", CLASSES)
def test_softmax_cross_entropy_and_gradient_are_finite_for_wide_and_shifted_rows(classes):
    for y in label_rows(classes):
        z = np.stack(softmax_rows(classes))
        y_batch = np.broadcast_to(y, z.shape).copy()
        loss = checked_call(gb.softmax_cross_entropy, z, y_batch)
        grad = checked_call(gb.softmax_cross_entropy_grad, z, y_batch)
        assert_finite("softmax_cross_entropy", z, loss)
        assert_finite("softmax_cross_entropy_grad", z, grad)
        assert np.all(loss >= 0)
        assert np.all(np.abs(grad) <= 1 + 1e-15)
        for row in z:
            assert np.isfinite(checked_call(gb.softmax_cross_entropy, row, y))
            assert_finite(
                "softmax_cross_entropy_grad (one row)",
                row[np.newaxis],
                checked_call(gb.softmax_cross_entropy_grad, row, y)[np.newaxis],
            )


# Logistic regression with confident predictions.


@pytest.mark.parametrize("largest_logit", [1.0, 36.7, 100.0, 709.78, 710.0, 745.0, 800.0])
def test_logistic_cost_and_gradient_are_finite_up_to_large_logits(largest_logit):
    rng = np.random.default_rng(RNG_SEED)
    X = rng.standard_normal((64, 5))
    y = (rng.random(64) < 0.5).astype(float)
    theta = rng.standard_normal(5)
    theta *= largest_logit / np.max(np.abs(X @ theta))
    for labels in (y, 1 - y, (X @ theta > 0).astype(float), np.full(64, 0.25)):
        cost = checked_call(gb.logistic_cost, theta, X, labels)
        grad = checked_call(gb.logistic_cost_grad, theta, X, labels)
        assert np.isfinite(cost) and cost >= 0
        assert np.all(np.isfinite(grad))


# log_loss on probabilities: xlogy semantics.


def test_log_loss_is_zero_when_a_certain_prediction_matches_the_label():
    y = np.array([0.0, 1.0])
    assert checked_call(gb.log_loss, y, y.copy()).tolist() == [0.0, 0.0]


def test_log_loss_is_infinite_only_when_a_certain_prediction_contradicts_the_label():
    y = np.array([0.0, 1.0, 0.25, 0.25])
    y_hat = np.array([1.0, 0.0, 0.0, 1.0])
    assert checked_call(gb.log_loss, y, y_hat).tolist() == [np.inf] * 4


def test_log_loss_is_finite_and_never_nan_for_every_probability():
    tiny = np.array([0.0, 5e-324, 1e-310, 1e-300, 1e-200, 1e-100, 1e-20, 1e-10, 1e-5, 0.25, 0.5])
    p = np.unique(np.concatenate([tiny, 1 - tiny, [1 - 2.0**-53, 1.0]]))
    y, y_hat = (grid.ravel() for grid in np.meshgrid(p, p, indexing="ij"))
    loss = checked_call(gb.log_loss, y, y_hat)
    assert not np.any(np.isnan(loss))
    certain_and_wrong = ((y_hat == 0) & (y > 0)) | ((y_hat == 1) & (y < 1))
    assert np.all(np.isinf(loss) == certain_and_wrong)
    assert np.all(loss[~certain_and_wrong] >= 0)


# float32 stays float32 and does not overflow.


F32_MAX = float(np.finfo(np.float32).max)


def float32_logits() -> np.ndarray:
    magnitudes = np.concatenate(
        [np.logspace(-20, np.log10(745), 100), CUT_OVERS, [88.7, 89.0, 104.0, F32_MAX]]
    )
    return np.unique(np.concatenate([magnitudes, -magnitudes])).astype(np.float32)


@pytest.mark.parametrize("function", ELEMENTWISE, ids=lambda f: f.__name__)
def test_float32_elementwise_functions_stay_float32_and_finite(function):
    z = float32_logits()
    values = checked_call(function, z)
    assert values.dtype == np.float32
    assert_finite(function.__name__, z, values)


def test_float32_log_loss_functions_stay_float32_and_finite():
    z = float32_logits()
    for label in LABELS:
        y = np.full_like(z, label)
        loss = checked_call(gb.log_loss_with_logits, y, z)
        assert loss.dtype == np.float32
        assert_finite("log_loss_with_logits (float32)", z, loss)
        dE_dw, dE_db = checked_call(
            gb.unit_error_grad, z[:, np.newaxis], y, np.ones(1, np.float32), np.float32(0)
        )
        assert dE_dw.dtype == dE_db.dtype == np.float32
        assert_finite("unit_error_grad (float32)", z, dE_db)
    y_hat = np.array([0, 1e-30, 0.5, 1], dtype=np.float32)
    loss = checked_call(gb.log_loss, np.full_like(y_hat, 0.5), y_hat)
    assert loss.dtype == np.float32
    assert np.isfinite(loss).tolist() == [False, True, True, False]


def test_float32_softmax_functions_stay_float32_and_finite():
    for classes in (2, 100):
        z = np.stack([row for row in softmax_rows(classes) if np.all(np.abs(row) < 1e30)]).astype(np.float32)
        y = np.broadcast_to(np.eye(classes, dtype=np.float32)[0], z.shape).copy()
        for function, args in (
            (gb.softmax, (z,)),
            (gb.softmax_cross_entropy, (z, y)),
            (gb.softmax_cross_entropy_grad, (z, y)),
        ):
            values = checked_call(function, *args)
            assert values.dtype == np.float32, function.__name__
            assert_finite(f"{function.__name__} (float32)", z, values)


def test_float32_logistic_cost_and_gradient_stay_float32_and_finite():
    rng = np.random.default_rng(RNG_SEED)
    X = rng.standard_normal((64, 5)).astype(np.float32)
    y = (rng.random(64) < 0.5).astype(np.float32)
    theta = rng.standard_normal(5)
    theta = (theta * 800 / np.max(np.abs(X @ theta))).astype(np.float32)
    cost = checked_call(gb.logistic_cost, theta, X, y)
    grad = checked_call(gb.logistic_cost_grad, theta, X, y)
    assert np.asarray(cost).dtype == np.float32 and np.isfinite(cost)
    assert grad.dtype == np.float32 and np.all(np.isfinite(grad))


def test_a_float16_mse_cost_whose_square_overflows_but_half_of_it_does_not():
    """A float16 residual of 300 costs 45 000, though its square, 90 000, is beyond float16."""
    theta, X, y = np.ones(1, np.float16), np.array([[300.0]], np.float16), np.zeros(1, np.float16)
    got = checked_call(gb.mse_cost, theta, X, y)
    assert got.dtype == np.float16 and got == np.float16(45_000)
