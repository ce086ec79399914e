"""Bad input to the public NumPy functions is refused with a message a user can act on.

Each case names the function, the arguments, the error type, and fragments the message must
contain: the argument's name and what was expected of it. The expectations come from the
functions' documented conventions (gradbook.functions' module docstring), not from their code.

NaN is not bad input: the documented policy is that it propagates to the output and never
becomes a finite number, which the second half of this module checks. The softmax-regression
functions are the documented exception: they refuse NaN and infinity, which their matrix products
would spread over a whole row or column (the table above).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import array_api_strict as xp
import numpy as np
import pytest

from gradbook import functions


def public(name: str):
    """The public function ``gradbook.functions.NAME``."""
    return getattr(functions, name)


@dataclass(frozen=True)
class Case:
    id: str
    function: str
    args: tuple[Any, ...]
    error: type[Exception]
    fragments: tuple[str, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)


X = np.ones((3, 2))
THETA = np.zeros(2)
LABELS = np.array([0.0, 1.0, 1.0])
SCORES = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
ONE_HOT = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
STRINGS = np.array(["a", "b"])
OBJECTS = np.array([object(), object()], dtype=object)
COMPLEX = np.array([1 + 2j, 0j])
W_CLASSES = np.zeros((2, 3))
W_WITH_NAN = np.array([[0.0, np.nan, 0.0], [0.0, 0.0, 0.0]])
X_WITH_INF = np.array([[1.0, 1.0], [1.0, np.inf], [1.0, 1.0]])
ONE_HOT_2_FLOAT16 = np.eye(16, dtype=np.float16)[:1] * 2
FLOAT32_ROW_OF_1_007 = np.full((1, 1000), 1.007 / 1000, np.float32)
LABELS_NAN_AND_HALVES = np.array([[np.nan, 0.0, 0.0], [0.5, 0.5, 0.5]])
Y_WITH_NAN = np.array([[np.nan, 0.5, 0.5], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])

CASES = [
    # masked arrays: converting one would drop its mask
    Case("mse-y-masked", "mse_cost", (np.ones(1), np.ones((2, 1)), np.ma.array([1.0, 1e6], mask=[0, 1])),
         TypeError, ("y is a masked array", "compressed()")),
    Case("log_loss-y_hat-masked", "log_loss", (np.ones(2), np.ma.array([0.5, 0.0], mask=[0, 1])),
         TypeError, ("y_hat is a masked array",)),
    Case("sigmoid-masked", "sigmoid", (np.ma.array([1.0, 2.0], mask=[0, 1]),), TypeError,
         ("z is a masked array",)),
    # sigmoid, sigmoid_prime: any shape of real numbers
    Case("sigmoid-string", "sigmoid", ("abc",), TypeError, ("z must be", "real numbers")),
    Case("sigmoid-objects", "sigmoid", (OBJECTS,), TypeError, ("z must be", "real numbers")),
    Case("sigmoid-complex", "sigmoid", (COMPLEX,), TypeError, ("z must be real", "complex")),
    Case("sigmoid-empty", "sigmoid", ([],), ValueError, ("z must not be empty",)),
    Case("sigmoid-none", "sigmoid", (None,), TypeError, ("z must be", "real numbers")),
    Case("sigmoid-ragged", "sigmoid", ([[1.0, 2.0], [3.0]],), ValueError, ("z", "shape")),
    Case("sigmoid_prime-strings", "sigmoid_prime", (STRINGS,), TypeError, ("z must be", "real numbers")),
    Case("sigmoid_prime-complex", "sigmoid_prime", (1j,), TypeError, ("z must be real", "complex")),
    Case("sigmoid_prime-empty", "sigmoid_prime", (np.zeros((0, 3)),), ValueError, ("z must not be empty",)),
    # tanh_prime, relu_prime: any shape of real numbers
    Case("tanh_prime-strings", "tanh_prime", (STRINGS,), TypeError, ("z must be", "real numbers")),
    Case("tanh_prime-complex", "tanh_prime", (COMPLEX,), TypeError, ("z must be real", "complex")),
    Case("tanh_prime-empty", "tanh_prime", ([],), ValueError, ("z must not be empty",)),
    Case("tanh_prime-ragged", "tanh_prime", ([[1.0, 2.0], [3.0]],), ValueError, ("z", "shape")),
    Case("relu_prime-none", "relu_prime", (None,), TypeError, ("z must be", "real numbers")),
    Case("relu_prime-objects", "relu_prime", (OBJECTS,), TypeError, ("z must be", "real numbers")),
    Case("relu_prime-complex", "relu_prime", (1j,), TypeError, ("z must be real", "complex")),
    Case("relu_prime-empty", "relu_prime", (np.zeros((2, 0)),), ValueError, ("z must not be empty",)),
    # unit_error_grad(x, y, w, b)
    Case("unit-y-length", "unit_error_grad", (X, np.array([0.0, 1.0]), THETA, 0.0), ValueError,
         ("y must have 3 entries", "one label per row of x")),
    Case("unit-w-length", "unit_error_grad", (X, LABELS, np.zeros(3), 0.0), ValueError,
         ("w must have 2 entries", "one weight per feature of x")),
    Case("unit-b-vector", "unit_error_grad", (X, LABELS, THETA, np.zeros(2)), ValueError,
         ("b must be a scalar bias",)),
    Case("unit-x-3d", "unit_error_grad", (np.ones((2, 2, 2)), LABELS, THETA, 0.0), ValueError,
         ("x must be one point of shape (n,) or a batch of shape (m, n)",)),
    Case("unit-y-label-range", "unit_error_grad", (np.ones(2), 2.0, THETA, 0.0), ValueError,
         ("y must lie in [0, 1]",)),
    Case("unit-x-strings", "unit_error_grad", (STRINGS, 1.0, THETA, 0.0), TypeError,
         ("x must be", "real numbers")),
    # log_loss(y, y_hat), log_loss_with_logits(y, z)
    Case("log_loss-shapes", "log_loss", (LABELS, np.full(2, 0.5)), ValueError,
         ("y_hat must have the same shape as y",)),
    Case("log_loss-label-negative", "log_loss", (-0.1, 0.5), ValueError, ("y must lie in [0, 1]",)),
    Case("log_loss-prediction-above-one", "log_loss", (1.0, 1.5), ValueError, ("y_hat must lie in [0, 1]",)),
    Case("log_loss-label-hidden-by-nan", "log_loss", (np.array([np.nan, 2.0]), np.full(2, 0.5)),
         ValueError, ("y must lie in [0, 1]; got values from 2.0 to 2.0",)),
    Case("log_loss-prediction-beside-nan", "log_loss", (np.array([1.0, 0.5]), np.array([np.nan, 5.0])),
         ValueError, ("y_hat must lie in [0, 1]; got values from 5.0 to 5.0",)),
    Case("softmax-axis-true", "softmax", (SCORES,), TypeError, ("axis must be an integer; got True",),
         {"axis": True}),
    Case("log_loss-complex", "log_loss", (1.0, 0.5 + 0j), TypeError, ("y_hat must be real", "complex")),
    Case("log_loss-empty", "log_loss", ([], []), ValueError, ("y must not be empty",)),
    Case("logits-shapes", "log_loss_with_logits", (LABELS, np.zeros(4)), ValueError,
         ("z must have the same shape as y",)),
    Case("logits-label-range", "log_loss_with_logits", (3.0, 0.0), ValueError, ("y must lie in [0, 1]",)),
    Case("logits-objects", "log_loss_with_logits", (np.ones(2), OBJECTS), TypeError,
         ("z must be", "real numbers")),
    # logistic_cost(theta, X, y), logistic_cost_grad(theta, X, y)
    Case("logistic-y-vs-rows", "logistic_cost", (THETA, X, np.array([0.0, 1.0])), ValueError,
         ("y must have 3 entries", "one label per row of X")),
    Case("logistic-theta-vs-columns", "logistic_cost", (np.zeros(3), X, LABELS), ValueError,
         ("theta must have 2 entries", "one parameter per column of X")),
    Case("logistic-X-vector", "logistic_cost", (THETA, np.ones(2), LABELS), ValueError,
         ("X must be a data matrix of shape (m, n)",)),
    Case("logistic-label-range", "logistic_cost", (THETA, X, np.array([0.0, 1.0, 1.5])), ValueError,
         ("y must lie in [0, 1]",)),
    Case("logistic_grad-theta-matrix", "logistic_cost_grad", (np.zeros((2, 1)), X, LABELS), ValueError,
         ("theta must be a parameter vector of shape (n,)",)),
    Case("logistic_grad-X-empty", "logistic_cost_grad", (THETA, np.zeros((0, 2)), LABELS), ValueError,
         ("X must not be empty",)),
    Case("logistic_grad-y-strings", "logistic_cost_grad", (THETA, X, np.array(["0", "1", "1"])), TypeError,
         ("y must be", "real numbers")),
    Case("logistic_grad-y-column", "logistic_cost_grad", (THETA, X, LABELS[:, None]), ValueError,
         ("y must be a label vector of shape (m,)",)),
    Case("logistic_pair-y-vs-rows", "logistic_cost_and_grad", (THETA, X, np.array([0.0, 1.0])), ValueError,
         ("y must have 3 entries", "one label per row of X")),
    Case("logistic_pair-label-range", "logistic_cost_and_grad", (THETA, X, np.array([0.0, -1.0, 1.0])),
         ValueError, ("y must lie in [0, 1]",)),
    # softmax(z, axis)
    Case("softmax-string", "softmax", ("scores",), TypeError, ("z must be", "real numbers")),
    Case("softmax-empty", "softmax", (np.zeros((2, 0)),), ValueError, ("z must not be empty",)),
    Case("softmax-complex", "softmax", (COMPLEX,), TypeError, ("z must be real", "complex")),
    Case("softmax-axis", "softmax", (np.ones(3),), ValueError, ("axis must be an axis of z", "got 2"),
         {"axis": 2}),
    Case("softmax-axis-float", "softmax", (np.ones(3),), TypeError, ("axis must be an integer",),
         {"axis": 0.5}),
    Case("softmax-scalar", "softmax", (np.float64(2.0),), ValueError, ("z must have at least one axis",)),
    # softmax_cross_entropy(z, y), softmax_cross_entropy_grad(z, y)
    Case("sce-shapes", "softmax_cross_entropy", (SCORES, ONE_HOT[:, :2]), ValueError,
         ("y must have the same shape as z",)),
    Case("sce-rows-not-summing-to-one", "softmax_cross_entropy", (SCORES, np.full((2, 3), 0.5)), ValueError,
         ("y rows must sum to 1",)),
    Case("sce-z-3d", "softmax_cross_entropy", (np.ones((2, 2, 3)), np.ones((2, 2, 3)) / 3), ValueError,
         ("z must be scores of shape (K,) or (n, K)",)),
    Case("sce_grad-row-sums-half", "softmax_cross_entropy_grad", (SCORES, ONE_HOT / 2), ValueError,
         ("y rows must sum to 1", "row 0")),
    Case("sce_grad-complex", "softmax_cross_entropy_grad", (SCORES.astype(complex), ONE_HOT), TypeError,
         ("z must be real", "complex")),
    Case("sce_pair-shapes", "softmax_cross_entropy_and_grad", (SCORES, ONE_HOT[:1]), ValueError,
         ("y must have the same shape as z",)),
    Case("sce_pair-row-sums", "softmax_cross_entropy_and_grad", (SCORES, ONE_HOT * 2), ValueError,
         ("y rows must sum to 1",)),
    # a row sum within the summation's error of 1, not K times a tolerance: float16 has 11 bits
    Case("sce-float16-row-of-1.1", "softmax_cross_entropy_grad",
         (np.array([[2.0, 0.0]]), np.array([[0.55, 0.55]], np.float16)), ValueError,
         ("y rows must sum to 1", "row 0 sums to 1.09")),
    Case("sce-float16-one-hot-with-a-2", "softmax_cross_entropy", (np.zeros((1, 16)), ONE_HOT_2_FLOAT16),
         ValueError, ("y rows must sum to 1", "row 0 sums to 2")),
    Case("sce-float32-1000-classes", "softmax_cross_entropy", (np.zeros((1, 1000)), FLOAT32_ROW_OF_1_007),
         ValueError, ("y rows must sum to 1", "row 0 sums to 1.00")),
    Case("sce-inf-and-minus-inf", "softmax_cross_entropy_grad",
         (np.zeros((2, 2)), np.array([[1.0, 0.0], [np.inf, -np.inf]])), ValueError,
         ("y rows must sum to 1", "row 1 sums to nan")),
    Case("sce-sum-overflows", "softmax_cross_entropy",
         (np.zeros((1, 3)), np.array([[1e308, 1e308, -1e308]])), ValueError,
         ("y rows must sum to 1", "row 0 sums to inf")),
    Case("sce-one-row-of-K", "softmax_cross_entropy", (np.array([1.0, 2.0]), np.array([0.5, 0.6])),
         ValueError, ("y rows must sum to 1", "row 0 sums to 1.1")),
    # a NaN label row propagates, but must not let another row's wrong sum through
    *(Case(f"{name}-row-sum-hidden-by-nan", name, (SCORES, LABELS_NAN_AND_HALVES), ValueError,
           ("y rows must sum to 1", "row 1"))
      for name in ("softmax_cross_entropy", "softmax_cross_entropy_grad", "softmax_cross_entropy_and_grad")),
    # mse_cost(theta, X, y), mse_cost_grad(theta, X, y)
    Case("mse-y-vs-rows", "mse_cost", (THETA, X, np.zeros(4)), ValueError,
         ("y must have 3 entries", "one target per row of X")),
    Case("mse-theta-vs-columns", "mse_cost", (np.zeros(1), X, LABELS), ValueError,
         ("theta must have 2 entries", "one parameter per column of X")),
    Case("mse_grad-X-strings", "mse_cost_grad", (THETA, np.full((3, 2), "1"), LABELS), TypeError,
         ("X must be", "real numbers")),
    Case("mse_grad-y-matrix", "mse_cost_grad", (THETA, X, np.zeros((3, 1))), ValueError,
         ("y must be a target vector of shape (m,)",)),
    # softmax_regression_cost(W, X, Y), softmax_regression_grad(W, X, Y): X is (3, 2), W (2, 3)
    Case("sr-W-vector", "softmax_regression_cost", (np.zeros(2), X, np.eye(3)), ValueError,
         ("W must be a weight matrix of shape (n, K)",)),
    Case("sr-X-vector", "softmax_regression_cost", (W_CLASSES, np.ones(3), np.eye(3)), ValueError,
         ("X must be a data matrix of shape (m, n)",)),
    Case("sr-Y-vector", "softmax_regression_cost", (W_CLASSES, X, LABELS), ValueError,
         ("Y must be a label matrix of shape (m, K)",)),
    Case("sr-W-rows", "softmax_regression_cost", (np.zeros((3, 3)), X, np.eye(3)), ValueError,
         ("W must have 2 rows", "one row of weights per feature")),
    Case("sr-Y-classes", "softmax_regression_cost", (W_CLASSES, X, np.eye(3)[:, :2]), ValueError,
         ("Y must have shape (3, 3)", "one column per column of W")),
    Case("sr-Y-points", "softmax_regression_grad", (W_CLASSES, X, np.eye(4)[:, :3]), ValueError,
         ("Y must have shape (3, 3)", "one row per row of X")),
    Case("sr-Y-rows-not-summing-to-one", "softmax_regression_cost", (W_CLASSES, X, np.full((3, 3), 0.5)),
         ValueError, ("Y rows must sum to 1", "row 0")),
    Case("sr_grad-Y-row-sums-half", "softmax_regression_grad", (W_CLASSES, X, np.eye(3) / 2), ValueError,
         ("Y rows must sum to 1",)),
    Case("sr-W-nan", "softmax_regression_cost", (W_WITH_NAN, X, np.eye(3)), ValueError,
         ("W must be finite", "nan", "(0, 1)")),
    Case("sr_grad-X-inf", "softmax_regression_grad", (W_CLASSES, X_WITH_INF, np.eye(3)), ValueError,
         ("X must be finite", "inf", "(1, 1)")),
    Case("sr_grad-Y-nan", "softmax_regression_grad", (W_CLASSES, X, Y_WITH_NAN), ValueError,
         ("Y must be finite", "nan", "(0, 0)")),
    Case("sr_grad-W-minus-inf", "softmax_regression_grad", (np.full((2, 3), -np.inf), X, np.eye(3)),
         ValueError, ("W must be finite", "-inf")),
    Case("sr_grad-W-complex", "softmax_regression_grad", (W_CLASSES.astype(complex), X, np.eye(3)), TypeError,
         ("W must be real", "complex")),
    Case("sr_grad-Y-strings", "softmax_regression_grad", (W_CLASSES, X, np.full((3, 3), "a")), TypeError,
         ("Y must be", "real numbers")),
    Case("sr_pair-Y-points", "softmax_regression_cost_and_grad", (W_CLASSES, X, np.eye(4)[:, :3]),
         ValueError, ("Y must have shape (3, 3)",)),
    Case("sr_pair-W-nan", "softmax_regression_cost_and_grad", (np.full((2, 3), np.nan), X, np.eye(3)),
         ValueError, ("W must be finite",)),
    Case("sr_grad-X-empty", "softmax_regression_grad", (W_CLASSES, np.zeros((0, 2)), np.eye(3)), ValueError,
         ("X must not be empty",)),
]


def test_the_table_is_large_and_covers_every_public_function():
    covered = {case.function for case in CASES}
    assert len(CASES) >= 30
    assert set(functions.__all__) <= covered
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_bad_input_is_refused_with_a_message_naming_the_argument(case):
    with pytest.raises(case.error) as raised:
        public(case.function)(*case.args, **case.kwargs)
    message = str(raised.value)
    missing = [fragment for fragment in case.fragments if fragment not in message]
    assert not missing, f"{case.function}: message {message!r} lacks {missing}"


def _on_array_api_strict(value: object) -> object:
    if type(value) is np.ndarray and value.dtype.kind in "fiubc" and _strict_has(value.dtype):
        return xp.asarray(value)
    return value


def _strict_has(dtype: np.dtype) -> bool:
    """array-api-strict has the standard's dtypes only: no float16, no long double."""
    return dtype not in (np.float16, np.longdouble)


