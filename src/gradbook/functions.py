"""The NumPy functions compiled from gradbook's derivations.

Import them with ``from gradbook.functions import sigmoid, logistic_cost_grad, ...``. This module
needs only NumPy: the formulas come from :mod:`gradbook.kernels`, which is generated from the
checked derivations, and the functions here add what a formula cannot say by itself: argument
checks, the linear algebra around a per-point kernel (``Xᵀr`` as one matrix product), and the
choice of the shift ``c = max z`` that keeps the softmax free of overflow.

Conventions:

* elementwise functions accept any shape; batched functions put the batch first and the
  features or classes on the last axis;
* costs are means over the rows (``1/m``), not sums;
* the result's dtype is NumPy's result type of the floating-point arguments (float32 with
  float64 gives float64, and the whole computation runs in float64, so a float32 label never
  lowers its accuracy); integer and boolean arguments take that dtype, float64 if there is no
  floating-point argument;
* no overflow, NaN or floating-point warning for finite inputs whose true result is finite,
  up to the largest floats (scores of ±1e308 in one row included). The linear models and
  softmax regression need their products X θ and X W to fit in the float range as well:
  x = (1e308, 1e308) with θ = (1, 1) has a score of 2e308, which is inf before any stable
  formula sees it;
* large inputs are computed in blocks that stay in the processor's cache, on every core
  (:mod:`gradbook.blocks`; ``GRADBOOK_NUM_THREADS`` sets the number of threads);
* NaN in the input propagates to the output (it is never replaced by a finite number), except
  in the softmax-regression functions, which refuse NaN and infinity with a ``ValueError``:
  their matrix products would spread one bad entry over a whole row or column of the result;
* inputs are never modified; masked arrays are refused, since converting them would drop
  the mask;
* label rows of the softmax functions must sum to 1 to within the labels' own precision: 32
  ulp of 1 in their dtype, plus the error of the summation (float16 rows that sum to 1.1 are
  refused, float32 rows of 1000 classes rounded from a distribution are not);
* arrays of other libraries (PyTorch, JAX, CuPy, Dask, any library with an Array API namespace)
  are accepted with the optional ``array-api-compat`` package (``pip install
  "gradbook[array-api]"``) and give results of the same library, device and dtype, computed by
  the Array API twins of the same generated kernels (:mod:`gradbook._array_api_functions`).
  Dask results stay lazy: shapes and dtypes are checked at once, and value checks (labels in
  [0, 1], label rows that sum to 1, finite data) run inside the graph, raising from
  ``compute()``; on JAX arrays traced under ``jit`` they are skipped. NumPy arrays take the
  NumPy path, which needs nothing but NumPy.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

import numpy as np

from gradbook import _array_api_functions, blocks, kernels
from gradbook._array_api_arguments import is_other_array
from gradbook._validate import (
    as_real_array,
    linear_model_arguments,
    real_arrays,
    require_axis,
    require_finite,
    require_ndim,
    require_rows_that_sum_to_one,
    require_same_shape,
    require_softmax_regression_shapes,
    require_unit_interval,
    require_unit_shapes,
)
from gradbook.linear_regression import mse_cost as _mse_cost
from gradbook.linear_regression import mse_cost_grad as _mse_cost_grad

F = TypeVar("F", bound=Callable[..., object])

__all__ = [
    "log_loss",
    "log_loss_with_logits",
    "logistic_cost",
    "logistic_cost_and_grad",
    "logistic_cost_grad",
    "mse_cost",
    "mse_cost_grad",
    "relu_prime",
    "sigmoid",
    "sigmoid_prime",
    "softmax",
    "softmax_cross_entropy",
    "softmax_cross_entropy_and_grad",
    "softmax_cross_entropy_grad",
    "softmax_regression_cost",
    "softmax_regression_cost_and_grad",
    "softmax_regression_grad",
    "tanh_prime",
    "unit_error_grad",
]

#: The generated kernels each public function calls, by function name, as declared with
#: :func:`calls_kernels`. The site shows a function on the page of each kernel it calls; the
#: tests call every function and check that it calls exactly these.
KERNELS_CALLED: dict[str, tuple[str, ...]] = {}


def calls_kernels(*names: str) -> Callable[[F], F]:
    """Declare that the decorated public function calls the kernels ``names``."""

    def declare(function: F) -> F:
        KERNELS_CALLED[function.__name__] = names
        return function

    return declare


_NDARRAY = np.ndarray


def any_array_library(function: F) -> F:
    """Send a call with an array of another library than NumPy (PyTorch, JAX, CuPy, Dask,
    array-api-strict) to the function of the same name in :mod:`gradbook._array_api_functions`,
    which computes the same generated formulas through the Array API standard.

    A NumPy call pays one type comparison per argument, so the NumPy path keeps its speed.
    """
    other = getattr(_array_api_functions, function.__name__)

    @functools.wraps(function)
    def call(*args, **kwargs):
        for value in args:
            if type(value) is not _NDARRAY and is_other_array(value):
                return other(*args, **kwargs)
        if kwargs and any(is_other_array(value) for value in kwargs.values()):
            return other(*args, **kwargs)
        return function(*args, **kwargs)

    return call  # type: ignore[return-value]


mse_cost = any_array_library(_mse_cost)
mse_cost_grad = any_array_library(_mse_cost_grad)


def _elementwise(driver, *arrays: np.ndarray):
    """Call an elementwise kernel's blocked driver; a 0-d input gives a NumPy scalar back, as
    NumPy itself does."""
    result = driver(*arrays)
    return result[()] if result.ndim == 0 else result


@any_array_library
@calls_kernels("sigmoid")
def sigmoid(z):
    """σ(z) = 1/(1 + e⁻ᶻ) elementwise, for any shape; never overflows.

    >>> float(sigmoid(0.4))  # doctest: +ELLIPSIS
    0.598687...
    """
    return _elementwise(kernels.sigmoid_blocks, as_real_array("z", z))


@any_array_library
@calls_kernels("sigmoid_prime")
def sigmoid_prime(z):
    """σ′(z) = σ(z)(1 − σ(z)) elementwise, computed as exp(−|z|)/(1 + exp(−|z|))²."""
    return _elementwise(kernels.sigmoid_prime_blocks, as_real_array("z", z))


@any_array_library
@calls_kernels("tanh_prime")
def tanh_prime(z):
    """tanh′(z) = 1 − tanh²(z) elementwise, computed as min(1, 4e^(−2|z|)/(1 + e^(−2|z|))²).

    The textbook 1 − tanh²(z) cancels once |z| is a few units (it is 0 at z = 20, where the true
    value is 1.7e−17); this form subtracts nothing and is accurate to a few ulp everywhere, and
    the min with 1, which changes nothing on the reals, keeps the rounded value in [0, 1]. For
    |z| above 9e307, −2|z| is −inf, whose exponential is the correctly rounded 0 (the kernel
    lets that overflow happen without a warning).

    >>> float(tanh_prime(0.0))
    1.0
    """
    return _elementwise(kernels.tanh_prime_blocks, as_real_array("z", z))


@any_array_library
def relu_prime(z):
    """ReLU′(z) elementwise: 1 where z > 0, 0 where z < 0, and 0 at z = 0.

    max(0, z) has no derivative at 0: its left derivative is 0, its right derivative 1, and
    every value in [0, 1] is a subgradient. 0 is what PyTorch, TensorFlow and JAX use: a unit
    whose input is exactly 0 counts as off and passes no gradient back. NaN stays NaN.
    """
    z = as_real_array("z", z)
    return np.heaviside(z, np.zeros((), dtype=z.dtype))


@any_array_library
@calls_kernels("error_logit_gradient")
def unit_error_grad(x, y, w, b):
    """The gradient of one sigmoid unit's log loss: ``(dE_dw, dE_db)``.

    For one point (``x`` of shape (n,), scalar ``y``): ``dE_dw = −(y − ŷ)x`` of shape (n,) and
    ``dE_db = −(y − ŷ)``, with ŷ = σ(w·x + b). For a batch (``x`` of shape (m, n), ``y`` of
    shape (m,)): one gradient per row, shapes (m, n) and (m,).

    The residual ŷ − y keeps a few ulp of relative accuracy for labels of 0 and 1, down to the
    smallest floats. For a label strictly between 0 and 1 it is within about 1ε of the true
    value, absolutely: where ŷ is close to such a label (z = 1e−10, y = 0.5 gives 2.5e−11) it
    has fewer correct digits.
    """
    (x, y, w, b), dtype = real_arrays(x=x, y=y, w=w, b=b)
    require_unit_shapes(x, y, w, b)
    require_unit_interval("y", y)
    if not x.dtype == w.dtype == b.dtype == dtype:
        x, w, b = (array.astype(dtype, copy=False) for array in (x, w, b))
    delta = _elementwise(kernels.error_logit_gradient_blocks, x @ w + b, y)
    return delta[..., np.newaxis] * x, delta


@any_array_library
def log_loss(y, y_hat):
    """Binary cross-entropy −y ln ŷ − (1 − y) ln(1 − ŷ) elementwise, on probabilities.

    Uses the convention 0·ln 0 = 0: a prediction of exactly 0 or 1 costs nothing when the label
    agrees and +inf when it contradicts the label. There is no clamping. ``y`` and ``y_hat`` must
    have the same shape, with values in [0, 1]. Both are computed in their common dtype, so a
    float32 label beside a float64 prediction costs no accuracy.
    """
    (y, y_hat), common = real_arrays(y=y, y_hat=y_hat)
    require_same_shape("y_hat", y_hat, "y", y)
    require_unit_interval("y", y)
    low, high = require_unit_interval("y_hat", y_hat)
    if not y.dtype == y_hat.dtype == common:
        y, y_hat = y.astype(common, copy=False), y_hat.astype(common, copy=False)
    if low > 0 and high < 1:
        # No prediction is certain, so no logarithm is of 0: the plain form, with nothing to fix.
        return -(y * np.log(y_hat) + (1 - y) * np.log1p(-y_hat))[()]
    return _binary_cross_entropy(y, y_hat)


def _binary_cross_entropy(y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
    """−y ln ŷ − (1 − y) log1p(−ŷ) for ``y`` and ``y_hat`` of one dtype, with 0·ln 0 = 0.

    ln(1 − ŷ) is taken as log1p(−ŷ): rounding 1 − ŷ first would turn ŷ = 1e−17 into 1 and the
    loss of y = 0 into 0 instead of 1e−17. Both terms are ≥ 0, so their sum cannot cancel and the
    loss keeps the relative accuracy of its terms in both tails.

    ln 0 = −inf is the true value where a certain prediction contradicts the label, not an
    overflow, so it is computed without a warning. The one product that is undefined, 0·(−inf),
    arises exactly where y = ŷ = 0 or y = ŷ = 1; the convention sets it to 0. Fixing those few
    entries afterwards costs one comparison instead of masking every log.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        loss = -(y * np.log(y_hat) + (1 - y) * np.log1p(-y_hat))
    certain_and_right = np.isnan(loss) & (y == y_hat)
    if np.any(certain_and_right):
        loss = np.where(certain_and_right, 0, loss)[()]
    return loss


