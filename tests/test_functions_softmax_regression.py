"""softmax_regression_cost and softmax_regression_grad against references that share no code
with them: central finite differences of the cost, the cost in 50-digit mpmath, a plain loop over
points and classes, logistic regression (the two-class case), and values worked out by hand.

Bad input is in test_functions_bad_input.py with that of every other public function.
"""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gradbook import functions as gb

EPS = np.finfo(np.float64).eps
SEED = 20260412
#: (m, n, K): one point, one feature and two classes included.
SHAPES = ((1, 1, 2), (3, 2, 3), (5, 4, 2), (8, 3, 6), (20, 5, 4))
SCALES = (0.1, 1.0, 5.0, 30.0)


def problem(shape, scale, soft, seed=SEED):
    """(W, X, Y): standard normal data, weights of the given scale, one-hot or soft label rows."""
    m, n, K = shape
    rng = np.random.default_rng([seed, m, n, K, int(scale * 10), soft])
    X = rng.standard_normal((m, n))
    W = rng.standard_normal((n, K)) * scale
    Y = rng.dirichlet(np.ones(K), size=m) if soft else np.eye(K)[rng.integers(0, K, size=m)]
    return W, X, Y


def loop_cost_and_grad(W, X, Y):
    """The definitions written as loops in Python floats: scores, softmax, cross-entropy, and
    ∂J/∂W_jc = (1/m) Σᵢ X_ij (P_ic − Y_ic). No shift: the inputs here keep exp finite."""
    m, n, K = len(X), len(W), len(W[0])
    cost, grad = 0.0, [[0.0] * K for _ in range(n)]
    for i in range(m):
        scores = [sum(X[i][k] * W[k][c] for k in range(n)) for c in range(K)]
        total = sum(math.exp(score) for score in scores)
        P = [math.exp(score) / total for score in scores]
        cost -= sum(Y[i][c] * math.log(P[c]) for c in range(K)) / m
        for j in range(n):
            for c in range(K):
                grad[j][c] += X[i][j] * (P[c] - Y[i][c]) / m
    return cost, np.array(grad)


def mpmath_cost(W, X, Y, digits=50):
    """J(W) = −(1/m) Σᵢ Σ_c Y_ic ln P_ic from the float inputs, exactly to ``digits`` digits."""
    with mpmath.workdps(digits):
        total = mpmath.mpf(0)
        for x_row, y_row in zip(X.tolist(), Y.tolist(), strict=True):
            scores = [mpmath.fsum(mpmath.mpf(x) * mpmath.mpf(w) for x, w in zip(x_row, column, strict=True))
                      for column in W.T.tolist()]
            log_total = mpmath.log(mpmath.fsum(mpmath.exp(score) for score in scores))
            losses = (mpmath.mpf(y) * (log_total - score) for y, score in zip(y_row, scores, strict=True))
            total += mpmath.fsum(losses)
        return total / len(X)


def central_differences(W, X, Y):
    """(J(W + hE_jc) − J(W − hE_jc)) / 2h for every entry, with h balancing truncation and rounding."""
    h = np.cbrt(EPS) * max(1.0, float(np.max(np.abs(W))))
    grad = np.empty_like(W)
    for position in np.ndindex(W.shape):
        up, down = W.copy(), W.copy()
        up[position] += h
        down[position] -= h
        grad[position] = (gb.softmax_regression_cost(up, X, Y) - gb.softmax_regression_cost(down, X, Y)) / (
            up[position] - down[position]
        )
    return grad


# -- against independent references ---------------------------------------------------------------


@pytest.mark.parametrize("soft", [False, True], ids=["one-hot", "soft"])
@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("shape", SHAPES, ids=lambda shape: "m{}-n{}-K{}".format(*shape))
def test_gradient_matches_central_differences(shape, scale, soft):
    W, X, Y = problem(shape, scale, soft)
    grad, numeric = gb.softmax_regression_grad(W, X, Y), central_differences(W, X, Y)
    assert grad.shape == W.shape
    # The differences are accurate to about ε^(2/3) of the cost's size and slope.
    tolerance = 1e-6 * max(1.0, float(gb.softmax_regression_cost(W, X, Y)), float(np.max(np.abs(grad))))
    np.testing.assert_allclose(grad, numeric, rtol=0, atol=tolerance)