#: The cases with an array another library can hold: on array-api-strict they take the Array
#: API path, and must be refused alike.
STRICT_CASES = [
    case for case in CASES
    if any(_on_array_api_strict(arg) is not arg for arg in case.args)
    and all(_strict_has(arg.dtype) for arg in case.args if isinstance(arg, np.ndarray))
]


@pytest.mark.parametrize("case", STRICT_CASES, ids=lambda case: case.id)
def test_bad_input_of_another_array_library_is_refused_alike(case):
    with pytest.raises(case.error) as raised:
        public(case.function)(*map(_on_array_api_strict, case.args), **case.kwargs)
    message = str(raised.value)
    missing = [fragment for fragment in case.fragments if fragment not in message]
    assert not missing, f"{case.function}: message {message!r} lacks {missing}"


def test_bad_input_is_never_modified():
    y = np.array([0.0, 2.0])
    with pytest.raises(ValueError):
        functions.log_loss(y, np.full(2, 0.5))
    assert y.tolist() == [0.0, 2.0]


# -- NaN propagates ------------------------------------------------------------------------------

SUMS_OVER_ROWS = ("logistic_cost_grad", "logistic_cost_and_grad", "mse_cost_grad")
NAN_ROW = np.array([[np.nan, 1.0], [0.5, -1.0]])


