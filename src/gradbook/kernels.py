"""NumPy kernels generated from gradbook's checked derivations. Do not edit.

Regenerate with `gradbook generate`; the test suite fails if this file differs from
what the derivations produce. Before writing it, `gradbook generate` ran every kernel
and its blocked driver on read-only inputs from the declared domains and compared
them with the checked expressions. The kernels take floating-point arrays of at least
one dimension and write only into arrays they allocate or are given as `out`; call
them through `gradbook.functions`, which checks the arguments. Each kernel `<name>`
has a twin `<name>_xp` for the arrays of other libraries, written against their
Array API namespace (array-api-compat), checked in the same way. Made from:

* derivations/activation_derivatives.py
* derivations/log_loss.py
* derivations/softmax_cross_entropy.py
* derivations/stable_sigmoid.py
* derivations/unit_error_gradient.py

Content hash b47bd4455c201459.
"""

import numpy

from gradbook import blocks
from gradbook.array_api import array_namespace


def tanh_prime(z, out=None, scratch=(None,)):
    """The derivative tanh′(z) = 1 − tanh²(z), elementwise.

    Derived in `activation_derivatives` (derivations/activation_derivatives.py).
    """
    a0 = numpy.abs(z, out=out)
    numpy.negative(a0, a0)
    numpy.exp(a0, a0)
    numpy.square(a0, a0)
    t0 = a0
    a1 = numpy.add(1.0, t0, out=scratch[0])
    numpy.square(a1, a1)
    numpy.divide(t0, a1, t0)
    numpy.multiply(4.0, t0, t0)
    numpy.minimum(1.0, t0, out=t0)
    return t0


def tanh_prime_blocks(z):
    """`tanh_prime` over blocks of values, on every core."""
    if blocks.fits_one_block(z):
        return tanh_prime(z, out=None)
    return blocks.run(tanh_prime, (z,), ('full',), elementwise=True, scratch=1)


def tanh_prime_xp(z):
    """`tanh_prime` on arrays of any Array API library."""
    xp = array_namespace(z)
    a0 = xp.abs(z)
    a1 = -a0
    a2 = xp.exp(a1)
    a3 = xp.square(a2)
    t0 = a3
    a4 = 1.0 + t0
    a5 = xp.square(a4)
    a6 = t0 / a5
    a7 = 4.0 * a6
    a8 = xp.minimum(1.0, a7)
    return a8


def softmax_shifted(z, s, out=None):
    """Softmax along the last axis, with every score shifted by s.

    Derived in `softmax_cross_entropy` (derivations/softmax_cross_entropy.py).
    """
    with numpy.errstate(over="ignore"):
        a0 = numpy.subtract(z, s, out=out)
    numpy.exp(a0, a0)
    t0 = a0
    a1 = numpy.add.reduce(t0, axis=-1, keepdims=True)
    numpy.divide(t0, a1, t0)
    return t0


def softmax_shifted_blocks(z):
    """`softmax_shifted` over blocks of rows, on every core, with s the largest z of a row."""
    if blocks.fits_one_block(z):
        return _softmax_shifted_block(z, out=None)
    return blocks.run(_softmax_shifted_block, (z,), ('full',), elementwise=False)


def _softmax_shifted_block(z, out):
    s = numpy.maximum.reduce(z, axis=-1, keepdims=True)
    return softmax_shifted(z, s, out=out)


def softmax_shifted_xp(z, s):
    """`softmax_shifted` on arrays of any Array API library."""
    xp = array_namespace(z, s)
    a0 = (1/2) * z
    a1 = (1/2) * s
    a2 = a0 - a1
    a3 = xp.exp(a2)
    a4 = xp.square(a3)
    t0 = a4
    a5 = xp.sum(t0, axis=-1, keepdims=True)
    a6 = t0 / a5
    return a6


def softmax_shifted_xp_rows(z):
    """`softmax_shifted_xp` with s the largest z of each row."""
    xp = array_namespace(z)
    s = xp.max(z, axis=-1, keepdims=True)
    return softmax_shifted_xp(z, s)


