"""The blocked drivers compute what one call of the kernel computes, however the input is cut.

Every path of :mod:`gradbook.blocks` is driven here: one block in the calling thread, many
blocks in order, blocks shared between threads, 0-d, 1-d, non-contiguous and broadcast inputs,
mixed dtypes, and the thread-count setting. The reference is the kernel called once on the
whole input (itself checked against its derivation by ``gradbook generate``), or plain NumPy.
"""

from __future__ import annotations

import multiprocessing
import tracemalloc
import warnings

import numpy as np
import pytest

from gradbook import blocks, kernels

PLANS = {
    "one block": {},
    "blocks in order": {"block_values": 3, "elementwise_block_values": 5, "threads": 1},
    "blocks on two threads": {
        "block_values": 3, "elementwise_block_values": 5, "parallel_from": 0, "threads": 2
    },
    "more threads than cores": {
        "block_values": 2, "elementwise_block_values": 2, "parallel_from": 0, "threads": 7
    },
    "temporaries in the result, in order": {
        "block_values": 3, "elementwise_block_values": 5, "threads": 1, "smallest_spare_block": 1
    },
    "temporaries in the result, on two threads": {
        "block_values": 3, "elementwise_block_values": 4, "parallel_from": 0, "threads": 2,
        "smallest_spare_block": 2,
    },
}