def _row_results():
    """(function, arguments, rows of the output that must be NaN); the other rows stay finite."""
    theta, X, y = np.array([0.5, -0.5]), NAN_ROW, np.array([1.0, 0.0])
    scores = np.array([[np.nan, 0.0, 1.0], [1.0, 2.0, 3.0]])
    return [
        ("sigmoid", (NAN_ROW,)),
        ("sigmoid_prime", (NAN_ROW,)),
        ("tanh_prime", (NAN_ROW,)),
        ("relu_prime", (NAN_ROW,)),
        ("log_loss", (np.array([[np.nan, 1.0], [0.5, 0.0]]), np.full((2, 2), 0.25))),
        ("log_loss", (np.full((2, 2), 0.5), np.array([[np.nan, 0.2], [0.5, 0.9]]))),
        ("log_loss_with_logits", (np.full((2, 2), 0.5), NAN_ROW)),
        ("log_loss_with_logits", (np.array([[np.nan, 1.0], [0.5, 0.0]]), np.ones((2, 2)))),
        ("softmax", (scores,)),
        ("softmax_cross_entropy", (scores, np.full((2, 3), 1 / 3))),
        ("softmax_cross_entropy_grad", (scores, np.full((2, 3), 1 / 3))),
        ("unit_error_grad", (X, y, theta, 0.0)),
        ("logistic_cost", (theta, X, y)),
        ("logistic_cost_grad", (theta, X, y)),
        ("logistic_cost_and_grad", (theta, X, y)),
        ("softmax_cross_entropy_and_grad", (scores, np.full((2, 3), 1 / 3))),
        ("mse_cost", (theta, X, y)),
        ("mse_cost_grad", (theta, X, y)),
    ]