@any_array_library
@calls_kernels("log_loss_logit")
def log_loss_with_logits(y, z):
    """Binary cross-entropy of σ(z) against ``y``, computed from the logit ``z`` without overflow.

    Equal to ``log_loss(y, sigmoid(z))`` but finite and accurate for every finite ``z``:
    y·max(−z, 0) + (1 − y)·max(z, 0) + ln(1 + e^(−|z|)).
    """
    (y, z), _ = real_arrays(y=y, z=z)
    require_same_shape("z", z, "y", y)
    require_unit_interval("y", y)
    return _elementwise(kernels.log_loss_logit_blocks, y, z)


def _logistic_arguments(theta, X, y):
    theta, X, y = linear_model_arguments(theta, X, y, "label")
    require_unit_interval("y", y)
    return theta, X, y


@any_array_library
@calls_kernels("log_loss_logit")
def logistic_cost(theta, X, y):
    """J(θ) = −(1/m) Σᵢ [yᵢ ln σ(xᵢ·θ) + (1 − yᵢ) ln(1 − σ(xᵢ·θ))], the mean log loss.

    The argument order fits ``scipy.optimize.minimize(logistic_cost, theta0, args=(X, y),
    jac=logistic_cost_grad)``; :func:`logistic_cost_and_grad` gives both from one pass.
    """
    theta, X, y = _logistic_arguments(theta, X, y)
    (cost,) = blocks.sum_over_row_blocks(_logistic_cost_of_rows, X, (y,), (theta, X.shape[0]))
    return cost