def softmax_cross_entropy_grad_shifted(z, y, s, out=None):
    """∂L/∂z = softmax(z) − y along the last axis, with every score shifted by s.

    Derived in `softmax_cross_entropy` (derivations/softmax_cross_entropy.py).
    """
    with numpy.errstate(over="ignore"):
        a0 = numpy.subtract(z, s, out=out)
    numpy.exp(a0, a0)
    t0 = a0
    a1 = numpy.add.reduce(t0, axis=-1, keepdims=True)
    numpy.divide(t0, a1, t0)
    numpy.subtract(t0, y, t0)
    return t0


def softmax_cross_entropy_grad_shifted_blocks(z, y):
    """`softmax_cross_entropy_grad_shifted` over blocks of rows, on every core, with s the largest z of a row."""
    if blocks.fits_one_block(z, y):
        return _softmax_cross_entropy_grad_shifted_block(z, y, out=None)
    return blocks.run(_softmax_cross_entropy_grad_shifted_block, (z, y,), ('full',), elementwise=False)


def _softmax_cross_entropy_grad_shifted_block(z, y, out):
    s = numpy.maximum.reduce(z, axis=-1, keepdims=True)
    return softmax_cross_entropy_grad_shifted(z, y, s, out=out)


def softmax_cross_entropy_grad_shifted_xp(z, y, s):
    """`softmax_cross_entropy_grad_shifted` on arrays of any Array API library."""
    xp = array_namespace(z, y, s)
    a0 = (1/2) * z
    a1 = (1/2) * s
    a2 = a0 - a1
    a3 = xp.exp(a2)
    a4 = xp.square(a3)
    t0 = a4
    a5 = xp.sum(t0, axis=-1, keepdims=True)
    a6 = t0 / a5
    a7 = a6 - y
    return a7


def softmax_cross_entropy_grad_shifted_xp_rows(z, y):
    """`softmax_cross_entropy_grad_shifted_xp` with s the largest z of each row."""
    xp = array_namespace(z, y)
    s = xp.max(z, axis=-1, keepdims=True)
    return softmax_cross_entropy_grad_shifted_xp(z, y, s)


def softmax_cross_entropy_shifted(z, y, s, w, out=None):
    """L = −Σ y ln softmax(z) along the last axis, with every score shifted by s.

    Derived in `softmax_cross_entropy` (derivations/softmax_cross_entropy.py).
    """
    a0 = numpy.subtract(z, s)
    t0 = a0
    a1 = numpy.exp(t0)
    numpy.subtract(a1, w, a1)
    a2 = numpy.add.reduce(a1, axis=-1, keepdims=True, out=out)
    numpy.log1p(a2, a2)
    numpy.multiply(t0, y, t0)
    a3 = numpy.add.reduce(t0, axis=-1, keepdims=True)
    numpy.subtract(a2, a3, a2)
    return a2


def softmax_cross_entropy_shifted_blocks(z, y):
    """`softmax_cross_entropy_shifted` over blocks of rows, on every core, with s the largest z of a row; a block where it overflows is computed by `softmax_cross_entropy_wide_rows`."""
    if blocks.fits_one_block(z, y):
        return _softmax_cross_entropy_shifted_block(z, y, out=None)
    return blocks.run(_softmax_cross_entropy_shifted_block, (z, y,), ('row',), elementwise=False)


def _softmax_cross_entropy_shifted_block(z, y, out):
    s = numpy.maximum.reduce(z, axis=-1, keepdims=True)
    w = blocks.row_peaks(z)
    try:
        with numpy.errstate(over="raise"):
            return softmax_cross_entropy_shifted(z, y, s, w, out=out)
    except FloatingPointError:
        return softmax_cross_entropy_wide_rows(z, y, s, w, out=out)


def softmax_cross_entropy_shifted_xp(z, y, s, w):
    """`softmax_cross_entropy_shifted` on arrays of any Array API library."""
    xp = array_namespace(z, y, s, w)
    a0 = z - s
    t0 = a0
    a1 = xp.exp(t0)
    a2 = a1 - w
    a3 = xp.sum(a2, axis=-1, keepdims=True)
    a4 = xp.log1p(a3)
    a5 = t0 * y
    a6 = xp.sum(a5, axis=-1, keepdims=True)
    a7 = a4 - a6
    return a7


