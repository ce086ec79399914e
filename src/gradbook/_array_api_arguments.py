"""Arguments of the Array API functions: one library, one dtype, and checks that respect laziness.

Shapes and dtypes are known without computing anything, so they are checked at once for every
library. Value checks (labels in [0, 1], label rows that sum to 1, finite data) need the values:

* on eager arrays (PyTorch, CuPy, array-api-strict, concrete JAX arrays) they are made at once,
  as on NumPy arrays;
* on Dask arrays they become part of the graph: each chunk is checked as it is computed, and a
  bad one raises the same ``ValueError`` from ``compute()``, so the data are still read once;
* on other lazy arrays (JAX arrays being traced under ``jit``) they are skipped, since nothing
  can be read or raised before the traced function runs.
"""

from __future__ import annotations

import functools
import math
from types import ModuleType
from typing import Any

import numpy as np

from gradbook._validate import checked_array, row_sum_tolerance
from gradbook.array_api import compat

Array = Any

_PYTHON_NUMBERS = (int, float, bool)
_LIBRARIES_WRAPPED_BY_COMPAT = frozenset({"torch", "dask", "cupy", "jax", "jaxlib", "sparse", "ndonnx"})


def is_other_array(value: object) -> bool:
    """Whether ``value`` is an array of a library other than NumPy.

    Such an array either has an Array API namespace of its own or is one array-api-compat gives
    one (PyTorch tensors and Dask arrays have none themselves). Telling them apart by the
    type's module needs no import of any of these libraries.
    """
    if isinstance(value, (np.ndarray, np.generic, *_PYTHON_NUMBERS, list, tuple)):
        return False
    library = type(value).__module__.partition(".")[0]
    return hasattr(value, "__array_namespace__") or library in _LIBRARIES_WRAPPED_BY_COMPAT


class Arguments:
    """The arguments of one call, in one library and one floating-point dtype."""

    def __init__(self, **values: object) -> None:
        api = compat()
        foreign = [value for value in values.values() if is_other_array(value)]
        self.xp: ModuleType = api.array_namespace(*foreign)
        self.dask = api.is_dask_array(foreign[0])
        self.unreadable = not self.dask and any(_unreadable(api, value) for value in foreign)
        device = api.device(foreign[0])
        arrays = {
            name: value if is_other_array(value) else self._converted(name, value, device)
            for name, value in values.items()
        }
        for name, array in arrays.items():
            _require_real(self.xp, name, array)
        floating = [
            array.dtype for name, array in arrays.items()
            if self.xp.isdtype(array.dtype, "real floating") and type(values[name]) not in _PYTHON_NUMBERS
        ]
        self.dtype = self.xp.result_type(*floating) if floating else self.xp.float64
        #: The floating dtype each argument came in, before the conversion to ``dtype`` (the
        #: result's for integers, booleans and Python numbers).
        self.given_dtypes = {
            name: array.dtype if self.xp.isdtype(array.dtype, "real floating") else self.dtype
            for name, array in arrays.items()
        }
        self.arrays = {name: self._in_dtype(array) for name, array in arrays.items()}

    def _converted(self, name: str, value: object, device: object) -> Array:
        """A NumPy array, list or Python number beside another library's arrays, in that library."""
        if isinstance(value, _PYTHON_NUMBERS):
            return self.xp.asarray(float(value), device=device)
        array = checked_array(name, value)
        try:
            return self.xp.asarray(array, device=device)
        except (TypeError, ValueError) as error:  # a dtype the library lacks, such as float16
            library = self.xp.__name__
            raise TypeError(
                f"{name} is a NumPy {array.dtype} array, which {library} cannot hold beside the "
                f"other arguments ({error}); convert it to float32 or float64"
            ) from None

    def _in_dtype(self, array: Array) -> Array:
        return array if array.dtype == self.dtype else self.xp.astype(array, self.dtype)

    def __getitem__(self, name: str) -> Array:
        return self.arrays[name]


def _unreadable(api: ModuleType, value: object) -> bool:
    """Whether the values of ``value`` cannot be read now: a lazy array other than a concrete
    JAX array (array-api-compat counts every JAX array as lazy, since it may be traced)."""
    if not api.is_lazy_array(value):
        return False
    if api.is_jax_array(value):
        import jax

        return isinstance(value, jax.core.Tracer)
    return True


def _require_real(xp: ModuleType, name: str, array: Array) -> None:
    if xp.isdtype(array.dtype, "complex floating"):
        raise TypeError(f"{name} must be real; got complex dtype {array.dtype}")
    if not xp.isdtype(array.dtype, ("real floating", "integral", "bool")):
        raise TypeError(f"{name} must be an array of real numbers; got dtype {array.dtype}")
    known = all(isinstance(size, int) for size in array.shape)
    if known and math.prod(array.shape) == 0:
        raise ValueError(f"{name} must not be empty; got shape {tuple(array.shape)}")


# -- value checks ------------------------------------------------------------------------------


def require_unit_interval(arguments: Arguments, name: str) -> None:
    """Labels and probabilities in [0, 1] (NaN passes, as in the NumPy functions)."""
    array = arguments[name]
    if arguments.dask:
        arguments.arrays[name] = _checked_chunks(array, functools.partial(_unit_interval_chunk, name))
    elif not arguments.unreadable:
        xp = arguments.xp
        nan = xp.isnan(array)  # ignored, so that the message shows the numbers' own range
        low, high = xp.min(xp.where(nan, math.inf, array)), xp.max(xp.where(nan, -math.inf, array))
        _unit_interval(name, float(low), float(high))


