"""NumPy kernels generated from gradbook's checked derivations. Do not edit.

Regenerate with `gradbook generate`; the test suite fails if this file differs from
what the derivations produce. Before writing it, `gradbook generate` ran every kernel
on read-only inputs from the declared domains and compared it with its checked
expression. The kernels take floating-point arrays of at least one dimension and write
only into arrays they allocate; call them through `gradbook.functions`, which checks
the arguments. Made from:

* derivations/activation_derivatives.py
* derivations/log_loss.py
* derivations/softmax_cross_entropy.py
* derivations/stable_sigmoid.py
* derivations/unit_error_gradient.py

Content hash 4bd80dc2f16e0d0e.
"""

import numpy


def tanh_prime(z):
    """The derivative tanh′(z) = 1 − tanh²(z), elementwise.

    Derived in `activation_derivatives` (derivations/activation_derivatives.py).
    """
    a0 = numpy.abs(z)
    numpy.multiply(-2, a0, out=a0)
    numpy.exp(a0, out=a0)
    t0 = a0
    a1 = numpy.add(1, t0)
    numpy.square(a1, out=a1)
    numpy.divide(t0, a1, out=t0)
    numpy.multiply(4, t0, out=t0)
    numpy.minimum(1, t0, out=t0)
    return t0


def softmax_shifted(z, s):
    """Softmax along the last axis, with every score shifted by s.

    Derived in `softmax_cross_entropy` (derivations/softmax_cross_entropy.py).
    """
    a0 = numpy.subtract(z, s)
    numpy.exp(a0, out=a0)
    t0 = a0
    a1 = numpy.sum(t0, axis=-1, keepdims=True)
    numpy.divide(t0, a1, out=t0)
    return t0


def softmax_cross_entropy_grad_shifted(z, y, s):
    """∂L/∂z = softmax(z) − y along the last axis, with every score shifted by s.

    Derived in `softmax_cross_entropy` (derivations/softmax_cross_entropy.py).
    """
    a0 = numpy.subtract(z, s)
    numpy.exp(a0, out=a0)
    t0 = a0
    a1 = numpy.sum(t0, axis=-1, keepdims=True)
    numpy.divide(t0, a1, out=t0)
    numpy.subtract(t0, y, out=t0)
    return t0


def softmax_cross_entropy_shifted(z, y, s):
    """L = −Σ y ln softmax(z) along the last axis, with every score shifted by s.

    Derived in `softmax_cross_entropy` (derivations/softmax_cross_entropy.py).
    """
    a0 = numpy.subtract(z, s)
    t0 = a0
    a1 = numpy.exp(t0)
    a2 = numpy.sum(a1, axis=-1, keepdims=True)
    numpy.log(a2, out=a2)
    numpy.multiply(t0, y, out=t0)
    a3 = numpy.sum(t0, axis=-1, keepdims=True)
    numpy.subtract(a2, a3, out=a2)
    return a2


def sigmoid(z):
    """The logistic sigmoid σ(z) = 1/(1 + e⁻ᶻ), elementwise.

    Derived in `stable_sigmoid` (derivations/stable_sigmoid.py).
    """
    a0 = numpy.minimum(0, z)
    numpy.exp(a0, out=a0)
    a1 = numpy.abs(z)
    numpy.negative(a1, out=a1)
    numpy.exp(a1, out=a1)
    numpy.add(1, a1, out=a1)
    numpy.divide(a0, a1, out=a0)
    return a0


def sigmoid_prime(z):
    """The derivative σ′(z) = σ(z)(1 − σ(z)), elementwise.

    Derived in `stable_sigmoid` (derivations/stable_sigmoid.py).
    """
    a0 = numpy.abs(z)
    numpy.negative(a0, out=a0)
    numpy.exp(a0, out=a0)
    t0 = a0
    a1 = numpy.add(1, t0)
    numpy.square(a1, out=a1)
    numpy.divide(t0, a1, out=t0)
    return t0


def softplus(z):
    """softplus(z) = ln(1 + eᶻ), elementwise.

    Derived in `stable_sigmoid` (derivations/stable_sigmoid.py).
    """
    a0 = numpy.maximum(0, z)
    a1 = numpy.abs(z)
    numpy.negative(a1, out=a1)
    numpy.exp(a1, out=a1)
    numpy.log1p(a1, out=a1)
    numpy.add(a0, a1, out=a0)
    return a0


def error_logit_gradient(z, y):
    """∂E/∂z = σ(z) − y for the log loss on the logit z.

    Derived in `unit_error_gradient` (derivations/unit_error_gradient.py).
    """
    a0 = numpy.subtract(1, y)
    a1 = numpy.minimum(0, z)
    numpy.exp(a1, out=a1)
    numpy.multiply(a0, a1, out=a0)
    a2 = numpy.negative(z)
    numpy.minimum(0, a2, out=a2)
    numpy.exp(a2, out=a2)
    numpy.multiply(y, a2, out=a2)
    numpy.subtract(a0, a2, out=a0)
    a3 = numpy.abs(z)
    numpy.negative(a3, out=a3)
    numpy.exp(a3, out=a3)
    numpy.add(1, a3, out=a3)
    numpy.divide(a0, a3, out=a0)
    return a0


def log_loss_logit(y, z):
    """The binary cross-entropy −y ln σ(z) − (1 − y) ln(1 − σ(z)), elementwise, from logits.

    Derived in `log_loss` (derivations/log_loss.py).
    """
    a0 = numpy.negative(z)
    a1 = softplus(a0)
    numpy.multiply(y, a1, out=a1)
    a2 = numpy.subtract(1, y)
    a3 = softplus(z)
    numpy.multiply(a2, a3, out=a2)
    numpy.add(a1, a2, out=a1)
    return a1