def softmax_cross_entropy_shifted_xp_rows(z, y):
    """`softmax_cross_entropy_shifted_xp` with s the largest z of each row."""
    xp = array_namespace(z, y)
    s = xp.max(z, axis=-1, keepdims=True)
    w = xp.astype(xp.arange(z.shape[-1]) == xp.argmax(z, axis=-1, keepdims=True), z.dtype)
    return softmax_cross_entropy_shifted_xp(z, y, s, w)


def softmax_cross_entropy_wide_rows(z, y, s, w, out=None):
    """L = −Σ y ln softmax(z) along the last axis, shifted by s, for rows wider than the float range.

    Derived in `softmax_cross_entropy` (derivations/softmax_cross_entropy.py).
    """
    with numpy.errstate(over="ignore"):
        a0 = numpy.subtract(z, s)
    numpy.exp(a0, a0)
    numpy.subtract(a0, w, a0)
    a1 = numpy.add.reduce(a0, axis=-1, keepdims=True, out=out)
    numpy.log1p(a1, a1)
    a2 = numpy.maximum(0.0, z)
    a3 = numpy.maximum(0.0, s)
    numpy.subtract(a2, a3, a2)
    numpy.multiply(y, a2, a2)
    a4 = numpy.add.reduce(a2, axis=-1, keepdims=True)
    numpy.subtract(a1, a4, a1)
    a5 = numpy.minimum(0.0, z)
    a6 = numpy.minimum(0.0, s)
    numpy.subtract(a5, a6, a5)
    numpy.multiply(y, a5, a5)
    a7 = numpy.add.reduce(a5, axis=-1, keepdims=True)
    numpy.subtract(a1, a7, a1)
    return a1


def softmax_cross_entropy_wide_rows_blocks(z, y):
    """`softmax_cross_entropy_wide_rows` over blocks of rows, on every core, with s the largest z of a row."""
    if blocks.fits_one_block(z, y):
        return _softmax_cross_entropy_wide_rows_block(z, y, out=None)
    return blocks.run(_softmax_cross_entropy_wide_rows_block, (z, y,), ('row',), elementwise=False)


def _softmax_cross_entropy_wide_rows_block(z, y, out):
    s = numpy.maximum.reduce(z, axis=-1, keepdims=True)
    w = blocks.row_peaks(z)
    return softmax_cross_entropy_wide_rows(z, y, s, w, out=out)


def softmax_cross_entropy_wide_rows_xp(z, y, s, w):
    """`softmax_cross_entropy_wide_rows` on arrays of any Array API library."""
    xp = array_namespace(z, y, s, w)
    a0 = (1/2) * z
    a1 = (1/2) * s
    a2 = a0 - a1
    a3 = xp.exp(a2)
    a4 = xp.square(a3)
    a5 = a4 - w
    a6 = xp.sum(a5, axis=-1, keepdims=True)
    a7 = xp.log1p(a6)
    a8 = xp.maximum(0.0, z)
    a9 = xp.maximum(0.0, s)
    a10 = a8 - a9
    a11 = y * a10
    a12 = xp.sum(a11, axis=-1, keepdims=True)
    a13 = a7 - a12
    a14 = xp.minimum(0.0, z)
    a15 = xp.minimum(0.0, s)
    a16 = a14 - a15
    a17 = y * a16
    a18 = xp.sum(a17, axis=-1, keepdims=True)
    a19 = a13 - a18
    return a19


def softmax_cross_entropy_wide_rows_xp_rows(z, y):
    """`softmax_cross_entropy_wide_rows_xp` with s the largest z of each row."""
    xp = array_namespace(z, y)
    s = xp.max(z, axis=-1, keepdims=True)
    w = xp.astype(xp.arange(z.shape[-1]) == xp.argmax(z, axis=-1, keepdims=True), z.dtype)
    return softmax_cross_entropy_wide_rows_xp(z, y, s, w)


def sigmoid(z, out=None, scratch=(None,)):
    """The logistic sigmoid σ(z) = 1/(1 + e⁻ᶻ), elementwise.

    Derived in `stable_sigmoid` (derivations/stable_sigmoid.py).
    """
    a0 = numpy.minimum(0.0, z, out=out)
    numpy.exp(a0, a0)
    a1 = numpy.abs(z, out=scratch[0])
    numpy.negative(a1, a1)
    numpy.exp(a1, a1)
    numpy.add(1.0, a1, a1)
    numpy.divide(a0, a1, a0)
    return a0


