"""The same computations done by SciPy and scikit-learn, when they are installed.

Both are optional (``pip install gradbook[bench]``): gradbook itself needs only NumPy. A peer
whose library is missing is reported as "not installed". scikit-learn's losses live in its
private module ``sklearn._loss``; they take the labels of the multinomial loss as class indices
and run on ``SKLEARN_THREADS`` threads (all the machine's cores).
"""

from __future__ import annotations

import os

import numpy as np

try:
    import scipy
    import scipy.special as special
except ImportError:
    scipy = special = None

try:
    import sklearn
    from sklearn._loss import HalfBinomialLoss, HalfMultinomialLoss
except ImportError:
    sklearn = HalfBinomialLoss = HalfMultinomialLoss = None

SKLEARN_THREADS = os.cpu_count() or 1


def installed() -> dict[str, str | None]:
    """The version of each peer library, or None where it is not installed."""
    return {
        "scipy": scipy.__version__ if scipy else None,
        "sklearn": sklearn.__version__ if sklearn else None,
    }


def scipy_sigmoid(z):
    return special.expit(z)


def scipy_softmax_cross_entropy_grad(z, y):
    return special.softmax(z, axis=1) - y


def scipy_logistic_cost_grad(theta, X, y):
    return X.T @ (special.expit(X @ theta) - y) / X.shape[0]


def scipy_logistic_cost_and_grad(theta, X, y):
    z = X @ theta
    cost = -np.mean(y * special.log_expit(z) + (1 - y) * special.log_expit(-z))
    return cost, X.T @ (special.expit(z) - y) / X.shape[0]


def sklearn_softmax_cross_entropy_grad(z, labels):
    """softmax(z) − onehot(labels); ``labels`` are class indices as floats, as sklearn wants them."""
    loss = HalfMultinomialLoss(n_classes=z.shape[1])
    return loss.gradient(y_true=labels, raw_prediction=z, n_threads=SKLEARN_THREADS)


def sklearn_logistic_cost_grad(theta, X, y):
    residual = HalfBinomialLoss().gradient(y_true=y, raw_prediction=X @ theta, n_threads=SKLEARN_THREADS)
    return X.T @ residual / X.shape[0]


def sklearn_logistic_cost_and_grad(theta, X, y):
    losses, residual = HalfBinomialLoss().loss_gradient(
        y_true=y, raw_prediction=X @ theta, n_threads=SKLEARN_THREADS
    )
    return np.mean(losses), X.T @ residual / X.shape[0]
