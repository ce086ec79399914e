"""Argument checks for the public NumPy functions.

Each check raises ``TypeError`` (wrong kind of value) or ``ValueError`` (wrong shape or range)
with a message that names the argument and says what was expected, so that a mistake in a
training loop is reported where it is made instead of surfacing later as a wrong number.
The checks are single passes over the data: they must not slow the functions noticeably.
"""

from __future__ import annotations

import functools
import math
import operator

import numpy as np

from gradbook import blocks


def real_arrays(**values: object) -> tuple[list[np.ndarray], np.dtype]:
    """The arguments as arrays, and the floating-point dtype the result has.

    The dtype is NumPy's result type of the floating-point arguments: float32 with float64 is
    float64, so a float32 label never narrows a float64 computation. Integer and boolean
    arrays (class labels, 0/1 targets) do not count and are converted to that dtype; with no
    floating-point argument it is float64. Python numbers do not count either, as in NumPy's
    own promotion: ``b=0.5`` beside float32 arrays keeps float32. Floating-point arrays are
    returned as they are: the caller converts them, at once or block by block.
    """
    same = _one_floating_dtype(values)
    if same is not None:
        return [value if type(value) is np.ndarray else np.asarray(value) for value in values.values()], same
    arrays = [checked_array(name, value) for name, value in values.items()]
    floating = [
        array for array, value in zip(arrays, values.values(), strict=True)
        if array.dtype.kind == "f" and type(value) not in _PYTHON_NUMBERS
    ]
    if not floating:
        dtype = _FLOAT64
    elif len(floating) == 1 or all(array.dtype == floating[0].dtype for array in floating):
        dtype = floating[0].dtype  # one dtype: result_type's dispatch would cost as much as a check
    else:
        dtype = np.result_type(*floating)
    # Integers, booleans and Python numbers take the result's dtype: a Python 1.0 kept as a
    # float64 array would widen a float32 computation (NumPy arrays, even 0-d ones, count in
    # its promotion; Python numbers do not).
    converted = [
        array if array.dtype.kind == "f" and type(value) not in _PYTHON_NUMBERS else array.astype(dtype)
        for array, value in zip(arrays, values.values(), strict=True)
    ]
    return converted, dtype


def _one_floating_dtype(values: dict[str, object]) -> np.dtype | None:
    """The dtype of ``values`` if they are all non-empty NumPy arrays or NumPy scalars of one
    floating dtype (the common call, which needs no conversion and no promotion); None
    otherwise."""
    dtype = None
    for value in values.values():
        kind = type(value)
        if (kind is not np.ndarray and kind not in _FLOATING_SCALARS) or value.size == 0:
            return None
        if dtype is None:
            dtype = value.dtype
            if dtype.kind != "f":
                return None
        elif value.dtype != dtype:
            return None
    return dtype


#: NumPy's floating scalar types, such as the np.float64 that indexing an array gives.
_FLOATING_SCALARS = frozenset({np.float16, np.float32, np.float64, np.longdouble})


_PYTHON_NUMBERS = (int, float, bool)
_FLOAT64 = np.dtype(np.float64)


def as_real_array(name: str, value: object) -> np.ndarray:
    """``value`` as a floating-point array (float32 stays float32; integers become float64)."""
    if type(value) is np.ndarray and value.dtype.kind == "f" and value.size:
        return value  # the usual call, with nothing to convert or refuse
    array = checked_array(name, value)
    if array.dtype.kind != "f":
        array = array.astype(np.float64)
    return array


def _huge_integer(name: str, value: int) -> np.ndarray:
    """A Python integer beyond NumPy's 64-bit integers (which would make an object array), as
    the float it is closest to."""
    try:
        return np.asarray(float(value))
    except OverflowError:
        raise ValueError(f"{name} must be a real number within the float range; got {value}") from None