def test_central_differences_catch_a_wrong_gradient():
    """The oracle above can fail: the gradient without its 1/m, or with P and Y swapped, is refused."""
    W, X, Y = problem((5, 3, 4), 1.0, soft=True)
    numeric = central_differences(W, X, Y)
    for wrong in (gb.softmax_regression_grad(W, X, Y) * 5, -gb.softmax_regression_grad(W, X, Y)):
        assert np.max(np.abs(wrong - numeric)) > 1e-3


@pytest.mark.parametrize("soft", [False, True], ids=["one-hot", "soft"])
@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("shape", SHAPES, ids=lambda shape: "m{}-n{}-K{}".format(*shape))
def test_cost_matches_mpmath_at_50_digits(shape, scale, soft):
    W, X, Y = problem(shape, scale, soft)
    wanted = float(mpmath_cost(W, X, Y))
    # X @ W rounds each score by about ε Σₖ |X_ik W_kc|, and J moves by at most that much.
    rounding = float(np.max(np.abs(X) @ np.abs(W)))
    assert abs(gb.softmax_regression_cost(W, X, Y) - wanted) <= 16 * EPS * max(1.0, abs(wanted), rounding)


@pytest.mark.parametrize("soft", [False, True], ids=["one-hot", "soft"])
@pytest.mark.parametrize("shape", SHAPES, ids=lambda shape: "m{}-n{}-K{}".format(*shape))
def test_cost_and_gradient_match_a_plain_loop(shape, soft):
    W, X, Y = problem(shape, 1.0, soft)
    cost, grad = loop_cost_and_grad(W.tolist(), X.tolist(), Y.tolist())
    assert gb.softmax_regression_cost(W, X, Y) == pytest.approx(cost, rel=1e-12)
    np.testing.assert_allclose(gb.softmax_regression_grad(W, X, Y), grad, rtol=1e-10, atol=1e-14)


def test_the_worked_example_at_zero_weights_by_hand():
    """At W = 0 every P_ic is 1/3, J = ln 3 and ∇J = (1/3) Xᵀ(1/3 − Y), in fractions."""
    X = np.array([[1.0, 2.0], [1.0, -1.0], [1.0, 0.0]])
    Y = np.eye(3)
    assert gb.softmax_regression_cost(np.zeros((2, 3)), X, Y) == pytest.approx(math.log(3), rel=1e-15)
    by_hand = [[Fraction(0)] * 3, [Fraction(-5, 9), Fraction(4, 9), Fraction(1, 9)]]
    np.testing.assert_allclose(
        gb.softmax_regression_grad(np.zeros((2, 3)), X, Y), np.array(by_hand, dtype=float), atol=1e-15
    )


# -- two classes are logistic regression ----------------------------------------------------------


