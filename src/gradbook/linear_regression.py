"""Linear regression's mean squared error and its gradient, as NumPy functions.

The formulas are the results of the derivation ``linear_regression_mse``: with the residual
r = Xθ − y, the cost is J(θ) = (1/(2m)) rᵀr and its gradient is ∇J(θ) = (1/m) Xᵀr. They are
plain linear algebra, so they are written by hand here rather than generated; this module is
meant to be re-exported by :mod:`gradbook.functions`.
"""

from __future__ import annotations

import math

import numpy as np

from gradbook._validate import linear_model_arguments

__all__ = ["mse_cost", "mse_cost_grad"]


def _regression_arguments(theta, X, y):
    return linear_model_arguments(theta, X, y, "target")


def mse_cost(theta, X, y):
    """J(θ) = (1/(2m)) Σᵢ (xᵢ·θ − yᵢ)², half the mean squared residual.

    The argument order fits ``scipy.optimize.minimize(mse_cost, theta0, args=(X, y),
    jac=mse_cost_grad)``.
    """
    theta, X, y = _regression_arguments(theta, X, y)
    # Each residual is scaled by 1/√(2m) before it is squared and summed: the squares of
    # residuals near 1e154 and their sum would overflow where half their mean does not (one
    # residual of 1.5e154 costs 1.125e308).
    scaled = X @ theta - y
    # A Python float: numpy.sqrt with a dtype costs a small call as much as the product.
    np.divide(scaled, math.sqrt(2 * X.shape[0]), scaled)
    return scaled @ scaled


def mse_cost_grad(theta, X, y):
    """∇J(θ) = (1/m) Xᵀ(Xθ − y), of shape (n,)."""
    theta, X, y = _regression_arguments(theta, X, y)
    residual = X @ theta - y
    # Divided before the product, so that a sum of large terms cannot overflow.
    return X.T @ np.divide(residual, X.shape[0], residual)