def checked_array(name: str, value: object) -> np.ndarray:
    """``value`` as a non-empty array of real numbers (of any real dtype)."""
    if type(value) is np.ndarray:  # the common case, without asarray's conversion machinery
        array = value
    elif isinstance(value, np.ma.MaskedArray):
        # asarray would drop the mask and compute with the hidden values as if they were data.
        raise TypeError(
            f"{name} is a masked array, whose mask would be lost; pass {name}.compressed() or "
            f"{name}.filled(value) instead"
        )
    elif type(value) is int and not -2**63 <= value < 2**64:
        array = _huge_integer(name, value)
    else:
        try:
            array = np.asarray(value)
        except ValueError as error:
            raise ValueError(
                f"{name} must be an array of a regular shape (every row the same length); got {error}"
            ) from None
    kind = array.dtype.kind
    if kind == "c":
        raise TypeError(f"{name} must be real; got complex dtype {array.dtype}")
    if kind not in "fiub":
        raise TypeError(f"{name} must be an array of real numbers; got dtype {array.dtype}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty; got shape {array.shape}")
    return array


def require_axis(name: str, array, axis: object) -> int:
    """``axis`` as an axis of ``array`` (an array of at least one dimension, of any library)."""
    if array.ndim == 0:
        raise ValueError(f"{name} must have at least one axis; got a 0-dimensional array")
    try:
        if isinstance(axis, (bool, np.bool_)):  # True is an index to Python, not an axis to a user
            raise TypeError
        index = operator.index(axis)
    except TypeError:
        raise TypeError(f"axis must be an integer; got {axis!r}") from None
    if not -array.ndim <= index < array.ndim:
        raise ValueError(
            f"axis must be an axis of {name}, from {-array.ndim} to {array.ndim - 1}; got {axis}"
        )
    return index


def require_known_rows(name: str, array) -> int:
    """The number of rows of ``array``, which a mean over its rows divides by; a lazy array
    whose number of rows is not known yet is refused with what to do."""
    rows = array.shape[0]
    if not isinstance(rows, int):
        raise ValueError(
            f"{name} has an unknown number of rows (a Dask array filtered by a mask?); a mean "
            f"over its rows needs it: call {name}.compute_chunk_sizes() first"
        )
    return rows


def require_ndim(name: str, array: np.ndarray, allowed: tuple[int, ...], meaning: str) -> None:
    if array.ndim not in allowed:
        raise ValueError(f"{name} must be {meaning}; got an array of shape {array.shape}")


def _differ(size: object, other: object) -> bool:
    """Whether two sizes of an axis differ. A size that is not known yet (None in the Array API
    standard, NaN in Dask arrays filtered by a mask) differs from nothing: a lazy array's
    sizes are checked as far as they are known."""
    return isinstance(size, int) and isinstance(other, int) and size != other


def _shapes_differ(shape: tuple, other: tuple) -> bool:
    return len(shape) != len(other) or any(map(_differ, shape, other))


def require_same_shape(name: str, array: np.ndarray, other_name: str, other: np.ndarray) -> None:
    if _shapes_differ(array.shape, other.shape):
        raise ValueError(
            f"{name} must have the same shape as {other_name}, {other.shape}; got {array.shape}"
        )


def require_length(name: str, array: np.ndarray, length: int, what: str) -> None:
    if _differ(array.shape[0], length):
        raise ValueError(f"{name} must have {length} entries ({what}); got shape {array.shape}")


def require_rows(name: str, array: np.ndarray, rows: int, what: str) -> None:
    if _differ(array.shape[0], rows):
        raise ValueError(f"{name} must have {rows} rows ({what}); got shape {array.shape}")


def require_shape(name: str, array: np.ndarray, shape: tuple[int, ...], what: str) -> None:
    if _shapes_differ(array.shape, shape):
        raise ValueError(f"{name} must have shape {shape} ({what}); got shape {array.shape}")


def require_finite(name: str, array: np.ndarray) -> None:
    """No NaN or infinity: for functions where one would spread through a matrix product."""
    finite = np.isfinite(array)
    if not finite.all():
        position = np.unravel_index(np.argmin(finite), array.shape)
        where = tuple(int(index) for index in position)
        raise ValueError(f"{name} must be finite; got {array[position]} at index {where}")