@any_array_library
@calls_kernels("error_logit_gradient")
def logistic_cost_grad(theta, X, y):
    """∇J(θ) = (1/m) Xᵀ(σ(Xθ) − y), of shape (n,)."""
    theta, X, y = _logistic_arguments(theta, X, y)
    (grad,) = blocks.sum_over_row_blocks(_logistic_grad_of_rows, X, (y,), (theta, X.shape[0]))
    return grad


@any_array_library
@calls_kernels("log_loss_logit_and_gradient")
def logistic_cost_and_grad(theta, X, y):
    """``(J(θ), ∇J(θ))``: the mean log loss and its gradient, from one product Xθ.

    An optimiser that asks for both at every step pays for one pass over X: each block of rows
    is multiplied by θ, its losses and residuals σ(xᵢ·θ) − yᵢ computed together (they share
    e^(−|xᵢ·θ|)), and the same block, still in cache, multiplied by the residuals. Made for

        scipy.optimize.minimize(logistic_cost_and_grad, theta0, args=(X, y), jac=True)

    which reads ``jac=True`` as "the function returns the cost and its gradient".

    >>> X = np.array([[1.0, 0.5], [1.0, -1.5]]); y = np.array([1.0, 0.0])
    >>> cost, grad = logistic_cost_and_grad(np.zeros(2), X, y)
    >>> round(float(cost), 6), grad.tolist()  # ln 2, and (1/2)Xᵀ(1/2 − y)
    (0.693147, [0.0, -0.5])
    """
    theta, X, y = _logistic_arguments(theta, X, y)
    return blocks.sum_over_row_blocks(_logistic_cost_and_grad_of_rows, X, (y,), (theta, X.shape[0]))