@pytest.mark.parametrize("library", ["numpy", "array-api-strict"])
@pytest.mark.parametrize(("name", "args"), _row_results(), ids=[name for name, _ in _row_results()])
def test_nan_propagates_and_never_becomes_a_finite_number(name, args, library):
    """Where the input has a NaN, the output has NaN; elsewhere it stays finite."""
    if library == "array-api-strict":
        args = tuple(map(_on_array_api_strict, args))
    results = public(name)(*args)
    outputs = results if isinstance(results, tuple) else (results,)
    for output in outputs:
        output = np.asarray(output)
        if output.ndim == 0:  # a mean over every row, including the NaN one
            assert np.isnan(output), f"{name} turned a NaN input into {output}"
            continue
        if name in SUMS_OVER_ROWS:  # every entry of Xᵀr sums over the NaN row
            assert np.isnan(output).all(), f"{name} turned a NaN input into {output}"
            continue
        first, second = output[0], output[1]
        assert np.isnan(first).any(), f"{name}: the NaN in row 0 became {first}"
        assert np.isfinite(second).all(), f"{name}: a NaN in row 0 spread to row 1: {second}"


def test_a_nan_label_passes_the_range_checks():
    """NaN is neither accepted as a valid label nor rejected: it is passed on to the output."""
    assert np.isnan(functions.log_loss(np.nan, 0.5))
    assert np.isnan(functions.softmax_cross_entropy(np.zeros(3), np.array([np.nan, 0.5, 0.5])))


