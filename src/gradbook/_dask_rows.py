"""The linear-model functions on Dask arrays of NumPy chunks: each chunk of rows on the NumPy path.

A cost J = (1/m) Σᵢ Eᵢ and its gradient are sums over rows, so on a Dask array they split into
one share per chunk of rows: the chunk's mean, weighted by its share of the rows, m_c/m. Each
share is computed by the NumPy function itself, on the chunk as a NumPy array: in cache-sized
blocks of rows, in place, on the same checked kernels, with its argument checks. That is more
accurate than one matrix product per chunk (in float32, Xᵀr over a chunk of 10⁶ rows loses two
decimal digits that sums over blocks of a few thousand rows keep) and faster, since nothing of
a chunk is allocated twice. Only the shares, a few numbers per chunk, are added up.

A chunk's bad value (a label outside [0, 1], a NaN in X) raises the NumPy function's
``ValueError`` from ``compute()``, with the chunk's rows added to the message.

Dask arrays of other chunks (CuPy) and the other functions use the Array API path.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

#: What each function returns: a cost (a number) or a gradient (of the parameters' shape).
COST, GRADIENT = "cost", "gradient"


def of_numpy_chunks(*arrays: Any) -> bool:
    """Whether the Dask arrays hold NumPy chunks (their ``_meta`` is a NumPy array)."""
    return all(isinstance(getattr(array, "_meta", None), np.ndarray) for array in arrays)


def by_chunks_of_rows(
    function: Callable, parameters: Any, X: Any, labels: Any, outputs: tuple[str, ...], dtype: Any
) -> Any:
    """``function(parameters, X, labels)`` of a NumPy linear-model function, on Dask arrays,
    as the lazy sum of its chunks' weighted shares; one lazy array per entry of ``outputs``."""
    import dask
    import dask.array as da

    X = X.rechunk({axis: -1 for axis in range(1, X.ndim)})
    labels = labels.rechunk((X.chunks[0], *((-1,) * (labels.ndim - 1))))
    (whole_parameters,) = parameters.rechunk(-1).to_delayed().ravel()
    shapes = [() if output == COST else tuple(parameters.shape) for output in outputs]
    size = sum(math.prod(shape) for shape in shapes)
    rows, shares, start = X.shape[0], [], 0
    for x_chunk, label_chunk, chunk_rows in zip(
        X.to_delayed().ravel(), labels.to_delayed().ravel(), X.chunks[0], strict=True
    ):
        if chunk_rows:
            share = dask.delayed(_share)(function, whole_parameters, x_chunk, label_chunk, start, rows)
            shares.append(da.from_delayed(share, shape=(size,), dtype=dtype))
        start += chunk_rows
    total = da.stack(shares).sum(axis=0)
    results, offset = [], 0
    for shape in shapes:
        count = math.prod(shape)
        results.append(total[offset:offset + count].reshape(shape))
        offset += count
    return results[0] if len(results) == 1 else tuple(results)


def _share(function: Callable, parameters, X: np.ndarray, labels: np.ndarray, start: int, rows: int):
    """The chunk's mean values, times its share of the rows, as one flat array."""
    try:
        values = function(parameters, X, labels)
    except ValueError as error:
        raise ValueError(f"{error} (in the chunk of rows {start} to {start + len(X) - 1})") from None
    values = values if isinstance(values, tuple) else (values,)
    flat = np.concatenate([np.ravel(value) for value in values])
    return flat * (len(X) / rows)