def require_finite(arguments: Arguments, name: str) -> None:
    """No NaN or infinity: for the functions whose matrix products would spread one."""
    array = arguments[name]
    if arguments.dask:
        arguments.arrays[name] = _checked_chunks(array, functools.partial(_finite_chunk, name))
    elif not arguments.unreadable:
        xp = arguments.xp
        finite = xp.reshape(xp.isfinite(array), (-1,))
        if not bool(xp.all(finite)):
            where = _unravel(int(xp.argmin(xp.astype(finite, xp.int8))), tuple(array.shape))
            raise ValueError(f"{name} must be finite; got {float(array[where])} at index {where}")


def require_rows_that_sum_to_one(arguments: Arguments, name: str) -> None:
    """Label rows that sum to 1 along the last axis (the p − y form of the gradient needs it),
    within :func:`gradbook._validate.row_sum_tolerance`, as on NumPy arrays: the sums in the
    result's dtype, the labels' own precision as they were given. A NaN sum passes when its
    row holds a NaN, which propagates; a row whose sum is NaN without one (inf and −inf) is
    refused."""
    xp, array = arguments.xp, arguments[name]
    if arguments.unreadable:
        return
    # Labels of inf and −inf, or of 1e308 and 1e308, are bad input, not an overflow: a library
    # built on NumPy (array-api-strict) sums them to NaN and inf without a warning here.
    with np.errstate(over="ignore", invalid="ignore"):
        totals = xp.sum(array, axis=-1, keepdims=True)
    tolerance = row_sum_tolerance(
        float(xp.finfo(arguments.given_dtypes[name]).eps), float(xp.finfo(totals.dtype).eps), array.shape[-1]
    )
    if arguments.dask:
        # The row sums are checked chunk by chunk, and the labels made to depend on them (adding
        # 0 times a sum close to 1), so that computing a result computes the check.
        deviations = _deviations_from_one(xp, array, totals)
        check = functools.partial(_row_sums_chunk, name, tolerance)
        both = xp.concat([totals, deviations], axis=-1).rechunk({totals.ndim - 1: -1})
        checked = _checked_chunks(both, check)
        arguments.arrays[name] = array + 0.0 * checked[..., :1]
        return
    with np.errstate(invalid="ignore"):
        deviations = xp.reshape(_deviations_from_one(xp, array, totals), (-1,))
    if float(xp.max(deviations)) > tolerance:
        row = int(xp.argmax(deviations))
        _refuse_row(name, row, float(xp.reshape(totals, (-1,))[row]))


def _deviations_from_one(xp: ModuleType, array: Array, totals: Array) -> Array:
    """|sum − 1| of each row; 0 for a NaN sum of a row that holds a NaN, inf for one that
    does not."""
    distance = xp.abs(totals - 1.0)
    holding_nan = xp.any(xp.isnan(array), axis=-1, keepdims=True)
    explained = xp.where(holding_nan, xp.zeros_like(distance), xp.full_like(distance, math.inf))
    return xp.where(xp.isnan(totals), explained, distance)


def _unravel(flat: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    """The index of the ``flat``-th entry of an array of ``shape``, in row-major order."""
    index = []
    for size in reversed(shape):
        flat, position = divmod(flat, size)
        index.append(position)
    return tuple(reversed(index))


def _checked_chunks(array: Array, check) -> Array:
    """``array`` with ``check(chunk, first_row)`` run on each chunk as Dask computes it."""
    return array.map_blocks(check, dtype=array.dtype, meta=array._meta)


def _first_row(block_info: dict | None) -> int:
    location = (block_info or {}).get(0, {}).get("array-location")
    return location[0][0] if location else 0


def _unit_interval_chunk(name: str, chunk: np.ndarray) -> np.ndarray:
    if chunk.size:
        nan = np.isnan(chunk)
        low, high = np.where(nan, np.inf, chunk).min(), np.where(nan, -np.inf, chunk).max()
        _unit_interval(name, float(low), float(high))
    return chunk


def _finite_chunk(name: str, chunk: np.ndarray, block_info: dict | None = None) -> np.ndarray:
    finite = np.isfinite(chunk)
    if not finite.all():
        position = np.unravel_index(np.argmin(finite), chunk.shape)
        row = _first_row(block_info) + int(position[0])
        raise ValueError(f"{name} must be finite; got {chunk[position]} in row {row}")
    return chunk


def _row_sums_chunk(
    name: str, tolerance: float, sums_and_deviations: np.ndarray, block_info: dict | None = None
) -> np.ndarray:
    if sums_and_deviations.size:
        pairs = sums_and_deviations.reshape(-1, 2)
        totals, deviations = pairs[:, 0], pairs[:, 1]
        worst = int(np.argmax(deviations))
        if deviations[worst] > tolerance:
            _refuse_row(name, _first_row(block_info) + worst, float(totals[worst]))
    return sums_and_deviations


def _unit_interval(name: str, low: float, high: float) -> None:
    if low < 0 or high > 1:
        raise ValueError(f"{name} must lie in [0, 1]; got values from {low} to {high}")


def _refuse_row(name: str, row: int, total: float) -> None:
    raise ValueError(f"{name} rows must sum to 1 (one-hot or probability rows); row {row} sums to {total}")

