"""gradbook.functions on arrays of other libraries than NumPy: dispatch, dtypes, laziness, errors.

The accuracy, extreme-value and finite-difference tests run on every library through
tests/array_libraries.py; this file tests what is particular to the Array API path.
"""

from __future__ import annotations

import subprocess
import sys
import warnings

import array_api_strict as xp
import dask
import dask.array as da
import numpy as np
import pytest

from gradbook import _dask_rows
from gradbook import functions as gb

RNG = np.random.default_rng(20261203)


def logistic_data(m: int = 12, n: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    theta = RNG.standard_normal(n)
    return theta, RNG.standard_normal((m, n)), (RNG.random(m) < 0.5).astype(float)


def hand_logistic(theta, X, y) -> tuple[float, np.ndarray]:
    """The mean log loss and its gradient, written out in NumPy from the formulas."""
    p = 1 / (1 + np.exp(-(X @ theta)))
    cost = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    return cost, X.T @ (p - y) / len(y)


def test_the_numpy_path_never_imports_array_api_compat():
    code = (
        "import sys, numpy as np\n"
        "from gradbook import functions as gb\n"
        "gb.logistic_cost_and_grad(np.zeros(2), np.ones((3, 2)), np.ones(3))\n"
        "gb.softmax_cross_entropy_grad(np.zeros((2, 3)), np.eye(3)[:2])\n"
        "print('array_api_compat' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_without_array_api_compat_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "array_api_compat", None)
    with pytest.raises(ImportError, match=r"array-api-compat.*pip install \"gradbook\[array-api\]\""):
        gb.sigmoid(xp.asarray([0.5]))
    assert float(gb.sigmoid(np.array(0.0))) == 0.5  # NumPy arrays need nothing more


def test_the_result_has_the_library_of_the_arguments_and_numpy_arguments_are_converted():
    theta, X, y = logistic_data()
    cost, grad = gb.logistic_cost_and_grad(theta, xp.asarray(X), y)  # only X is array-api-strict
    assert isinstance(cost, type(xp.asarray(0.0))) and isinstance(grad, type(xp.asarray(0.0)))
    wanted_cost, wanted_grad = hand_logistic(theta, X, y)
    assert float(cost) == pytest.approx(wanted_cost, rel=1e-14)
    np.testing.assert_allclose(np.asarray(grad), wanted_grad, rtol=1e-13, atol=1e-16)


@pytest.mark.parametrize(
    ("dtypes", "wanted"),
    [
        (("float32", "float32", "float32"), "float32"),
        (("float64", "float32", "float32"), "float64"),
        (("float32", "float64", "float32"), "float64"),
        (("float32", "float32", "float64"), "float64"),
        (("float32", "float32", "int64"), "float32"),
        (("float32", "float32", "bool"), "float32"),
    ],
)
def test_the_result_dtype_is_the_result_type_of_the_floating_arguments(dtypes, wanted):
    theta, X, y = logistic_data()
    arrays = [
        xp.asarray(array.astype(dtype)) for array, dtype in zip((theta, X, y), dtypes, strict=True)
    ]
    cost, grad = gb.logistic_cost_and_grad(*arrays)
    assert cost.dtype == grad.dtype == getattr(xp, wanted)


def test_python_numbers_do_not_widen_float32():
    x = xp.asarray(RNG.standard_normal((4, 2)), dtype=xp.float32)
    y = xp.asarray([1.0, 0.0, 1.0, 0.0], dtype=xp.float32)
    dE_dw, dE_db = gb.unit_error_grad(x, y, xp.asarray([0.5, -0.5], dtype=xp.float32), 0.25)
    assert dE_dw.dtype == dE_db.dtype == xp.float32


def counted_chunks(array: np.ndarray, chunks: int, counter: list[int]) -> da.Array:
    """``array`` as a Dask array whose chunks count how often they are computed."""

    def chunk(block):
        counter.append(1)
        return block

    meta = np.empty((0,) * array.ndim, dtype=array.dtype)  # so that Dask need not call chunk to learn it
    return da.from_array(array, chunks=(chunks, *array.shape[1:])).map_blocks(chunk, meta=meta)


def test_dask_results_stay_lazy_until_computed():
    theta, X, y = logistic_data(m=40)
    computed: list[int] = []
    X_lazy = counted_chunks(X, 10, computed)
    cost, grad = gb.logistic_cost_and_grad(theta, X_lazy, da.from_array(y, chunks=10))
    assert isinstance(cost, da.Array) and isinstance(grad, da.Array)
    assert computed == [], "building the graph computed chunks of X"
    cost, grad = dask.compute(cost, grad, scheduler="synchronous")
    wanted_cost, wanted_grad = hand_logistic(theta, X, y)
    assert float(cost) == pytest.approx(wanted_cost, rel=1e-14)
    np.testing.assert_allclose(grad, wanted_grad, rtol=1e-13, atol=1e-16)


def test_shape_checks_on_dask_arrays_are_immediate():
    theta, X, y = logistic_data(m=40)
    computed: list[int] = []
    with pytest.raises(ValueError, match=r"y must have 40 entries \(one label per row of X\)"):
        gb.logistic_cost_grad(theta, counted_chunks(X, 10, computed), da.from_array(y[:39], chunks=10))
    assert computed == []


def test_value_checks_are_made_at_once_on_eager_arrays_and_by_compute_on_dask_arrays():
    theta, X, _ = logistic_data(m=4)
    labels = np.array([0.0, 1.0, 1.0, 2.0])
    message = r"y must lie in \[0, 1\]; got values from 1.0 to 2.0"
    with pytest.raises(ValueError, match=message.replace("1.0 to", "0.0 to")):
        gb.logistic_cost(theta, xp.asarray(X), xp.asarray(labels))
    lazy = gb.logistic_cost(theta, da.from_array(X, chunks=2), da.from_array(labels, chunks=2))
    with pytest.raises(ValueError, match=message):  # the chunk of rows 2 and 3
        lazy.compute(scheduler="synchronous")


def test_label_rows_of_a_dask_array_are_checked_by_compute_and_named_by_their_row():
    z = RNG.standard_normal((6, 3))
    y = np.eye(3)[[0, 1, 2, 0, 1, 2]]
    y[4] = [0.0, 0.5, 0.0]
    lazy = gb.softmax_cross_entropy_grad(da.from_array(z, chunks=2), da.from_array(y, chunks=2))
    with pytest.raises(ValueError, match=r"y rows must sum to 1 .*row 4 sums to 0.5"):
        lazy.compute(scheduler="synchronous")
    y[5] = [np.nan, 0.0, 0.0]  # in the same chunk: a NaN row must not hide row 4
    lazy = gb.softmax_cross_entropy_grad(da.from_array(z, chunks=2), da.from_array(y, chunks=2))
    with pytest.raises(ValueError, match=r"y rows must sum to 1 .*row 4 sums to 0.5"):
        lazy.compute(scheduler="synchronous")
    y[4], y[5] = [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]
    good = gb.softmax_cross_entropy_grad(da.from_array(z, chunks=2), da.from_array(y, chunks=2))
    p = np.exp(z - z.max(axis=1, keepdims=True))
    np.testing.assert_allclose(good.compute(), p / p.sum(axis=1, keepdims=True) - y, rtol=1e-14, atol=1e-16)


def dask_regression_data_with_an_infinity() -> tuple[np.ndarray, da.Array, da.Array]:
    X = RNG.standard_normal((6, 3))
    X[5, 2] = np.inf
    W, Y = RNG.standard_normal((3, 2)), np.eye(2)[[0, 1, 0, 1, 0, 1]]
    return W, da.from_array(X, chunks=(2, 3)), da.from_array(Y, chunks=(2, 2))


def test_non_finite_data_of_a_dask_array_is_refused_by_compute_naming_its_chunk():
    lazy = gb.softmax_regression_grad(*dask_regression_data_with_an_infinity())
    message = r"X must be finite; got inf at index \(1, 2\) \(in the chunk of rows 4 to 5\)"
    with pytest.raises(ValueError, match=message):
        lazy.compute(scheduler="synchronous")


def test_on_the_array_api_path_a_dask_array_is_checked_inside_the_graph(monkeypatch):
    """Dask arrays of other chunks than NumPy's (CuPy) take the Array API path, whose checks
    are made chunk by chunk as Dask computes them."""
    monkeypatch.setattr(_dask_rows, "of_numpy_chunks", lambda *arrays: False)
    lazy = gb.softmax_regression_grad(*dask_regression_data_with_an_infinity())
    with pytest.raises(ValueError, match="X must be finite; got inf in row 5"):
        lazy.compute(scheduler="synchronous")


def test_label_rows_that_do_not_sum_to_one_are_refused_on_eager_arrays():
    z = xp.asarray(RNG.standard_normal((3, 4)))
    y = xp.asarray(np.array([[1.0, 0, 0, 0], [0, 0.5, 0, 0], [0, 0, 0, 1.0]]))
    with pytest.raises(ValueError, match=r"y rows must sum to 1 .*row 1 sums to 0.5"):
        gb.softmax_cross_entropy_grad(z, y)


def test_nan_and_infinity_are_refused_by_softmax_regression_on_eager_arrays():
    X = RNG.standard_normal((5, 3))
    X[2, 1] = np.nan
    W, Y = RNG.standard_normal((3, 4)), np.eye(4)[[0, 1, 2, 3, 0]]
    with pytest.raises(ValueError, match="X must be finite"):
        gb.softmax_regression_grad(xp.asarray(W), xp.asarray(X), xp.asarray(Y))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: gb.sigmoid(xp.asarray([1j])), "z must be real; got complex dtype"),
        (lambda: gb.log_loss(xp.asarray([0.0, 1.0]), xp.asarray([0.5])),
         "y_hat must have the same shape as y"),
        (lambda: gb.softmax_cross_entropy(xp.asarray(np.zeros((2, 3))), xp.asarray(np.zeros((2, 4)))),
         "y must have the same shape as z"),
        (lambda: gb.logistic_cost(xp.asarray(np.zeros(3)), xp.asarray(np.zeros((4, 2))), np.zeros(4)),
         r"theta must have 2 entries \(one parameter per column of X\)"),
        (lambda: gb.sigmoid(xp.asarray(np.zeros((0,)))), "z must not be empty"),
        (lambda: gb.log_loss(np.array(["a"]), xp.asarray([0.5])), "y must be an array of real numbers"),
    ],
)
def test_bad_arguments_of_another_library_name_the_argument(call, message):
    with pytest.raises((TypeError, ValueError), match=message):
        call()