def softmax_reference(z: np.ndarray) -> np.ndarray:
    shifted = np.exp(z - z.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize("plan", PLANS, ids=list(PLANS))
def test_an_elementwise_driver_equals_one_kernel_call(plan):
    z = np.random.default_rng(1).normal(scale=30, size=(7, 9))
    whole = kernels.sigmoid(z)
    with blocks.planned(**PLANS[plan]):
        blocked = kernels.sigmoid_blocks(z)
    assert blocked.shape == z.shape
    assert np.array_equal(blocked, whole)


@pytest.mark.parametrize("plan", PLANS, ids=list(PLANS))
def test_a_row_driver_uses_each_rows_largest_score_as_its_shift(plan):
    rng = np.random.default_rng(2)
    z = rng.normal(scale=5, size=(11, 4))
    y = rng.dirichlet(np.ones(4), size=11)
    with blocks.planned(**PLANS[plan]):
        gradient = kernels.softmax_cross_entropy_grad_shifted_blocks(z, y)
        losses, joint_gradient = kernels.softmax_cross_entropy_and_grad_shifted_blocks(z, y)
    np.testing.assert_allclose(gradient, softmax_reference(z) - y, rtol=1e-13, atol=1e-15)
    assert np.array_equal(joint_gradient, gradient)
    expected = -np.sum(y * np.log(softmax_reference(z)), axis=-1, keepdims=True)
    np.testing.assert_allclose(losses, expected, rtol=1e-12)


@pytest.mark.parametrize("plan", PLANS, ids=list(PLANS))
def test_a_row_wider_than_the_float_range_sends_its_block_to_the_fallback(plan):
    """Row 5 spans 2e308, so z − s overflows there: its block is computed again by the long
    form, with no warning, however the rows are cut into blocks."""
    rng = np.random.default_rng(5)
    z = rng.normal(scale=5, size=(11, 4))
    y = rng.dirichlet(np.ones(4), size=11)
    z[5], y[5] = [1e308, 0.0, -1e308, 1.0], [0.0, 0.5, 0.0, 0.5]
    with blocks.planned(**PLANS[plan]), warnings.catch_warnings():
        warnings.simplefilter("error")
        losses = kernels.softmax_cross_entropy_shifted_blocks(z, y)[:, 0]
        joint_losses, gradient = kernels.softmax_cross_entropy_and_grad_shifted_blocks(z, y)
    # Row 5 by hand: ln Σ e^(z − 1e308) = 0 up to e^(−1e308), and −Σ y·(z − 1e308) = 1e308.
    assert losses[5] == joint_losses[5, 0] == 1e308
    ordinary = np.arange(11) != 5
    expected = -np.sum(y[ordinary] * np.log(softmax_reference(z[ordinary])), axis=-1)
    np.testing.assert_allclose(losses[ordinary], expected, rtol=1e-12)
    assert np.array_equal(joint_losses[:, 0], losses)
    np.testing.assert_allclose(gradient[5], [1.0, -0.5, 0.0, -0.5], rtol=0, atol=0)


@pytest.mark.parametrize("plan", PLANS, ids=list(PLANS))
def test_a_joint_elementwise_driver_returns_both_values(plan):
    rng = np.random.default_rng(3)
    z, y = rng.normal(scale=10, size=23), rng.random(23)
    with blocks.planned(**PLANS[plan]):
        losses, slopes = kernels.log_loss_logit_and_gradient_blocks(y, z)
    assert np.array_equal(losses, kernels.log_loss_logit(y, z))
    assert np.array_equal(slopes, kernels.error_logit_gradient(z, y))


ELEMENTWISE_DRIVERS = {
    "sigmoid": lambda z, y: kernels.sigmoid_blocks(z),
    "sigmoid_prime": lambda z, y: kernels.sigmoid_prime_blocks(z),
    "tanh_prime": lambda z, y: kernels.tanh_prime_blocks(z),
    "softplus": lambda z, y: kernels.softplus_blocks(z),
    "error_logit_gradient": lambda z, y: kernels.error_logit_gradient_blocks(z, y),
    "log_loss_logit": lambda z, y: kernels.log_loss_logit_blocks(y, z),
    "log_loss_logit_and_gradient": lambda z, y: kernels.log_loss_logit_and_gradient_blocks(y, z),
}


@pytest.mark.parametrize("driver", ELEMENTWISE_DRIVERS)
@pytest.mark.parametrize("plan", PLANS, ids=list(PLANS))
@pytest.mark.parametrize("size", [1, 2, 9, 64, 101])
def test_every_elementwise_driver_equals_one_kernel_call(driver, plan, size):
    """Cut in every way, the scratch arrays in the unwritten part of the result among them
    (blocks shrinking towards the end, the last values with scratch of their own)."""
    rng = np.random.default_rng(size)
    z, y = rng.normal(scale=20, size=size), rng.random(size)
    whole = ELEMENTWISE_DRIVERS[driver](z, y)  # one block: the kernel called once
    with blocks.planned(**PLANS[plan]):
        blocked = ELEMENTWISE_DRIVERS[driver](z, y)
    for got, expected in zip(np.atleast_1d(blocked), np.atleast_1d(whole), strict=True):
        assert np.array_equal(got, expected)


@pytest.mark.parametrize("threads", [1, 2])
def test_a_large_elementwise_call_allocates_only_its_result(threads):
    """Its temporaries go into the part of the result not yet written, as scipy's expit needs
    none: tracemalloc sees the result's 8 MB and, besides it, only small Python objects."""
    z = np.linspace(-800.0, 800.0, 1_000_001)
    with blocks.planned(threads=threads):
        kernels.sigmoid_blocks(z)  # the thread pool is made before the measurement
        tracemalloc.start()
        try:
            result = kernels.sigmoid_blocks(z)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak - result.nbytes < 16_384
    assert np.array_equal(result, kernels.sigmoid(z))  # one call, with temporaries of its own


def test_a_0d_input_gives_a_0d_result():
    assert kernels.sigmoid_blocks(np.array(0.0)).shape == ()
    assert float(kernels.sigmoid_blocks(np.array(0.0))) == 0.5


def test_non_contiguous_and_broadcast_inputs():
    rng = np.random.default_rng(4)
    z = rng.normal(size=(6, 5)).T  # not C-contiguous
    y = np.full((1, 6), 0.25)  # broadcast along the first axis
    with blocks.planned(**PLANS["blocks on two threads"]):
        got = kernels.log_loss_logit_blocks(y, z)
    assert np.array_equal(got, kernels.log_loss_logit(np.broadcast_to(y, z.shape), z))


def test_a_float32_argument_is_widened_in_each_block_not_the_result_narrowed():
    rng = np.random.default_rng(5)
    z = rng.normal(size=(9, 3))
    y = np.eye(3, dtype=np.float32)[rng.integers(0, 3, 9)]
    with blocks.planned(**PLANS["blocks on two threads"]):
        got = kernels.softmax_cross_entropy_grad_shifted_blocks(z, y)
    assert got.dtype == np.float64
    assert np.array_equal(got, kernels.softmax_cross_entropy_grad_shifted_blocks(z, y.astype(np.float64)))


def test_inputs_are_left_alone_and_never_returned():
    rng = np.random.default_rng(6)
    z, y = rng.normal(size=(8, 3)), np.full((8, 3), 1 / 3)
    before = (z.copy(), y.copy())
    for plan in PLANS.values():
        with blocks.planned(**plan):
            result = kernels.softmax_cross_entropy_grad_shifted_blocks(z, y)
        assert not np.shares_memory(result, z) and not np.shares_memory(result, y)
    assert np.array_equal(z, before[0]) and np.array_equal(y, before[1])


def _log_kernel(z, out=None):
    return np.log(z, out=out)


def test_the_callers_errstate_holds_in_the_worker_threads():
    """NumPy's error state lives in a context variable; the workers run in a copy of the
    caller's context, so what the caller silences stays silent and what it raises raises."""
    z = np.array([1.0, 0.0, 2.0, 0.0, 3.0, 4.0])
    with blocks.planned(**PLANS["blocks on two threads"]):
        with np.errstate(divide="ignore"):
            quiet = blocks.run(_log_kernel, (z,), ("full",), elementwise=True)
        assert np.isneginf(quiet[1])
        with np.errstate(divide="raise"), pytest.raises(FloatingPointError):
            blocks.run(_log_kernel, (z,), ("full",), elementwise=True)


def test_a_warning_in_a_worker_reaches_the_caller():
    z = np.array([1.0, 2.0, 0.0, 4.0])
    with blocks.planned(**PLANS["blocks on two threads"]), warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(RuntimeWarning, match="divide by zero"):
            blocks.run(_log_kernel, (z,), ("full",), elementwise=True)


def test_the_thread_count_setting(monkeypatch):
    monkeypatch.setenv("GRADBOOK_NUM_THREADS", "3")
    assert blocks.thread_count() == 3
    monkeypatch.setenv("GRADBOOK_NUM_THREADS", "0")
    assert blocks.thread_count() == 1
    monkeypatch.setenv("GRADBOOK_NUM_THREADS", "two")
    with pytest.raises(ValueError, match="GRADBOOK_NUM_THREADS must be a whole number"):
        blocks.thread_count()


def _sigmoid_sum_in_child(queue) -> None:
    z = np.linspace(-5, 5, 1000)
    with blocks.planned(**PLANS["blocks on two threads"]):
        queue.put(float(kernels.sigmoid_blocks(z).sum()))


def test_a_forked_child_makes_its_own_pool():
    """A child forked after the parent started its threads has none of them; it must not wait
    for them forever."""
    with blocks.planned(**PLANS["blocks on two threads"]):
        kernels.sigmoid_blocks(np.linspace(-1, 1, 100))  # the parent's pool now exists
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_sigmoid_sum_in_child, args=(queue,))
    with warnings.catch_warnings():
        # Python 3.12 and later warn that forking a process with threads may deadlock: the
        # very case this test holds gradbook to.
        warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
        # JAX, when a test of the same process has imported it, says the same of its threads.
        warnings.filterwarnings("ignore", r"os.fork\(\) was called", RuntimeWarning)
        child.start()
    child.join(timeout=60)
    assert child.exitcode == 0
    assert queue.get(timeout=5) == pytest.approx(500.0, rel=1e-12)  # σ(z) + σ(−z) = 1