def sigmoid_blocks(z):
    """`sigmoid` over blocks of values, on every core."""
    if blocks.fits_one_block(z):
        return sigmoid(z, out=None)
    return blocks.run(sigmoid, (z,), ('full',), elementwise=True, scratch=1)


def sigmoid_xp(z):
    """`sigmoid` on arrays of any Array API library."""
    xp = array_namespace(z)
    a0 = xp.minimum(0.0, z)
    a1 = xp.exp(a0)
    a2 = xp.abs(z)
    a3 = -a2
    a4 = xp.exp(a3)
    a5 = 1.0 + a4
    a6 = a1 / a5
    return a6


def sigmoid_prime(z, out=None, scratch=(None,)):
    """The derivative σ′(z) = σ(z)(1 − σ(z)), elementwise.

    Derived in `stable_sigmoid` (derivations/stable_sigmoid.py).
    """
    a0 = numpy.abs(z, out=out)
    numpy.negative(a0, a0)
    numpy.exp(a0, a0)
    t0 = a0
    a1 = numpy.add(1.0, t0, out=scratch[0])
    numpy.square(a1, a1)
    numpy.divide(t0, a1, t0)
    return t0


def sigmoid_prime_blocks(z):
    """`sigmoid_prime` over blocks of values, on every core."""
    if blocks.fits_one_block(z):
        return sigmoid_prime(z, out=None)
    return blocks.run(sigmoid_prime, (z,), ('full',), elementwise=True, scratch=1)


def sigmoid_prime_xp(z):
    """`sigmoid_prime` on arrays of any Array API library."""
    xp = array_namespace(z)
    a0 = xp.abs(z)
    a1 = -a0
    a2 = xp.exp(a1)
    t0 = a2
    a3 = 1.0 + t0
    a4 = xp.square(a3)
    a5 = t0 / a4
    return a5


def softplus(z, out=None, scratch=(None,)):
    """softplus(z) = ln(1 + eᶻ), elementwise.

    Derived in `stable_sigmoid` (derivations/stable_sigmoid.py).
    """
    a0 = numpy.maximum(0.0, z, out=out)
    a1 = numpy.abs(z, out=scratch[0])
    numpy.negative(a1, a1)
    numpy.exp(a1, a1)
    numpy.log1p(a1, a1)
    numpy.add(a0, a1, a0)
    return a0


def softplus_blocks(z):
    """`softplus` over blocks of values, on every core."""
    if blocks.fits_one_block(z):
        return softplus(z, out=None)
    return blocks.run(softplus, (z,), ('full',), elementwise=True, scratch=1)


def softplus_xp(z):
    """`softplus` on arrays of any Array API library."""
    xp = array_namespace(z)
    a0 = xp.maximum(0.0, z)
    a1 = xp.abs(z)
    a2 = -a1
    a3 = xp.exp(a2)
    a4 = xp.log1p(a3)
    a5 = a0 + a4
    return a5


def error_logit_gradient(z, y, out=None, scratch=(None, None, None)):
    """∂E/∂z = σ(z) − y for the log loss on the logit z.

    Derived in `unit_error_gradient` (derivations/unit_error_gradient.py).
    """
    a0 = numpy.subtract(1.0, y, out=out)
    a1 = numpy.minimum(0.0, z, out=scratch[0])
    numpy.exp(a1, a1)
    numpy.multiply(a0, a1, a0)
    a2 = numpy.negative(z, out=scratch[1])
    numpy.minimum(0.0, a2, out=a2)
    numpy.exp(a2, a2)
    numpy.multiply(y, a2, a2)
    numpy.subtract(a0, a2, a0)
    a3 = numpy.abs(z, out=scratch[2])
    numpy.negative(a3, a3)
    numpy.exp(a3, a3)
    numpy.add(1.0, a3, a3)
    numpy.divide(a0, a3, a0)
    return a0


def error_logit_gradient_blocks(z, y):
    """`error_logit_gradient` over blocks of values, on every core."""
    if blocks.fits_one_block(z, y):
        return error_logit_gradient(z, y, out=None)
    return blocks.run(error_logit_gradient, (z, y,), ('full',), elementwise=True, scratch=3)


