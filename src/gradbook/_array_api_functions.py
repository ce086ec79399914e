"""The public functions on arrays of any Array API library: PyTorch, JAX, CuPy, Dask, array-api-strict.

:mod:`gradbook.functions` sends a call here when one of its arguments is an array of a library
other than NumPy. The formulas are the same generated kernels, in their Array API form (the
``<kernel>_xp`` twins in :mod:`gradbook.kernels`, checked against the derivations like the NumPy
kernels); what is written here is what a formula cannot say: argument checks, conversions and
the matrix products around a per-point kernel. The NumPy functions stay as they are, in place
and in blocks: this module is never on their path.

Arguments and results:

* the arrays are put in one library: NumPy arrays, lists and Python numbers passed beside an
  array of another library are converted to that library, on that array's device;
* the result's dtype is the Array API result type of the floating-point arguments (Python
  numbers do not count), as in NumPy; integer and boolean labels take it;
* shapes and dtypes are checked at once, also for lazy arrays (Dask), whose shapes are known
  without computing anything;
* value checks (labels in [0, 1], label rows that sum to 1, finite data) are made at once on
  eager arrays and inside the graph on Dask arrays (:mod:`gradbook._array_api_arguments`);
* the linear models on Dask arrays of NumPy chunks run the NumPy function on each chunk of rows
  and add up the chunks' shares (:mod:`gradbook._dask_rows`).
"""

from __future__ import annotations

import math

from gradbook import _dask_rows, kernels
from gradbook._array_api_arguments import (
    Arguments,
    Array,
    require_finite,
    require_rows_that_sum_to_one,
    require_unit_interval,
)
from gradbook._dask_rows import COST, GRADIENT
from gradbook._validate import (
    require_axis,
    require_known_rows,
    require_linear_model_shapes,
    require_ndim,
    require_same_shape,
    require_softmax_regression_shapes,
    require_unit_shapes,
)

# -- elementwise -----------------------------------------------------------------------------


def sigmoid(z):
    return kernels.sigmoid_xp(Arguments(z=z)["z"])


def sigmoid_prime(z):
    return kernels.sigmoid_prime_xp(Arguments(z=z)["z"])


def tanh_prime(z):
    return kernels.tanh_prime_xp(Arguments(z=z)["z"])


def relu_prime(z):
    arguments = Arguments(z=z)
    xp, z = arguments.xp, arguments["z"]
    steps = xp.astype(z > 0, z.dtype)
    return xp.where(xp.isnan(z), z, steps)


def log_loss(y, y_hat):
    arguments = Arguments(y=y, y_hat=y_hat)
    require_same_shape("y_hat", arguments["y_hat"], "y", arguments["y"])
    require_unit_interval(arguments, "y")
    require_unit_interval(arguments, "y_hat")
    xp, y, y_hat = arguments.xp, arguments["y"], arguments["y_hat"]
    # ln 0 = −inf is taken from a where, never computed: a library built on NumPy would warn.
    ln_p = xp.where(y_hat == 0, -math.inf, xp.log(xp.where(y_hat == 0, 1.0, y_hat)))
    ln_q = xp.where(y_hat == 1, -math.inf, xp.log1p(-xp.where(y_hat == 1, 0.0, y_hat)))
    # The convention 0·ln 0 = 0: the logarithm a label weight of exactly 0 multiplies is
    # replaced by 0 first, so that 0·(−inf) is never computed.
    first = y * xp.where(y == 0, 0.0, ln_p)
    second = (1.0 - y) * xp.where(y == 1, 0.0, ln_q)
    return -(first + second)


def log_loss_with_logits(y, z):
    arguments = Arguments(y=y, z=z)
    require_same_shape("z", arguments["z"], "y", arguments["y"])
    require_unit_interval(arguments, "y")
    return kernels.log_loss_logit_xp(arguments["y"], arguments["z"])


def unit_error_grad(x, y, w, b):
    arguments = Arguments(x=x, y=y, w=w, b=b)
    xp, x, y, w, b = arguments.xp, arguments["x"], arguments["y"], arguments["w"], arguments["b"]
    require_unit_shapes(x, y, w, b)
    require_unit_interval(arguments, "y")
    delta = kernels.error_logit_gradient_xp(x @ w + b, arguments["y"])
    return xp.expand_dims(delta, axis=-1) * x, delta


# -- linear models ---------------------------------------------------------------------------


def _linear_model(theta, X, y, target: str) -> Arguments:
    arguments = Arguments(theta=theta, X=X, y=y)
    theta, X, y = arguments["theta"], arguments["X"], arguments["y"]
    require_linear_model_shapes(theta, X, y, target)
    require_known_rows("X", X)
    return arguments


def _by_chunks(name: str, arguments: Arguments, names: tuple[str, str, str], outputs: tuple[str, ...]):
    """The NumPy function ``name`` on each chunk of rows of Dask arrays of NumPy chunks
    (:mod:`gradbook._dask_rows`), or None for other arrays, which take the Array API path."""
    arrays = [arguments[argument] for argument in names]
    if not (arguments.dask and _dask_rows.of_numpy_chunks(*arrays)):
        return None
    from gradbook import functions  # here: gradbook.functions imports this module

    numpy_function = getattr(functions, name).__wrapped__
    return _dask_rows.by_chunks_of_rows(numpy_function, *arrays, outputs, arguments.dtype)


def _logistic(arguments: Arguments) -> tuple[Array, Array, Array, int]:
    require_unit_interval(arguments, "y")
    X = arguments["X"]
    return X, X @ arguments["theta"], arguments["y"], X.shape[0]


_LINEAR = ("theta", "X", "y")


