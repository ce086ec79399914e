"""The hand-written NumPy code each gradbook function is measured against.

Each is what a careful NumPy user writes from the formula, with no argument checks: the large
workloads' baselines save the temporaries such code usually saves (in-place exp and divide), the
small-call ones are the plain one-liners.
"""

from __future__ import annotations

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1 - s)


def tanh_prime(z):
    return 1 - np.tanh(z) ** 2


def relu_prime(z):
    return (z > 0).astype(z.dtype)


def log_loss(y, y_hat):
    return -(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))


def log_loss_with_logits(y, z):
    return y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z)


def unit_error_grad(x, y, w, b):
    delta = sigmoid(x @ w + b) - y
    return delta[:, np.newaxis] * x, delta


def logistic_cost(theta, X, y):
    p = sigmoid(X @ theta)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def logistic_cost_grad(theta, X, y):
    return X.T @ (1 / (1 + np.exp(-(X @ theta))) - y) / X.shape[0]


def logistic_cost_and_grad(theta, X, y):
    """Cost and gradient from one product X θ."""
    z = X @ theta
    p = 1 / (1 + np.exp(-z))
    cost = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    return cost, X.T @ (p - y) / X.shape[0]


def mse_cost(theta, X, y):
    r = X @ theta - y
    return r @ r / (2 * X.shape[0])


def mse_cost_grad(theta, X, y):
    return X.T @ (X @ theta - y) / X.shape[0]


def softmax(z):
    p = z - z.max(axis=-1, keepdims=True)
    np.exp(p, out=p)
    p /= p.sum(axis=-1, keepdims=True)
    return p


def softmax_cross_entropy(z, y):
    shifted = z - z.max(axis=-1, keepdims=True)
    return np.log(np.exp(shifted).sum(axis=-1)) - (y * shifted).sum(axis=-1)


def softmax_cross_entropy_grad(z, y):
    """Max-shift, exp in place, divide in place by the row sums, − Y."""
    p = softmax(z)
    p -= y
    return p


def softmax_cross_entropy_and_grad(z, y):
    return softmax_cross_entropy(z, y), softmax_cross_entropy_grad(z, y)


def softmax_regression_cost(W, X, Y):
    return np.mean(softmax_cross_entropy(X @ W, Y))


def softmax_regression_grad(W, X, Y):
    return X.T @ softmax_cross_entropy_grad(X @ W, Y) / X.shape[0]


def softmax_regression_cost_and_grad(W, X, Y):
    scores = X @ W
    cost = np.mean(softmax_cross_entropy(scores, Y))
    return cost, X.T @ softmax_cross_entropy_grad(scores, Y) / X.shape[0]