def error_logit_gradient_xp(z, y):
    """`error_logit_gradient` on arrays of any Array API library."""
    xp = array_namespace(z, y)
    a0 = 1.0 - y
    a1 = xp.minimum(0.0, z)
    a2 = xp.exp(a1)
    a3 = a0 * a2
    a4 = -z
    a5 = xp.minimum(0.0, a4)
    a6 = xp.exp(a5)
    a7 = y * a6
    a8 = a3 - a7
    a9 = xp.abs(z)
    a10 = -a9
    a11 = xp.exp(a10)
    a12 = 1.0 + a11
    a13 = a8 / a12
    return a13


def log_loss_logit(y, z, out=None, scratch=(None, None, None)):
    """The binary cross-entropy −y ln σ(z) − (1 − y) ln(1 − σ(z)), elementwise, from logits.

    Derived in `log_loss` (derivations/log_loss.py).
    """
    a0 = numpy.negative(z, out=out)
    numpy.maximum(0.0, a0, out=a0)
    numpy.multiply(y, a0, a0)
    a1 = numpy.subtract(1.0, y, out=scratch[0])
    a2 = numpy.maximum(0.0, z, out=scratch[1])
    numpy.multiply(a1, a2, a1)
    numpy.add(a0, a1, a0)
    a3 = numpy.abs(z, out=scratch[2])
    numpy.negative(a3, a3)
    numpy.exp(a3, a3)
    numpy.log1p(a3, a3)
    numpy.add(a0, a3, a0)
    return a0


def log_loss_logit_blocks(y, z):
    """`log_loss_logit` over blocks of values, on every core."""
    if blocks.fits_one_block(y, z):
        return log_loss_logit(y, z, out=None)
    return blocks.run(log_loss_logit, (y, z,), ('full',), elementwise=True, scratch=3)


def log_loss_logit_xp(y, z):
    """`log_loss_logit` on arrays of any Array API library."""
    xp = array_namespace(y, z)
    a0 = -z
    a1 = xp.maximum(0.0, a0)
    a2 = y * a1
    a3 = 1.0 - y
    a4 = xp.maximum(0.0, z)
    a5 = a3 * a4
    a6 = a2 + a5
    a7 = xp.abs(z)
    a8 = -a7
    a9 = xp.exp(a8)
    a10 = xp.log1p(a9)
    a11 = a6 + a10
    return a11


def softmax_cross_entropy_and_grad_shifted(z, y, s, w, out=(None, None)):
    """The loss L and its gradient softmax(z) − y along the last axis, in one pass.

    Derived in `softmax_cross_entropy` (derivations/softmax_cross_entropy.py).
    Returns the values of `softmax_cross_entropy_shifted` and `softmax_cross_entropy_grad_shifted`, in that order.
    """
    a0 = numpy.subtract(z, s)
    t0 = a0
    a1 = numpy.exp(t0, out=out[1])
    t1 = a1
    a2 = numpy.subtract(t1, w)
    a3 = numpy.add.reduce(a2, axis=-1, keepdims=True, out=out[0])
    numpy.log1p(a3, a3)
    numpy.multiply(t0, y, t0)
    a4 = numpy.add.reduce(t0, axis=-1, keepdims=True)
    numpy.subtract(a3, a4, a3)
    a5 = numpy.add.reduce(t1, axis=-1, keepdims=True)
    numpy.divide(t1, a5, t1)
    numpy.subtract(t1, y, t1)
    return a3, t1


def softmax_cross_entropy_and_grad_shifted_blocks(z, y):
    """`softmax_cross_entropy_and_grad_shifted` over blocks of rows, on every core, with s the largest z of a row; a block where it overflows is computed by `softmax_cross_entropy_and_grad_wide_rows`."""
    if blocks.fits_one_block(z, y):
        return _softmax_cross_entropy_and_grad_shifted_block(z, y, out=(None, None))
    return blocks.run(_softmax_cross_entropy_and_grad_shifted_block, (z, y,), ('row', 'full'), elementwise=False)


