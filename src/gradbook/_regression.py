"""Linear regression's mean squared error and its gradient, as NumPy functions.

The formulas are the results of the derivation ``linear_regression_mse``: with the residual
r = Xθ − y, the cost is J(θ) = (1/(2m)) rᵀr and its gradient is ∇J(θ) = (1/m) Xᵀr. They are
plain linear algebra, so they are written by hand here rather than generated; this module is
meant to be re-exported by :mod:`gradbook.functions`.
"""

from __future__ import annotations

import numpy as np

from gradbook._validate import as_real_array, require_length, require_ndim

__all__ = ["mse_cost", "mse_cost_grad"]


def _regression_arguments(theta, X, y):
    theta, X, y = as_real_array("theta", theta), as_real_array("X", X), as_real_array("y", y)
    require_ndim("X", X, (2,), "a data matrix of shape (m, n)")
    require_ndim("theta", theta, (1,), "a parameter vector of shape (n,)")
    require_length("theta", theta, X.shape[1], "one parameter per column of X")
    require_ndim("y", y, (1,), "a target vector of shape (m,)")
    require_length("y", y, X.shape[0], "one target per row of X")
    return theta, X, y


def mse_cost(theta, X, y):
    """J(θ) = (1/(2m)) Σᵢ (xᵢ·θ − yᵢ)², half the mean squared residual.

    The argument order fits ``scipy.optimize.minimize(mse_cost, theta0, args=(X, y),
    jac=mse_cost_grad)``.
    """
    theta, X, y = _regression_arguments(theta, X, y)
    residual = X @ theta - y
    return np.mean(residual * residual) / 2


def mse_cost_grad(theta, X, y):
    """∇J(θ) = (1/m) Xᵀ(Xθ − y), of shape (n,)."""
    theta, X, y = _regression_arguments(theta, X, y)
    residual = X @ theta - y
    return (X.T @ residual) / X.shape[0]
