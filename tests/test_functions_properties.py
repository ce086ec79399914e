"""Identities the functions must satisfy for every input, checked with Hypothesis.

Each identity is a fact of the mathematics (softmax ignores a common shift, the gradient of the
cross-entropy sums to zero, the batch gradient is the mean of the per-point gradients, ...), so a
counterexample is a bug whatever the formula. The runs are derandomized (the same examples every
time) and kept small so the module takes a few seconds.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gradbook import functions as gb

EPS = np.finfo(np.float64).eps
CHECKED = settings(max_examples=60, derandomize=True, database=None, deadline=None)


def reals(bound: float) -> st.SearchStrategy[float]:
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def score_rows(bound: float = 100.0, max_rows: int = 6, max_classes: int = 12):
    """Arrays of shape (n, K), 1 ≤ n ≤ max_rows, 2 ≤ K ≤ max_classes, entries in [−bound, bound]."""
    shapes = st.tuples(st.integers(1, max_rows), st.integers(2, max_classes))
    return shapes.flatmap(lambda shape: arrays(np.float64, shape, elements=reals(bound)))


@st.composite
def scores_and_labels(draw, bound: float = 100.0):
    """(z, y): scores of shape (n, K) and label rows that sum to 1 (one-hot or soft)."""
    z = draw(score_rows(bound))
    weights = draw(arrays(np.float64, z.shape, elements=st.floats(0, 1, allow_subnormal=False)))
    one_hot = np.eye(z.shape[1])[draw(arrays(np.int64, z.shape[0], elements=st.integers(0, z.shape[1] - 1)))]
    weights = np.where(weights.sum(axis=1, keepdims=True) > 0, weights, one_hot)
    y = one_hot if draw(st.booleans()) else weights / weights.sum(axis=1, keepdims=True)
    return z, y


@st.composite
def logistic_problems(draw):
    """(θ, X, y) with 1 ≤ m ≤ 20 points and 1 ≤ n ≤ 6 features; labels in [0, 1]."""
    m, n = draw(st.integers(1, 20)), draw(st.integers(1, 6))
    X = draw(arrays(np.float64, (m, n), elements=reals(10)))
    theta = draw(arrays(np.float64, n, elements=reals(10)))
    y = draw(arrays(np.float64, m, elements=st.sampled_from([0.0, 1.0]) | st.floats(0, 1)))
    return theta, X, y


# Softmax.


@CHECKED
@given(z=score_rows(), shift=reals(100))
def test_softmax_is_unchanged_by_a_common_shift(z, shift):
    # z + shift rounds each score by up to ε·200, which moves p by that much relative.
    np.testing.assert_allclose(gb.softmax(z + shift), gb.softmax(z), rtol=1e-12, atol=1e-300)


@CHECKED
@given(z=score_rows(bound=700))
def test_softmax_rows_are_probabilities_summing_to_one(z):
    p = gb.softmax(z)
    assert np.all((p >= 0) & (p <= 1))
    np.testing.assert_allclose(p.sum(axis=-1), 1, rtol=0, atol=z.shape[-1] * EPS)


@CHECKED
@given(z=score_rows(), axis=st.sampled_from([0, 1, -1, -2]))
def test_softmax_along_an_axis_is_softmax_of_the_moved_axis(z, axis):
    expected = np.moveaxis(gb.softmax(np.moveaxis(z, axis, -1)), -1, axis)
    np.testing.assert_array_equal(gb.softmax(z, axis=axis), expected)


@CHECKED
@given(a=reals(300), b=reals(300))
def test_softmax_of_two_classes_is_the_sigmoid_of_the_score_difference(a, b):
    p = gb.softmax(np.array([a, b]))
    np.testing.assert_allclose(p, gb.sigmoid(np.array([a - b, b - a])), rtol=4 * EPS, atol=0)


# Cross-entropy.


@CHECKED
@given(case=scores_and_labels())
def test_cross_entropy_gradient_sums_to_zero_when_labels_sum_to_one(case):
    z, y = case
    totals = gb.softmax_cross_entropy_grad(z, y).sum(axis=-1)
    np.testing.assert_allclose(totals, 0, rtol=0, atol=4 * z.shape[-1] * EPS)


@CHECKED
@given(case=scores_and_labels())
def test_batched_rows_give_the_same_values_as_row_by_row_calls(case):
    z, y = case
    p, loss, grad = gb.softmax(z), gb.softmax_cross_entropy(z, y), gb.softmax_cross_entropy_grad(z, y)
    for i in range(z.shape[0]):
        np.testing.assert_allclose(p[i], gb.softmax(z[i]), rtol=2 * EPS, atol=0)
        np.testing.assert_allclose(loss[i], gb.softmax_cross_entropy(z[i], y[i]), rtol=2 * EPS, atol=0)
        np.testing.assert_allclose(grad[i], gb.softmax_cross_entropy_grad(z[i], y[i]), rtol=2 * EPS, atol=0)


@CHECKED
@given(
    z=arrays(np.float64, st.tuples(st.integers(1, 6), st.just(2)), elements=reals(30)),
    first=arrays(np.float64, 6, elements=st.floats(0, 1)),
)
def test_cross_entropy_of_two_classes_is_the_log_loss_on_the_score_difference(z, first):
    first = first[: len(z)]
    y = np.column_stack([first, 1 - first])
    expected = gb.log_loss_with_logits(first, z[:, 0] - z[:, 1])
    np.testing.assert_allclose(gb.softmax_cross_entropy(z, y), expected, rtol=1e-13, atol=1e-15)


# Sigmoid.


@CHECKED
@given(z=arrays(np.float64, st.integers(1, 20), elements=reals(40)))
def test_sigmoid_of_minus_z_is_one_minus_sigmoid(z):
    np.testing.assert_allclose(gb.sigmoid(-z), 1 - gb.sigmoid(z), rtol=0, atol=2 * EPS)


@CHECKED
@given(z=arrays(np.float64, st.integers(1, 20), elements=reals(700)))
def test_sigmoid_prime_is_sigmoid_times_sigmoid_of_minus_z(z):
    np.testing.assert_allclose(gb.sigmoid_prime(z), gb.sigmoid(z) * gb.sigmoid(-z), rtol=8 * EPS, atol=0)


# Logistic regression.


@CHECKED
@given(problem=logistic_problems())
def test_batch_gradient_is_the_mean_of_the_per_point_gradients(problem):
    theta, X, y = problem
    dE_dw, _ = gb.unit_error_grad(X, y, theta, 0.0)
    # Each entry of Xᵀr/m is a sum of m terms of size up to |x|: allow a few ε of that.
    scale = np.abs(X).max(initial=1.0)
    np.testing.assert_allclose(
        gb.logistic_cost_grad(theta, X, y), dE_dw.mean(axis=0), rtol=0, atol=4 * len(y) * EPS * scale
    )


@CHECKED
@given(problem=logistic_problems())
def test_logistic_cost_is_the_mean_log_loss_on_the_logits(problem):
    theta, X, y = problem
    expected = np.mean(gb.log_loss_with_logits(y, X @ theta))
    np.testing.assert_allclose(gb.logistic_cost(theta, X, y), expected, rtol=4 * EPS, atol=0)