def _cost_and_gradient_of_rows(X, y, theta, m):
    residual = X @ theta - y
    return residual @ residual / m, X.T @ residual / m


@pytest.mark.parametrize("rows_per_block", [1, 3, 7, 40])
def test_sums_over_row_blocks_equal_the_whole_sum(rows_per_block):
    rng = np.random.default_rng(7)
    X, y, theta = rng.normal(size=(40, 5)), rng.normal(size=40), rng.normal(size=5)
    with blocks.planned(linear_model_block_values=5 * rows_per_block):
        cost, gradient = blocks.sum_over_row_blocks(_cost_and_gradient_of_rows, X, (y,), (theta, 40))
    residual = X @ theta - y
    assert cost == pytest.approx(residual @ residual / 40, rel=1e-13)
    np.testing.assert_allclose(gradient, X.T @ residual / 40, rtol=1e-12, atol=1e-15)


def test_the_functions_give_the_same_numbers_however_the_rows_are_cut():
    """The public costs and gradients are computed block by block; cut into blocks of one row
    and shared among threads, they equal what one block gives."""
    from gradbook import functions as gb

    rng = np.random.default_rng(8)
    X, y = rng.normal(size=(30, 4)), (rng.random(30) < 0.5).astype(float)
    theta = rng.normal(size=4)
    Y, W = np.eye(3)[rng.integers(0, 3, 30)], rng.normal(size=(4, 3))
    whole = (gb.logistic_cost_and_grad(theta, X, y), gb.softmax_regression_cost_and_grad(W, X, Y))
    with blocks.planned(linear_model_block_values=4, block_values=3, parallel_from=0, threads=2):
        cut = (gb.logistic_cost_and_grad(theta, X, y), gb.softmax_regression_cost_and_grad(W, X, Y))
    for (cost, gradient), (cut_cost, cut_gradient) in zip(whole, cut, strict=True):
        assert cut_cost == pytest.approx(cost, rel=1e-13)
        np.testing.assert_allclose(cut_gradient, gradient, rtol=1e-12, atol=1e-15)