def require_unit_interval(name: str, array: np.ndarray) -> tuple[float, float]:
    """Labels and probabilities live in [0, 1]; NaN is let through (it propagates). Returns the
    least and greatest number, which a caller may use to skip work that cannot arise."""
    extremes = _least_and_greatest(array)
    if extremes is None:  # every entry NaN
        return math.nan, math.nan
    low, high = extremes
    if low < 0 or high > 1:
        low, high = array.dtype.type(low), array.dtype.type(high)  # printed as NumPy prints them
        raise ValueError(f"{name} must lie in [0, 1]; got values from {low} to {high}")
    return low, high


def require_rows_that_sum_to_one(name: str, array: np.ndarray, dtype: np.dtype) -> None:
    """Label rows must sum to 1 along the last axis: the softmax formulas use Σₖ yₖ = 1.

    The sums are taken in the result's ``dtype``, as the kernels see the labels. Nothing more is
    required of the rows: for rows that sum to 1, p − y is the exact gradient of −Σₖ yₖ log pₖ
    whatever the entries, so they are not range-checked. That keeps the check to one read of
    the labels, about 6% of the softmax gradient's own time on a (200 000, 100) batch; a second
    read for the range would double it.
    """
    few = array.size <= min(_FEW_ROWS * array.shape[-1], _FEW_LABELS)
    if few and array.dtype.itemsize <= 8:
        _require_few_rows_sum_to_one(name, array)
    else:
        require_rows_sum_to_one(name, blocks.row_sums(array, dtype), array)


#: Up to this many label rows, and this many labels, their sums are checked in Python (see
#: below); from about 16 rows on, the reductions are faster.
_FEW_ROWS, _FEW_LABELS = 12, 512


def _require_few_rows_sum_to_one(name: str, array: np.ndarray) -> None:
    """:func:`require_rows_sum_to_one` for a few label rows, in Python floats: on ten rows of
    four the reductions, and the ``errstate`` that keeps inf − inf quiet, cost 5.2 µs, this
    2.5 µs. The sums are in double precision, at least the result's. Rows that all pass take
    one ``math.fsum`` each; the row-by-row account below is for a call that is refused."""
    classes = array.shape[-1]
    tolerance = _few_rows_tolerance(array.dtype.char, classes)
    rows = array.reshape(-1, classes).tolist()
    try:
        totals = list(map(math.fsum, rows))
    except (OverflowError, ValueError):  # inf, or inf and −inf, in a row
        totals = []
    if totals and all(abs(total - 1) <= tolerance for total in totals):
        return  # (NaN compares false, so a NaN sum takes the account below)
    totals, worst, largest = [], None, tolerance
    for row, values in enumerate(rows):
        total = _row_total(values)
        totals.append(total)
        deviation = abs(total - 1)
        if deviation != deviation:  # a NaN sum: wrong unless the row holds a NaN
            deviation = 0.0 if any(value != value for value in values) else math.inf
        if deviation > largest:
            worst, largest = row, deviation
    if worst is not None:
        _refuse_row(name, worst, totals)


@functools.lru_cache(maxsize=64)
def _few_rows_tolerance(labels_dtype: str, classes: int) -> float:
    """:func:`row_sum_tolerance` of labels of this dtype, summed in double precision (cached:
    it is half a microsecond of a small call)."""
    return row_sum_tolerance(_EPSILON[labels_dtype], _EPSILON["d"], classes)


def _row_total(values: list[float]) -> float:
    """The correctly rounded sum of ``values``; inf or NaN where math.fsum refuses one (an
    overflowing sum, or inf and −inf)."""
    try:
        return math.fsum(values)
    except (OverflowError, ValueError):
        return sum(values)