@pytest.mark.parametrize("size", [1, 3, 31, 32, 33, 1000])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.longdouble])
def test_a_range_violation_is_found_wherever_it_and_nans_lie(size, dtype):
    """The least and greatest label are found in Python for a few values and by reductions for
    more; neither may let a NaN, wherever it lies, hide a label out of [0, 1]."""
    rng = np.random.default_rng(size)
    for bad in (-0.25, 1.25):
        for position in {0, size // 2, size - 1}:
            for nan_at in {None, 0, (position + 1) % size, size - 1} - {position}:
                y = rng.uniform(0, 1, size).astype(dtype)
                y[position] = bad
                if nan_at is not None:
                    y[nan_at] = np.nan
                with pytest.raises(ValueError, match=r"^y must lie in \[0, 1\]; got values from"):
                    functions.log_loss(y, np.full(size, 0.5, dtype))
    y = np.full(size, np.nan, dtype)
    assert np.isnan(functions.log_loss(y, np.full(size, 0.5, dtype))).all()


def test_label_rows_that_sum_to_one_in_their_own_precision_are_accepted():
    """Rows rounded to float16 or float32, or normalised in float32 over 1000 classes, sum to 1
    only to their own precision: each passes on NumPy and on array-api-strict."""
    rng = np.random.default_rng(7)
    rows = {
        "float16 (0.1, 0.2, 0.7)": np.array([[0.1, 0.2, 0.7]], np.float16),
        "float32 Dirichlet, 1000 classes": rng.dirichlet(np.ones(1000), size=4).astype(np.float32),
        "float32 normalised in float32": _normalised(rng.uniform(size=(4, 1000)).astype(np.float32)),
        "float64 normalised, 10 000 classes": _normalised(rng.uniform(size=(2, 10_000))),
        "one float64 row normalised, 500 classes": _normalised(rng.uniform(size=(1, 500))),
        "one float32 row normalised, 500 classes": _normalised(rng.uniform(size=500).astype(np.float32)),
    }
    for what, y in rows.items():
        z = np.zeros(y.shape, y.dtype)
        for library in (lambda a: a, _on_array_api_strict):  # float16 stays NumPy on both
            gradient = np.asarray(functions.softmax_cross_entropy_grad(library(z), library(y)))
            assert np.all(np.isfinite(gradient)), what


def _normalised(rows: np.ndarray) -> np.ndarray:
    return rows / rows.sum(axis=-1, keepdims=True, dtype=rows.dtype)


def test_an_argument_another_library_cannot_hold_is_named():
    """A float16 NumPy array or a ragged list beside array-api-strict arrays (which have no
    float16) is refused naming the argument, not with the library's own message."""
    z = xp.asarray(np.zeros((1, 2)))
    with pytest.raises(TypeError, match=r"^y is a NumPy float16 array, which array_api_strict cannot hold"):
        functions.softmax_cross_entropy_grad(z, np.array([[1.0, 0.0]], np.float16))
    with pytest.raises(ValueError, match=r"^y must be an array of a regular shape"):
        functions.log_loss_with_logits([[1.0], [0.0, 1.0]], xp.asarray(np.zeros((2, 2))))


def test_a_python_integer_beyond_64_bits_is_the_float_it_is_closest_to():
    assert functions.sigmoid(2**64) == 1.0
    assert functions.sigmoid(-(2**70)) == 0.0
    with pytest.raises(ValueError, match=r"^z must be a real number within the float range"):
        functions.sigmoid(2**1100)


@pytest.mark.parametrize("rows", [3, 40, 300_000], ids=["a few rows", "reductions", "blocks on threads"])
@pytest.mark.parametrize(
    ("bad", "shown"),
    [([0.5, 0.6, 0.0], "1.1"), ([np.inf, -np.inf, 0.0], "nan"), ([1e308, 1e308, -1e308], "inf"),
     ([0.0, 0.0, 0.0], "0.0")],
    ids=["1.1", "inf and -inf", "overflowing", "zeros"],
)
def test_a_wrong_label_row_is_named_whatever_the_batch_size(rows, bad, shown):
    """The few-rows check in Python floats, the reductions, and the blocked sums on threads
    all refuse the same row, beside a NaN row that passes (it propagates) in front of it."""
    y = np.zeros((rows, 3))
    y[:, 0] = 1.0
    y[0] = [np.nan, 0.0, 1.0]
    y[rows - 2] = bad
    with pytest.raises(ValueError, match=rf"^y rows must sum to 1 .*; row {rows - 2} sums to {shown}"):
        functions.softmax_cross_entropy_grad(np.zeros((rows, 3)), y)
    y[rows - 2] = [0.25, 0.25, 0.5]
    gradient = functions.softmax_cross_entropy_grad(np.zeros((rows, 3)), y)
    assert np.isnan(gradient[0]).any() and np.isfinite(gradient[1:]).all()