def _softmax_cross_entropy_and_grad_shifted_block(z, y, out):
    s = numpy.maximum.reduce(z, axis=-1, keepdims=True)
    w = blocks.row_peaks(z)
    try:
        with numpy.errstate(over="raise"):
            return softmax_cross_entropy_and_grad_shifted(z, y, s, w, out=out)
    except FloatingPointError:
        return softmax_cross_entropy_and_grad_wide_rows(z, y, s, w, out=out)


def softmax_cross_entropy_and_grad_shifted_xp(z, y, s, w):
    """`softmax_cross_entropy_and_grad_shifted` on arrays of any Array API library."""
    xp = array_namespace(z, y, s, w)
    a0 = z - s
    t0 = a0
    a1 = xp.exp(t0)
    t1 = a1
    a2 = t1 - w
    a3 = xp.sum(a2, axis=-1, keepdims=True)
    a4 = xp.log1p(a3)
    a5 = t0 * y
    a6 = xp.sum(a5, axis=-1, keepdims=True)
    a7 = a4 - a6
    a8 = xp.sum(t1, axis=-1, keepdims=True)
    a9 = t1 / a8
    a10 = a9 - y
    return a7, a10


def softmax_cross_entropy_and_grad_shifted_xp_rows(z, y):
    """`softmax_cross_entropy_and_grad_shifted_xp` with s the largest z of each row."""
    xp = array_namespace(z, y)
    s = xp.max(z, axis=-1, keepdims=True)
    w = xp.astype(xp.arange(z.shape[-1]) == xp.argmax(z, axis=-1, keepdims=True), z.dtype)
    return softmax_cross_entropy_and_grad_shifted_xp(z, y, s, w)


def softmax_cross_entropy_and_grad_wide_rows(z, y, s, w, out=(None, None)):
    """The loss L and its gradient softmax(z) − y along the last axis, for rows wider than the float range.

    Derived in `softmax_cross_entropy` (derivations/softmax_cross_entropy.py).
    Returns the values of `softmax_cross_entropy_wide_rows` and `softmax_cross_entropy_grad_shifted`, in that order.
    """
    with numpy.errstate(over="ignore"):
        a0 = numpy.subtract(z, s, out=out[1])
    numpy.exp(a0, a0)
    t0 = a0
    a1 = numpy.subtract(t0, w)
    a2 = numpy.add.reduce(a1, axis=-1, keepdims=True, out=out[0])
    numpy.log1p(a2, a2)
    a3 = numpy.maximum(0.0, z)
    a4 = numpy.maximum(0.0, s)
    numpy.subtract(a3, a4, a3)
    numpy.multiply(y, a3, a3)
    a5 = numpy.add.reduce(a3, axis=-1, keepdims=True)
    numpy.subtract(a2, a5, a2)
    a6 = numpy.minimum(0.0, z)
    a7 = numpy.minimum(0.0, s)
    numpy.subtract(a6, a7, a6)
    numpy.multiply(y, a6, a6)
    a8 = numpy.add.reduce(a6, axis=-1, keepdims=True)
    numpy.subtract(a2, a8, a2)
    a9 = numpy.add.reduce(t0, axis=-1, keepdims=True)
    numpy.divide(t0, a9, t0)
    numpy.subtract(t0, y, t0)
    return a2, t0


def softmax_cross_entropy_and_grad_wide_rows_blocks(z, y):
    """`softmax_cross_entropy_and_grad_wide_rows` over blocks of rows, on every core, with s the largest z of a row."""
    if blocks.fits_one_block(z, y):
        return _softmax_cross_entropy_and_grad_wide_rows_block(z, y, out=(None, None))
    return blocks.run(_softmax_cross_entropy_and_grad_wide_rows_block, (z, y,), ('row', 'full'), elementwise=False)


def _softmax_cross_entropy_and_grad_wide_rows_block(z, y, out):
    s = numpy.maximum.reduce(z, axis=-1, keepdims=True)
    w = blocks.row_peaks(z)
    return softmax_cross_entropy_and_grad_wide_rows(z, y, s, w, out=out)


