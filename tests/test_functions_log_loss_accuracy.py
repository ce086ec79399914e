"""log_loss on probabilities within 4 ulp of mpmath in both tails, in float64 and float32.

The predictions ŷ are log-spaced from the smallest normal number up to 1/2 and, mirrored, from
1/2 up to 1 − 2⁻⁵³ (1 − 2⁻²⁴ in float32), so that both ln ŷ near 0 and ln(1 − ŷ) near 1 are
exercised at every order of magnitude; the labels are 0, 1 and fractions down to 1e−300 and up
to 1 − 1e−12. The true values come from ``true_log_loss`` of test_functions_accuracy.py: mpmath
at 50 digits from the exact inputs, with ln(1 − ŷ) as log1p(−ŷ) so that mpmath does not cancel.
The error is counted in ulp of the result's own dtype, only where the true value is a normal
number of that dtype.

Why 4 ulp is reachable: both terms −y ln ŷ and −(1 − y) ln(1 − ŷ) are ≥ 0, so their sum does
not cancel, and each term is a correctly rounded factor times a logarithm within about one ulp.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from test_functions_accuracy import DIGITS, Points, assert_within, true_log_loss

from gradbook import functions as gb

mp = mpmath.mp
POINTS_PER_TAIL = 160
LABELS = {
    np.float64: (0.0, 1.0, 0.25, 0.5, 0.1, 1e-12, 1 - 1e-12, 1e-300),
    np.float32: (0.0, 1.0, 0.25, 0.5, 0.1, 1e-12, 1e-6, 1 - 1e-6, 1e-30),
}
DTYPES = {"float64": np.float64, "float32": np.float32}


def tail_probabilities(dtype) -> np.ndarray:
    """ŷ log-spaced over both tails of (0, 1) in ``dtype``: tiny … 1/2 … 1 − eps/2."""
    info = np.finfo(dtype)
    low, high = float(info.tiny), 1 - float(info.epsneg)
    small = np.logspace(math.log10(low), math.log10(0.5), POINTS_PER_TAIL)
    gaps = np.logspace(math.log10(float(info.epsneg)), math.log10(0.5), POINTS_PER_TAIL)
    p = np.concatenate([small, 1 - gaps, [low, high]]).astype(dtype)
    return np.unique(np.clip(p, dtype(low), dtype(high)))


def ulp_errors_in(dtype):
    """The measure |got − true| / spacing(true) in ``dtype``, defined where true is normal there."""
    tiny = float(np.finfo(dtype).tiny)

    def measure(points: Points) -> np.ndarray:
        with mp.workdps(DIGITS):
            errors = []
            for got, wanted in zip(points.got.ravel(), points.wanted, strict=True):
                true = float(wanted)
                if not tiny <= abs(true) < float(np.finfo(dtype).max):
                    errors.append(np.nan)
                    continue
                spacing = float(np.spacing(dtype(abs(true))))
                errors.append(float(abs(mp.mpf(float(got)) - wanted)) / spacing)
        return np.array(errors)

    return measure


def log_loss_points(label: float, dtype) -> Points:
    y_hat = tail_probabilities(dtype)
    y = np.full_like(y_hat, label)
    got = gb.log_loss(y, y_hat)
    assert got.dtype == dtype
    with mp.workdps(DIGITS):
        wanted = [true_log_loss(float(a), float(b)) for a, b in zip(y, y_hat, strict=True)]
    args = [f"log_loss({dtype.__name__}({float(y[0])!r}), {float(b)!r})" for b in y_hat]
    return Points(args, got, wanted)


@pytest.mark.parametrize(
    ("dtype", "label"),
    [(dtype, label) for dtype in (np.float64, np.float32) for label in LABELS[dtype]],
    ids=lambda value: value.__name__ if isinstance(value, type) else repr(value),
)
def test_log_loss_within_4_ulp_over_both_tails(dtype, label):
    points = log_loss_points(label, dtype)
    assert_within(points, ulp_errors_in(dtype), 4, f"ulp ({dtype.__name__})")


def test_the_grid_reaches_the_smallest_normal_number_and_one_minus_half_an_epsilon():
    for dtype in (np.float64, np.float32):
        p = tail_probabilities(dtype)
        assert p[0] == np.finfo(dtype).tiny
        assert p[-1] == 1 - np.finfo(dtype).epsneg
        assert np.all(np.diff(p) > 0)


def test_a_tiny_prediction_against_label_zero_costs_the_prediction_itself():
    # −ln(1 − p) = p + p²/2 + …: for p = 1e−17 the second term is below half an ulp of p.
    assert gb.log_loss(0.0, 1e-17) == 1e-17
    assert gb.log_loss(np.float32(0), np.float32(1e-10)) == np.float32(1e-10)
    assert gb.log_loss(np.zeros(1), np.full(1, 2.0**-1022)).tolist() == [2.0**-1022]


def test_a_prediction_half_an_epsilon_below_one_against_label_one_costs_half_an_epsilon():
    # −ln(1 − u) = u + u²/2 + … with u = 2⁻⁵³ (2⁻²⁴ in float32): the second term is a relative
    # u/2, below half an ulp, so the loss is u to within the logarithm's own error (an ulp or two).
    for dtype, u in ((np.float64, 2.0**-53), (np.float32, 2.0**-24)):
        loss = gb.log_loss(dtype(1), dtype(1 - u))
        assert loss.dtype == dtype and abs(float(loss) - u) <= 2 * np.spacing(dtype(u)), (dtype, loss)


def test_a_float32_label_beside_a_float64_prediction_is_computed_in_float64():
    # y ln 2 + (1 − y) ln 2 = ln 2 for every y; 1 − y rounded in float32 would give ln 2 (1 + 2⁻³⁰).
    y = np.array([2.0**-30, 1e-12, 0.1, 1 - 2.0**-24], dtype=np.float32)
    loss = gb.log_loss(y, np.full(4, 0.5))
    assert loss.dtype == np.float64
    assert np.all(np.abs(loss - math.log(2)) <= 2 * np.spacing(math.log(2))), loss - math.log(2)


@pytest.mark.parametrize("name", list(DTYPES))
def test_certain_predictions_follow_zero_log_zero_without_a_warning(name):
    dtype = DTYPES[name]
    y = np.array([0, 1, 0, 1, 0.25, 0.25, 0, 1], dtype=dtype)
    y_hat = np.array([0, 1, 1, 0, 0, 1, 0.5, 0.5], dtype=dtype)
    with np.errstate(all="raise"):
        loss = gb.log_loss(y, y_hat)
    assert loss.dtype == dtype
    assert loss[:6].tolist() == [0.0, 0.0, np.inf, np.inf, np.inf, np.inf]
    assert np.all(np.abs(loss[6:] - math.log(2)) <= 2 * np.spacing(dtype(math.log(2))))


def test_a_scalar_gives_a_scalar_and_zero_log_zero_holds_for_scalars():
    assert np.ndim(gb.log_loss(0.0, 0.0)) == 0 and gb.log_loss(0.0, 0.0) == 0
    assert np.ndim(gb.log_loss(1.0, 1.0)) == 0 and gb.log_loss(1.0, 1.0) == 0
    assert np.ndim(gb.log_loss(0.5, 0.25)) == 0


def test_nan_still_propagates_next_to_a_certain_prediction():
    with np.errstate(all="raise"):
        loss = gb.log_loss(np.array([np.nan, 0.0, np.nan]), np.array([0.0, np.nan, 1.0]))
    assert np.isnan(loss).tolist() == [True, True, True]