def row_sum_tolerance(labels_epsilon: float, sum_epsilon: float, classes: int) -> float:
    """How far from 1 the computed sum of a row of ``classes`` labels may lie.

    32 ulp of 1 in the labels' own precision (``labels_epsilon``): rounding a distribution to
    that precision moves its sum by half an ulp at most, and labels computed in it by a few.
    Then the error bound of the pairwise summation, in the precision it is done in, 2·(8 +
    log₂ K) ulp. A float16 row that sums to 1.1 is refused, as is a float32 row of 1000
    classes that sums to 1.007; the same rule holds on every array library.
    """
    return 32 * labels_epsilon + 2 * (8 + math.log2(max(classes, 1))) * sum_epsilon


#: Up to this many values, the least and greatest are found in Python: two ufunc reductions
#: cost a call on ten values 1.6 µs, tolist() and the builtin min and max 0.5 µs.
_FEW_VALUES = 32


def _least_and_greatest(array: np.ndarray) -> tuple[float, float] | None:
    """The least and greatest numbers in ``array``, ignoring NaN, which propagates; None if
    every entry is NaN.

    A NaN makes min and max NaN and would hide an out-of-range value next to it, so only then
    are the numbers picked out, at the cost of a copy. The ufuncs' own reductions are used, not
    numpy.min: on a small array numpy.min's dispatch costs more than the reduction.
    """
    if array.size <= _FEW_VALUES and array.dtype.itemsize <= 8:  # exact as Python floats
        values = array.ravel().tolist()
        # The builtins keep the first entry unless another compares less (greater): both are
        # NaN if the first is, and otherwise ignore every NaN.
        low, high = min(values), max(values)
        if low != low:
            values = [value for value in values if value == value]
            return (min(values), max(values)) if values else None
        return low, high
    low, high = np.minimum.reduce(array, axis=None), np.maximum.reduce(array, axis=None)
    if low != low or high != high:
        numbers = array[~np.isnan(array)]
        if not numbers.size:
            return None
        low, high = np.minimum.reduce(numbers), np.maximum.reduce(numbers)
    return low, high


def require_rows_sum_to_one(name: str, totals: np.ndarray, labels: np.ndarray) -> None:
    """The p − y form of the softmax gradient holds only for label rows that sum to one.

    ``totals`` are the row sums of ``labels``, in their dtype or a wider one (see
    :func:`row_sum_tolerance`). A NaN sum passes when its row holds a NaN, which propagates to
    the result; a row of finite or infinite labels whose sum is NaN (inf and −inf) is refused.
    """
    classes = labels.shape[-1]
    tolerance = row_sum_tolerance(_EPSILON[labels.dtype.char], _EPSILON[totals.dtype.char], classes)
    flat = totals.reshape(-1)
    # The least and greatest sums: the deviations |sum − 1| are only computed to name the worst
    # row once one is wrong. A NaN sum must not hide another row's wrong one.
    extremes = _least_and_greatest(flat)
    if extremes is not None:
        low, high = extremes
        if high - 1 > tolerance or 1 - low > tolerance:
            _refuse_row(name, int(np.nanargmax(np.abs(np.subtract(flat, 1)))), flat)
    grand_total = np.add.reduce(flat)  # NaN only with a NaN sum: every other sum is near 1
    if grand_total != grand_total:
        rows = np.flatnonzero(np.isnan(flat))
        holding_nan = np.isnan(labels.reshape(-1, classes)[rows]).any(axis=-1)
        if not holding_nan.all():
            _refuse_row(name, int(rows[np.argmin(holding_nan)]), flat)


def _refuse_row(name: str, row: int, totals: np.ndarray | list[float]) -> None:
    raise ValueError(
        f"{name} rows must sum to 1 (one-hot or probability rows); row {row} sums to {totals[row]}"
    )


#: The machine epsilon of each floating dtype, by type character: numpy.finfo costs as much as
#: the whole check on a small batch.
_EPSILON = {
    np.dtype(kind).char: float(np.finfo(kind).eps)
    for kind in (np.float16, np.float32, np.float64, np.longdouble)
}