def test_row_sums_on_two_threads_equal_numpy_sums():
    rng = np.random.default_rng(9)
    labels = rng.dirichlet(np.ones(4), size=(3, 11))
    with blocks.planned(block_values=4, parallel_from=0, threads=2):
        totals = blocks.row_sums(labels, labels.dtype)
        wide = blocks.row_sums(labels.astype(np.float32), np.dtype(np.float64))
    np.testing.assert_allclose(totals, labels.sum(axis=-1), rtol=1e-15)
    assert totals.shape == (3, 11)
    # float32 labels summed in the float64 of the result, as the kernels see them
    assert wide.dtype == np.float64
    np.testing.assert_allclose(wide, labels.astype(np.float32).astype(np.float64).sum(axis=-1), rtol=1e-15)


def test_row_peaks_mark_the_first_largest_entry_of_each_row_once():
    """Ties included: the loss takes log1p of the sum less one term of exactly 1, so a row with
    two largest scores must lose one of them, not both."""
    rows = np.array([[3.0, 3.0, 1.0], [0.0, -1.0, 0.0], [-5.0, 2.0, 2.0], [1.0, 1.0, 1.0]], np.float32)
    peaks = blocks.row_peaks(rows)
    assert peaks.dtype == np.float32
    assert peaks.tolist() == [[1, 0, 0], [1, 0, 0], [0, 1, 0], [1, 0, 0]]
    assert blocks.row_peaks(np.array([1.0, 5.0, 5.0])).tolist() == [0, 1, 0]


def test_a_row_with_tied_largest_scores_has_the_loss_of_its_tie():
    """z = (3, 3, 1) with y on the first class: ln(2 + e^(−2)), by hand."""
    from gradbook import functions

    loss = functions.softmax_cross_entropy(np.array([[3.0, 3.0, 1.0]]), np.array([[1.0, 0.0, 0.0]]))
    assert loss[0] == pytest.approx(np.log(2 + np.exp(-2.0)), rel=1e-15)
