"""NumPy kernels generated from gradbook's checked derivations. Do not edit.

Regenerate with `gradbook generate`; the test suite fails if this file differs from
what the derivations produce. Made from:

* derivations/log_loss.py
* derivations/softmax_cross_entropy.py
* derivations/stable_sigmoid.py
* derivations/unit_error_gradient.py

Content hash 6163267aa5810104.
"""

import numpy


def softmax_shifted(z, c):
    """Softmax along the last axis, with every score shifted by c.

    Derived in `softmax_cross_entropy` (derivations/softmax_cross_entropy.py).
    """
    a0 = numpy.subtract(z, c)
    numpy.exp(a0, out=a0)
    t0 = a0
    a1 = numpy.sum(t0, axis=-1, keepdims=True)
    numpy.divide(t0, a1, out=t0)
    return t0


def softmax_cross_entropy_grad_shifted(z, y, c):
    """∂L/∂z = softmax(z) − y along the last axis, with every score shifted by c.

    Derived in `softmax_cross_entropy` (derivations/softmax_cross_entropy.py).
    """
    a0 = numpy.subtract(z, c)
    numpy.exp(a0, out=a0)
    t0 = a0
    a1 = numpy.sum(t0, axis=-1, keepdims=True)
    numpy.divide(t0, a1, out=t0)
    numpy.subtract(t0, y, out=t0)
    return t0


def softmax_cross_entropy_shifted(z, y, c):
    """L = −Σₖ yₖ log softmax(z)ₖ along the last axis, with every score shifted by c.

    Derived in `softmax_cross_entropy` (derivations/softmax_cross_entropy.py).
    """
    a0 = numpy.subtract(z, c)
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
    return numpy.exp(numpy.minimum(0, z))/(1 + numpy.exp(-abs(z)))


def sigmoid_prime(z):
    """The derivative σ′(z) = σ(z)(1 − σ(z)), elementwise.

    Derived in `stable_sigmoid` (derivations/stable_sigmoid.py).
    """
    t0 = numpy.exp(-abs(z))
    return t0/(t0 + 1)**2


def softplus(z):
    """softplus(z) = log(1 + eᶻ), elementwise.

    Derived in `stable_sigmoid` (derivations/stable_sigmoid.py).
    """
    return numpy.log1p(numpy.exp(-abs(z))) + numpy.maximum(0, z)


def error_logit_gradient(z, y):
    """∂E/∂z = σ(z) − y for the log loss on the logit z.

    Derived in `unit_error_gradient` (derivations/unit_error_gradient.py).
    """
    return -y*sigmoid(-z) + (1 - y)*sigmoid(z)


def log_loss_logit(y, z):
    """The binary cross-entropy −y log σ(z) − (1 − y) log(1 − σ(z)), elementwise, from logits.

    Derived in `log_loss` (derivations/log_loss.py).
    """
    return y*softplus(-z) + (1 - y)*softplus(z)