@pytest.mark.parametrize("labels", ["hard", "soft"])
def test_two_classes_with_the_second_column_at_zero_are_logistic_regression(labels):
    """With W = [θ, 0]: P_i1 = σ(x_i·θ), so J is the logistic cost of θ, the first column of ∇J
    its gradient (1/m) Xᵀ(σ(Xθ) − y), and the second column minus that (P_i2 − Y_i2 = y_i − σ)."""
    rng = np.random.default_rng(SEED)
    X, theta = rng.standard_normal((9, 3)), rng.standard_normal(3) * 2
    y = rng.integers(0, 2, size=9).astype(float) if labels == "hard" else rng.random(9)
    W, Y = np.column_stack([theta, np.zeros(3)]), np.column_stack([y, 1 - y])
    assert gb.softmax_regression_cost(W, X, Y) == pytest.approx(gb.logistic_cost(theta, X, y), rel=1e-13)
    grad, logistic = gb.softmax_regression_grad(W, X, Y), gb.logistic_cost_grad(theta, X, y)
    np.testing.assert_allclose(grad[:, 0], logistic, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(grad[:, 1], -logistic, rtol=1e-12, atol=1e-15)


def test_two_classes_depend_only_on_the_difference_of_the_columns():
    """P_i1 = σ(x_i·(W_:1 − W_:2)): any two-class model is logistic regression with θ = W_:1 − W_:2."""
    rng = np.random.default_rng(SEED + 1)
    X, W = rng.standard_normal((7, 2)), rng.standard_normal((2, 2))
    y = rng.integers(0, 2, size=7).astype(float)
    theta = W[:, 0] - W[:, 1]
    Y = np.column_stack([y, 1 - y])
    assert gb.softmax_regression_cost(W, X, Y) == pytest.approx(gb.logistic_cost(theta, X, y), rel=1e-13)


# -- identities ----------------------------------------------------------------------------------

CHECKED = settings(max_examples=40, derandomize=True, database=None, deadline=None)


@st.composite
def problems(draw):
    """(W, X, Y) with 1 ≤ m ≤ 8, 1 ≤ n ≤ 4, 2 ≤ K ≤ 5, entries up to 10, soft label rows."""
    m, n, K = draw(st.integers(1, 8)), draw(st.integers(1, 4)), draw(st.integers(2, 5))
    entries = st.floats(-10, 10, allow_nan=False, allow_subnormal=False)
    W = draw(arrays(np.float64, (n, K), elements=entries))
    X = draw(arrays(np.float64, (m, n), elements=entries))
    weights = draw(arrays(np.float64, (m, K), elements=st.floats(0.01, 1)))
    return W, X, weights / weights.sum(axis=1, keepdims=True)


@CHECKED
@given(case=problems(), shift=st.floats(-10, 10, allow_subnormal=False))
def test_adding_one_column_to_every_column_of_w_changes_nothing(case, shift):
    """W + v𝟙ᵀ adds xᵢ·v to every score of point i, which the softmax ignores."""
    W, X, Y = case
    moved = W + np.full((W.shape[0], 1), shift)
    scale = max(1.0, float(np.max(np.abs(X) @ np.abs(moved))))
    assert gb.softmax_regression_cost(moved, X, Y) == pytest.approx(
        gb.softmax_regression_cost(W, X, Y), abs=64 * EPS * scale
    )
    np.testing.assert_allclose(
        gb.softmax_regression_grad(moved, X, Y), gb.softmax_regression_grad(W, X, Y),
        atol=64 * EPS * scale * max(1.0, float(np.max(np.abs(X)))),
    )


@CHECKED
@given(case=problems())
def test_every_row_of_the_gradient_sums_to_zero_over_the_classes(case):
    """(Xᵀ(P − Y))𝟙 = Xᵀ((P − Y)𝟙) = 0: the rows of P and of Y both sum to one."""
    W, X, Y = case
    grad = gb.softmax_regression_grad(W, X, Y)
    assert np.all(np.abs(grad.sum(axis=1)) <= 16 * EPS * max(1.0, float(np.max(np.abs(X)))) * W.shape[1])


# -- extreme scores ----------------------------------------------------------------------------


EXTREME_X = np.array([[1.0], [1.0], [-1.0], [0.5]])
EXTREME_W = np.array([[1e300, -1e300, 0.0]])


@pytest.mark.parametrize(
    "Y",
    [
        np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]),
        np.array([[0.5, 0.5, 0.0], [0.2, 0.3, 0.5], [0.0, 0.0, 1.0], [0.25, 0.25, 0.5]]),
    ],
    ids=["one-hot", "soft"],
)
def test_scores_of_plus_minus_1e300_give_the_exact_finite_cost_and_gradient(Y):
    """Scores ±1e300 (and ±5e299): exp overflows unless each row is shifted by its largest score."""
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        cost = gb.softmax_regression_cost(EXTREME_W, EXTREME_X, Y)
        grad = gb.softmax_regression_grad(EXTREME_W, EXTREME_X, Y)
    assert cost == pytest.approx(float(mpmath_cost(EXTREME_W, EXTREME_X, Y)), rel=1e-15)
    # P is one-hot on the largest score of each row (the others are e^(−1e300) away): P − Y by hand.
    largest = np.eye(3)[np.argmax(EXTREME_X @ EXTREME_W, axis=1)]
    np.testing.assert_allclose(grad, EXTREME_X.T @ (largest - Y) / 4, rtol=1e-15)