def linear_model_arguments(theta, X, y, target: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check ``(theta, X, y)`` of a linear model: X is (m, n), theta (n,), y (m,).

    They are returned in their result dtype (see :func:`real_arrays`): X θ is then computed in
    the result's precision, and the converted X serves both of the gradient's products.
    ``target`` names what y holds ("label", "target") in the messages.
    """
    if _of_one_floating_dtype(theta, X, y) and _matching(X, theta, y):
        return theta, X, y  # the usual call, in a quarter of the time of the checks below
    (theta, X, y), dtype = real_arrays(theta=theta, X=X, y=y)
    if not theta.dtype == X.dtype == y.dtype == dtype:
        theta, X, y = (array.astype(dtype, copy=False) for array in (theta, X, y))
    require_linear_model_shapes(theta, X, y, target)
    return theta, X, y


# The shapes of each family's arguments, checked alike for NumPy arrays and the arrays of other
# libraries (gradbook._array_api_functions): only ``shape`` and ``ndim`` are read.


def require_linear_model_shapes(theta, X, y, target: str) -> None:
    """X is (m, n), theta (n,), y (m,); ``target`` names what y holds in the messages."""
    if _matching(X, theta, y):
        return  # the usual call, in a fifth of the time the messages' checks take
    require_ndim("X", X, (2,), "a data matrix of shape (m, n)")
    require_ndim("theta", theta, (1,), "a parameter vector of shape (n,)")
    require_length("theta", theta, X.shape[1], "one parameter per column of X")
    require_ndim("y", y, (1,), f"a {target} vector of shape (m,)")
    require_length("y", y, X.shape[0], f"one {target} per row of X")


def _of_one_floating_dtype(*values: object) -> bool:
    """Whether ``values`` are non-empty NumPy arrays of one native floating dtype: nothing to
    convert. The dtypes are compared by identity, which NumPy's own dtypes have; any other
    dtype object takes the general path, which gives the same answer more slowly."""
    dtype = getattr(values[0], "dtype", None)
    if dtype not in _NATIVE_FLOATING:
        return False
    for value in values:
        if type(value) is not np.ndarray or value.dtype is not dtype or not value.size:
            return False
    return True


_NATIVE_FLOATING = frozenset(np.dtype(kind) for kind in (np.float16, np.float32, np.float64, np.longdouble))


def _matching(X, theta, y) -> bool:
    """Whether X is (m, n), theta (n,) and y (m,), all sizes known."""
    shape = X.shape
    return (
        len(shape) == 2 and theta.shape == shape[1:] and y.shape == shape[:1]
        and type(shape[0]) is int and type(shape[1]) is int
    )


def require_unit_shapes(x, y, w, b) -> None:
    """One sigmoid unit: x is (n,) with a scalar y, or (m, n) with y of shape (m,); w (n,); b a scalar."""
    if b.ndim == 0 and (_matching(x, w, y) or (x.ndim == 1 and x.shape == w.shape and y.ndim == 0)):
        return  # the usual calls, a batch or one point, without building the messages
    require_ndim("x", x, (1, 2), "one point of shape (n,) or a batch of shape (m, n)")
    require_ndim("w", w, (1,), "a weight vector of shape (n,)")
    require_length("w", w, x.shape[-1], "one weight per feature of x")
    require_ndim("b", b, (0,), "a scalar bias")
    require_ndim("y", y, (x.ndim - 1,), "one label per point of x" if x.ndim == 2 else "a scalar label")
    if x.ndim == 2:
        require_length("y", y, x.shape[0], "one label per row of x")


def require_softmax_regression_shapes(W, X, Y) -> None:
    """W is (n, K), X (m, n), Y (m, K)."""
    if len(W.shape) == len(X.shape) == 2 and X.shape[1] == W.shape[0] and Y.shape == (X.shape[0], W.shape[1]):
        return  # the usual call, without building the messages
    require_ndim("W", W, (2,), "a weight matrix of shape (n, K), one column per class")
    require_ndim("X", X, (2,), "a data matrix of shape (m, n), one point per row")
    require_ndim("Y", Y, (2,), "a label matrix of shape (m, K), one row per point")
    require_rows("W", W, X.shape[1], "one row of weights per feature, the columns of X")
    require_shape("Y", Y, (X.shape[0], W.shape[1]), "one row per row of X, one column per column of W")