# The three functions below compute a block of rows' share of the cost and the gradient. Each
# share is divided by m before it is added up: a sum of losses, or of products of features
# and residuals, near the largest float would overflow where the mean does not.


def _logistic_cost_of_rows(X, y, theta, m):
    return (_mean_part(kernels.log_loss_logit_blocks(y, X @ theta), m),)


def _logistic_grad_of_rows(X, y, theta, m):
    residual = kernels.error_logit_gradient_blocks(X @ theta, y)
    return (X.T @ np.divide(residual, m, residual),)


def _logistic_cost_and_grad_of_rows(X, y, theta, m):
    losses, residual = kernels.log_loss_logit_and_gradient_blocks(y, X @ theta)
    return _mean_part(losses, m), X.T @ np.divide(residual, m, residual)


def _mean_part(values: np.ndarray, m: int) -> np.floating:
    """Σ values/m, for values the caller owns."""
    return np.add.reduce(np.divide(values, m, values), axis=None)


@any_array_library
@calls_kernels("softmax_shifted")
def softmax(z, axis=-1):
    """pₖ = exp(zₖ)/Σⱼ exp(zⱼ) along ``axis``, shifted by the largest score so nothing overflows."""
    z = as_real_array("z", z)
    axis = require_axis("z", z, axis)
    if axis in (-1, z.ndim - 1):  # the usual call: moveaxis would cost it 2 µs for nothing
        return kernels.softmax_shifted_blocks(z)
    moved = np.moveaxis(z, axis, -1)
    return np.moveaxis(kernels.softmax_shifted_blocks(moved), -1, axis)


def _softmax_arguments(z, y):
    """Scores and label rows of one shape; the labels convert to the result's dtype in blocks."""
    (z, y), dtype = real_arrays(z=z, y=y)
    require_ndim("z", z, (1, 2), "scores of shape (K,) or (n, K)")
    require_same_shape("y", y, "z", z)
    require_rows_that_sum_to_one("y", y, dtype)
    return z, y


@any_array_library
@calls_kernels("softmax_cross_entropy_shifted")
def softmax_cross_entropy(z, y):
    """L = −Σₖ yₖ ln softmax(z)ₖ, one loss per row (a scalar for z of shape (K,)).

    ``y`` holds one-hot or probability rows of the same shape as ``z``; each row must sum to 1
    (``ValueError`` otherwise). Entries are not range-checked: for any rows that sum to 1 the
    value returned is exactly −Σₖ yₖ ln softmax(z)ₖ. Finite for any finite scores, including
    rows that span more than the float range, such as (1e308, 0, −1e308).

    A small loss, of a confident and right prediction, keeps its relative accuracy: the log of
    the row sum is taken as log1p of the terms other than the largest, which the shift makes
    exactly 1 (z = (40, 0) with y on the first class gives 4.25e−18, where the plain log-sum-exp
    of scipy and PyTorch gives 0).
    """
    z, y = _softmax_arguments(z, y)
    # [()]: a NumPy scalar for one row, as the elementwise functions give for one value.
    return kernels.softmax_cross_entropy_shifted_blocks(z, y)[..., 0][()]


@any_array_library
@calls_kernels("softmax_cross_entropy_grad_shifted")
def softmax_cross_entropy_grad(z, y):
    """∂L/∂z = softmax(z) − y, of the shape of ``z``.

    The form p − y needs label rows that sum to 1; other rows raise ``ValueError``. For any rows
    that sum to 1, in or outside [0, 1], it is the exact gradient of ``softmax_cross_entropy``.
    Each entry's error is within 32ε × max(1, |entry|) (about 1.5ε in practice), so an entry
    near 0 (p close to y, a confident, right prediction) has fewer correct digits than ulp.
    """
    z, y = _softmax_arguments(z, y)
    return kernels.softmax_cross_entropy_grad_shifted_blocks(z, y)