def test_arguments_of_two_other_libraries_are_refused():
    torch = pytest.importorskip("torch", reason="PyTorch is optional")
    with pytest.raises(TypeError, match="Multiple namespaces"):
        gb.log_loss(xp.asarray([0.5]), torch.tensor([0.5]))


def test_the_inputs_are_not_modified():
    theta, X, y = logistic_data()
    arrays = [xp.asarray(array.copy()) for array in (theta, X, y)]
    gb.logistic_cost_and_grad(*arrays)
    for before, after in zip((theta, X, y), arrays, strict=True):
        np.testing.assert_array_equal(np.asarray(after), before)


def test_rows_that_span_more_than_the_float_range_warn_nothing_on_dask():
    z = np.array([[1e308, 0.0, -1e308], [-1e308, 1e308, 5e-324]])
    y = np.array([[0.0, 1.0, 0.0], [0.25, 0.75, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grad = dask.compute(*gb.softmax_cross_entropy_and_grad(da.from_array(z, chunks=1), y))
    # ln Σ e^(z − max z) − Σ y(z − max z): row 0 is ln 1 − (0 − 1e308); in row 1 the
    # difference −1e308 − 1e308 is beyond the float range, but 0.25 of it is −5e307.
    assert loss.tolist() == [1e308, 5e307]
    assert grad.tolist() == [[1.0, -1.0, 0.0], [-0.25, 0.25, 0.0]]


def test_under_jax_jit_the_value_checks_are_skipped_and_the_result_is_right():
    jax = pytest.importorskip("jax", reason="JAX is optional")
    jax.config.update("jax_enable_x64", True)
    theta, X, y = logistic_data()
    cost = jax.jit(lambda t: gb.logistic_cost(t, jax.numpy.asarray(X), jax.numpy.asarray(y)))(theta)
    assert float(cost) == pytest.approx(hand_logistic(theta, X, y)[0], rel=1e-14)
    with pytest.raises(ValueError, match=r"y must lie in \[0, 1\]"):  # concrete arrays are checked
        gb.logistic_cost(jax.numpy.asarray(theta), jax.numpy.asarray(X), jax.numpy.asarray(y + 2))


def test_dask_arrays_of_unknown_length_are_checked_as_far_as_known():
    """A Dask array filtered by a mask has rows of unknown number (NaN in its shape)."""
    z = RNG.standard_normal(10)
    lazy = da.from_array(z, chunks=5)
    kept = lazy[lazy > -100]  # every value, but Dask cannot know that before computing
    labels = (kept > 0).astype(float)
    loss = gb.log_loss_with_logits(labels, kept)
    wanted = np.log1p(np.exp(-np.abs(z)))  # ln(1 + e^(−|z|)) when the label is 1 exactly where z > 0
    np.testing.assert_allclose(loss.compute(), wanted, rtol=1e-15)
    X = da.from_array(RNG.standard_normal((10, 2)), chunks=5)
    with pytest.raises(ValueError, match=r"X has an unknown number of rows .* X.compute_chunk_sizes\(\)"):
        gb.logistic_cost(np.zeros(2), X[lazy > -100], labels)


def test_a_float32_gradient_on_dask_is_as_accurate_as_on_numpy():
    """Each chunk of rows is summed in blocks by the NumPy path; one float32 product over a
    chunk of 500 000 rows (the Array API path) is about 4e-6 off on these data."""
    rng = np.random.default_rng(1)
    m, n = 1_000_000, 16
    X = rng.standard_normal((m, n)).astype(np.float32)
    theta = (rng.standard_normal(n) * 0.3).astype(np.float32)
    X64 = X.astype(np.float64)
    p = 1 / (1 + np.exp(-(X64 @ theta.astype(np.float64))))
    y = (rng.random(m) < p).astype(np.float32)
    wanted = X64.T @ (p - y) / m  # the gradient in float64, from the same float32 data

    def error(gradient):
        return np.max(np.abs(gradient - wanted)) / np.max(np.abs(wanted))

    X_lazy, y_lazy = da.from_array(X, chunks=(500_000, n)), da.from_array(y, chunks=500_000)
    got = gb.logistic_cost_grad(theta, X_lazy, y_lazy).compute(scheduler="synchronous")
    assert got.dtype == np.float32
    assert error(got) < 2.5e-6