def test_a_confident_right_prediction_costs_nothing_and_a_wrong_one_its_margin():
    X, W = np.array([[1.0]]), np.array([[1000.0, 0.0]])
    assert gb.softmax_regression_cost(W, X, np.array([[1.0, 0.0]])) == 0.0
    assert gb.softmax_regression_cost(W, X, np.array([[0.0, 1.0]])) == pytest.approx(1000.0, rel=1e-15)


# -- dtypes and inputs ---------------------------------------------------------------------------


def test_float32_in_gives_float32_out_close_to_float64():
    W, X, Y = problem((6, 3, 4), 1.0, soft=True)
    W32, X32, Y32 = (array.astype(np.float32) for array in (W, X, Y))
    cost, grad = gb.softmax_regression_cost(W32, X32, Y32), gb.softmax_regression_grad(W32, X32, Y32)
    assert cost.dtype == np.float32 and grad.dtype == np.float32
    wanted_cost = float(mpmath_cost(W32.astype(np.float64), X32.astype(np.float64), Y32.astype(np.float64)))
    assert float(cost) == pytest.approx(wanted_cost, rel=1e-5)
    _, wanted_grad = loop_cost_and_grad(*(array.astype(np.float64).tolist() for array in (W32, X32, Y32)))
    np.testing.assert_allclose(grad, wanted_grad, rtol=1e-4, atol=1e-6)


def test_float32_at_extreme_scores_stays_finite():
    X, W = np.array([[1.0], [-1.0]], dtype=np.float32), np.array([[3e38, -3e38]], dtype=np.float32)
    Y = np.array([[0.0, 1.0], [1.0, 0.0]], dtype=np.float32)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        # Scores ±1.5e38 differ by 3e38, just below float32's largest number, as does each loss
        # and their mean; the sum of the two losses would not be.
        cost = gb.softmax_regression_cost(W / 2, X, Y)
        grad = gb.softmax_regression_grad(W / 2, X, Y)
    assert cost.dtype == np.float32 and cost == pytest.approx(3e38, rel=1e-6)
    # P − Y is (1, −1) in the first row and (−1, 1) in the second: (1/2)(1·(1, −1) − 1·(−1, 1)).
    np.testing.assert_array_equal(grad, [[1.0, -1.0]])


@pytest.mark.parametrize(
    ("dtypes", "wanted"),
    [
        ((np.float32, np.float64, np.float32), np.float64),
        ((np.int64, np.int64, np.int64), np.float64),
        ((np.float64, np.float32, np.float32), np.float64),
    ],
)
def test_mixed_and_integer_inputs_are_computed_in_float64(dtypes, wanted):
    W, X, Y = np.zeros((2, 2)), np.array([[1, 2], [3, 4]]), np.eye(2)
    W, X, Y = (array.astype(dtype) for array, dtype in zip((W, X, Y), dtypes, strict=True))
    assert gb.softmax_regression_cost(W, X, Y).dtype == wanted
    grad = gb.softmax_regression_grad(W, X, Y)
    assert grad.dtype == wanted
    np.testing.assert_allclose(grad, [[0.5, -0.5], [0.5, -0.5]], atol=1e-15)  # (1/2) Xᵀ(½ − I)


def test_inputs_are_not_modified_and_may_be_read_only():
    W, X, Y = problem((4, 3, 3), 2.0, soft=True)
    copies = [array.copy() for array in (W, X, Y)]
    for array in (W, X, Y):
        array.flags.writeable = False
    gb.softmax_regression_cost(W, X, Y)
    gb.softmax_regression_grad(W, X, Y)
    for array, copy in zip((W, X, Y), copies, strict=True):
        assert np.array_equal(array, copy)


def test_nested_lists_are_accepted_like_arrays():
    W, X, Y = problem((3, 2, 3), 1.0, soft=False)
    from_lists = gb.softmax_regression_cost(W.tolist(), X.tolist(), Y.tolist())
    assert from_lists == gb.softmax_regression_cost(W, X, Y)