def softmax_cross_entropy_and_grad_wide_rows_xp(z, y, s, w):
    """`softmax_cross_entropy_and_grad_wide_rows` on arrays of any Array API library."""
    xp = array_namespace(z, y, s, w)
    a0 = (1/2) * z
    a1 = (1/2) * s
    a2 = a0 - a1
    a3 = xp.exp(a2)
    a4 = xp.square(a3)
    t0 = a4
    a5 = t0 - w
    a6 = xp.sum(a5, axis=-1, keepdims=True)
    a7 = xp.log1p(a6)
    a8 = xp.maximum(0.0, z)
    a9 = xp.maximum(0.0, s)
    a10 = a8 - a9
    a11 = y * a10
    a12 = xp.sum(a11, axis=-1, keepdims=True)
    a13 = a7 - a12
    a14 = xp.minimum(0.0, z)
    a15 = xp.minimum(0.0, s)
    a16 = a14 - a15
    a17 = y * a16
    a18 = xp.sum(a17, axis=-1, keepdims=True)
    a19 = a13 - a18
    a20 = xp.sum(t0, axis=-1, keepdims=True)
    a21 = t0 / a20
    a22 = a21 - y
    return a19, a22


def softmax_cross_entropy_and_grad_wide_rows_xp_rows(z, y):
    """`softmax_cross_entropy_and_grad_wide_rows_xp` with s the largest z of each row."""
    xp = array_namespace(z, y)
    s = xp.max(z, axis=-1, keepdims=True)
    w = xp.astype(xp.arange(z.shape[-1]) == xp.argmax(z, axis=-1, keepdims=True), z.dtype)
    return softmax_cross_entropy_and_grad_wide_rows_xp(z, y, s, w)


def log_loss_logit_and_gradient(y, z, out=(None, None), scratch=(None, None, None, None, None)):
    """The log loss on the logit z and its derivative σ(z) − y, elementwise, in one pass.

    Derived in `unit_error_gradient` (derivations/unit_error_gradient.py).
    Returns the values of `log_loss_logit` and `error_logit_gradient`, in that order.
    """
    a0 = numpy.negative(z, out=scratch[0])
    t0 = a0
    a1 = numpy.subtract(1.0, y, out=out[1])
    t1 = a1
    a2 = numpy.abs(z, out=scratch[1])
    numpy.negative(a2, a2)
    numpy.exp(a2, a2)
    t2 = a2
    a3 = numpy.maximum(0.0, z, out=out[0])
    numpy.multiply(t1, a3, a3)
    a4 = numpy.maximum(0.0, t0, out=scratch[2])
    numpy.multiply(y, a4, a4)
    numpy.add(a3, a4, a3)
    a5 = numpy.log1p(t2, out=scratch[3])
    numpy.add(a3, a5, a3)
    a6 = numpy.minimum(0.0, z, out=scratch[4])
    numpy.exp(a6, a6)
    numpy.multiply(t1, a6, t1)
    numpy.minimum(0.0, t0, out=t0)
    numpy.exp(t0, t0)
    numpy.multiply(y, t0, t0)
    numpy.subtract(t1, t0, t1)
    numpy.add(1.0, t2, t2)
    numpy.divide(t1, t2, t1)
    return a3, t1


def log_loss_logit_and_gradient_blocks(y, z):
    """`log_loss_logit_and_gradient` over blocks of values, on every core."""
    if blocks.fits_one_block(y, z):
        return log_loss_logit_and_gradient(y, z, out=(None, None))
    return blocks.run(log_loss_logit_and_gradient, (y, z,), ('full', 'full'), elementwise=True, scratch=5)


def log_loss_logit_and_gradient_xp(y, z):
    """`log_loss_logit_and_gradient` on arrays of any Array API library."""
    xp = array_namespace(y, z)
    a0 = -z
    t0 = a0
    a1 = 1.0 - y
    t1 = a1
    a2 = xp.abs(z)
    a3 = -a2
    a4 = xp.exp(a3)
    t2 = a4
    a5 = xp.maximum(0.0, z)
    a6 = t1 * a5
    a7 = xp.maximum(0.0, t0)
    a8 = y * a7
    a9 = a6 + a8
    a10 = xp.log1p(t2)
    a11 = a9 + a10
    a12 = xp.minimum(0.0, z)
    a13 = xp.exp(a12)
    a14 = t1 * a13
    a15 = xp.minimum(0.0, t0)
    a16 = xp.exp(a15)
    a17 = y * a16
    a18 = a14 - a17
    a19 = 1.0 + t2
    a20 = a18 / a19
    return a11, a20
