"""A generic gradient oracle: central finite differences along random directions.

For a scalar function f and its claimed gradient g, the directional derivative g·v is compared
with (f(x + hv) − f(x − hv)) / 2h for random unit directions v, with the step h scaled to the
size of x. This checks every gradient the same way, whatever its formula.
"""

from __future__ import annotations

import numpy as np

STEP = np.cbrt(np.finfo(float).eps)  # balances truncation (h²) against rounding (ε/h)


def directional_errors(f, grad, x, rng, directions=4):
    """Relative errors of ``grad(x)·v`` against central differences of ``f`` along random ``v``."""
    x = np.asarray(x, dtype=float)
    analytic = np.asarray(grad(x), dtype=float)
    h = STEP * max(1.0, float(np.max(np.abs(x))))
    errors = []
    for _ in range(directions):
        v = rng.standard_normal(x.shape)
        v /= np.linalg.norm(v)
        numeric = (f(x + h * v) - f(x - h * v)) / (2 * h)
        exact = float(np.sum(analytic * v))
        scale = max(abs(exact), abs(numeric), np.linalg.norm(analytic), 1e-300)
        errors.append(abs(exact - numeric) / scale)
    return errors