def logistic_cost(theta, X, y):
    arguments = _linear_model(theta, X, y, "label")
    by_chunks = _by_chunks("logistic_cost", arguments, _LINEAR, (COST,))
    if by_chunks is not None:
        return by_chunks
    _, z, y, m = _logistic(arguments)
    return arguments.xp.sum(kernels.log_loss_logit_xp(y, z) / m)


def logistic_cost_grad(theta, X, y):
    arguments = _linear_model(theta, X, y, "label")
    by_chunks = _by_chunks("logistic_cost_grad", arguments, _LINEAR, (GRADIENT,))
    if by_chunks is not None:
        return by_chunks
    X, z, y, m = _logistic(arguments)
    return X.T @ (kernels.error_logit_gradient_xp(z, y) / m)


def logistic_cost_and_grad(theta, X, y):
    arguments = _linear_model(theta, X, y, "label")
    by_chunks = _by_chunks("logistic_cost_and_grad", arguments, _LINEAR, (COST, GRADIENT))
    if by_chunks is not None:
        return by_chunks
    X, z, y, m = _logistic(arguments)
    losses, residual = kernels.log_loss_logit_and_gradient_xp(y, z)
    return arguments.xp.sum(losses / m), X.T @ (residual / m)


def mse_cost(theta, X, y):
    arguments = _linear_model(theta, X, y, "target")
    by_chunks = _by_chunks("mse_cost", arguments, _LINEAR, (COST,))
    if by_chunks is not None:
        return by_chunks
    X = arguments["X"]
    # Scaled by 1/√(2m) before squaring, as in the NumPy function: the squares of large
    # residuals would overflow where half their mean does not.
    scaled = (X @ arguments["theta"] - arguments["y"]) / math.sqrt(2 * X.shape[0])
    return arguments.xp.sum(scaled * scaled)


def mse_cost_grad(theta, X, y):
    arguments = _linear_model(theta, X, y, "target")
    by_chunks = _by_chunks("mse_cost_grad", arguments, _LINEAR, (GRADIENT,))
    if by_chunks is not None:
        return by_chunks
    X = arguments["X"]
    return X.T @ ((X @ arguments["theta"] - arguments["y"]) / X.shape[0])


# -- softmax ---------------------------------------------------------------------------------


def softmax(z, axis=-1):
    arguments = Arguments(z=z)
    xp, z = arguments.xp, arguments["z"]
    axis = require_axis("z", z, axis)
    moved = xp.moveaxis(z, axis, -1)
    return xp.moveaxis(kernels.softmax_shifted_xp_rows(moved), -1, axis)


def _softmax(z, y) -> tuple[Array, Array]:
    arguments = Arguments(z=z, y=y)
    z, y = arguments["z"], arguments["y"]
    require_ndim("z", z, (1, 2), "scores of shape (K,) or (n, K)")
    require_same_shape("y", y, "z", z)
    require_rows_that_sum_to_one(arguments, "y")
    return z, arguments["y"]


def softmax_cross_entropy(z, y):
    return kernels.softmax_cross_entropy_wide_rows_xp_rows(*_softmax(z, y))[..., 0]


def softmax_cross_entropy_grad(z, y):
    return kernels.softmax_cross_entropy_grad_shifted_xp_rows(*_softmax(z, y))


def softmax_cross_entropy_and_grad(z, y):
    losses, gradient = kernels.softmax_cross_entropy_and_grad_wide_rows_xp_rows(*_softmax(z, y))
    return losses[..., 0], gradient


def _softmax_regression(W, X, Y) -> Arguments:
    arguments = Arguments(W=W, X=X, Y=Y)
    require_softmax_regression_shapes(arguments["W"], arguments["X"], arguments["Y"])
    require_known_rows("X", arguments["X"])
    return arguments


def _softmax_scores(arguments: Arguments) -> tuple[Array, Array, Array, int]:
    for name in ("W", "X", "Y"):
        require_finite(arguments, name)
    require_rows_that_sum_to_one(arguments, "Y")
    W, X, Y = arguments["W"], arguments["X"], arguments["Y"]
    return X, X @ W, Y, X.shape[0]


_SOFTMAX_REGRESSION = ("W", "X", "Y")


def softmax_regression_cost(W, X, Y):
    arguments = _softmax_regression(W, X, Y)
    by_chunks = _by_chunks("softmax_regression_cost", arguments, _SOFTMAX_REGRESSION, (COST,))
    if by_chunks is not None:
        return by_chunks
    _, scores, Y, m = _softmax_scores(arguments)
    return arguments.xp.sum(kernels.softmax_cross_entropy_wide_rows_xp_rows(scores, Y) / m)


def softmax_regression_grad(W, X, Y):
    arguments = _softmax_regression(W, X, Y)
    by_chunks = _by_chunks("softmax_regression_grad", arguments, _SOFTMAX_REGRESSION, (GRADIENT,))
    if by_chunks is not None:
        return by_chunks
    X, scores, Y, m = _softmax_scores(arguments)
    return X.T @ (kernels.softmax_cross_entropy_grad_shifted_xp_rows(scores, Y) / m)


def softmax_regression_cost_and_grad(W, X, Y):
    arguments = _softmax_regression(W, X, Y)
    by_chunks = _by_chunks(
        "softmax_regression_cost_and_grad", arguments, _SOFTMAX_REGRESSION, (COST, GRADIENT)
    )
    if by_chunks is not None:
        return by_chunks
    X, scores, Y, m = _softmax_scores(arguments)
    losses, residual = kernels.softmax_cross_entropy_and_grad_wide_rows_xp_rows(scores, Y)
    return arguments.xp.sum(losses / m), X.T @ (residual / m)