@any_array_library
@calls_kernels("softmax_cross_entropy_and_grad_shifted")
def softmax_cross_entropy_and_grad(z, y):
    """``(L, ∂L/∂z)``: the loss of each row and its gradient softmax(z) − y, in one pass.

    The same values as :func:`softmax_cross_entropy` and :func:`softmax_cross_entropy_grad`;
    computed together they share the shifted exponentials and their row sums.
    """
    z, y = _softmax_arguments(z, y)
    losses, gradient = kernels.softmax_cross_entropy_and_grad_shifted_blocks(z, y)
    return losses[..., 0][()], gradient


def _softmax_regression_arguments(W, X, Y):
    """Check ``(W, X, Y)`` of softmax regression: W is (n, K), X (m, n), Y (m, K), all finite,
    and every row of Y sums to 1. W and X are returned in the result's dtype (the labels are
    converted block by block)."""
    (W, X, Y), dtype = real_arrays(W=W, X=X, Y=Y)
    require_softmax_regression_shapes(W, X, Y)
    for name, array in (("W", W), ("X", X), ("Y", Y)):
        require_finite(name, array)
    require_rows_that_sum_to_one("Y", Y, dtype)
    if not W.dtype == X.dtype == dtype:
        W, X = W.astype(dtype, copy=False), X.astype(dtype, copy=False)
    return W, X, Y


@any_array_library
@calls_kernels("softmax_cross_entropy_shifted")
def softmax_regression_cost(W, X, Y):
    """J(W) = −(1/m) Σᵢ Σ_c Y_ic ln P_ic with P = softmax(XW) row by row: the mean cross-entropy.

    ``W`` has shape (n, K) (a column of weights per class), ``X`` shape (m, n) and ``Y`` shape
    (m, K), one-hot or probability rows that sum to 1. Each row's loss is computed from its
    scores z shifted by their largest, sᵢ: ln Σ_c exp(z_ic − sᵢ) − Σ_c Y_ic (z_ic − sᵢ), so
    scores as large as ±1e308 do not overflow. As in :func:`softmax_cross_entropy`, a small
    cost keeps its relative accuracy.
    """
    W, X, Y = _softmax_regression_arguments(W, X, Y)
    (cost,) = blocks.sum_over_row_blocks(_softmax_cost_of_rows, X, (Y,), (W, X.shape[0]))
    return cost


@any_array_library
@calls_kernels("softmax_cross_entropy_grad_shifted")
def softmax_regression_grad(W, X, Y):
    """∇J(W) = (1/m) Xᵀ(P − Y), of shape (n, K), with P = softmax(XW) row by row.

    The residual P − Y is the softmax cross-entropy gradient of each row, computed from the
    shifted scores; the matrix product sums it over the rows.
    """
    W, X, Y = _softmax_regression_arguments(W, X, Y)
    (grad,) = blocks.sum_over_row_blocks(_softmax_grad_of_rows, X, (Y,), (W, X.shape[0]))
    return grad


@any_array_library
@calls_kernels("softmax_cross_entropy_and_grad_shifted")
def softmax_regression_cost_and_grad(W, X, Y):
    """``(J(W), ∇J(W))`` from one pass over X: the mean cross-entropy and its gradient.

    For ``scipy.optimize.minimize``, which works on flat vectors, wrap it:
    ``fun = lambda w: (lambda J, G: (J, G.ravel()))(*softmax_regression_cost_and_grad(
    w.reshape(n, K), X, Y))`` with ``jac=True``.
    """
    W, X, Y = _softmax_regression_arguments(W, X, Y)
    return blocks.sum_over_row_blocks(_softmax_cost_and_grad_of_rows, X, (Y,), (W, X.shape[0]))


def _softmax_cost_of_rows(X, Y, W, m):
    return (_mean_part(kernels.softmax_cross_entropy_shifted_blocks(X @ W, Y), m),)


def _softmax_grad_of_rows(X, Y, W, m):
    residual = kernels.softmax_cross_entropy_grad_shifted_blocks(X @ W, Y)
    return (X.T @ np.divide(residual, m, residual),)


def _softmax_cost_and_grad_of_rows(X, Y, W, m):
    losses, residual = kernels.softmax_cross_entropy_and_grad_shifted_blocks(X @ W, Y)
    return _mean_part(losses, m), X.T @ np.divide(residual, m, residual)
