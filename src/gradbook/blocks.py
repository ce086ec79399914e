"""Running a generated kernel over blocks that stay in cache, on every core.

A kernel written as whole-array NumPy statements streams the array through memory once per
statement: the softmax gradient of a (200 000, 100) batch makes about twelve passes over 160 MB.
Cut into blocks of one to four megabytes, the same statements find their operands in the
processor's cache after the first one, and the blocks can run on several cores at once, since
NumPy releases the GIL inside its loops. Smaller blocks would fit a core's own cache, but every
NumPy call gives up the GIL and takes it back, and with two threads taking it back can wait for
the other: a block must hold enough work that this costs little. The generated drivers
(``<kernel>_blocks`` in :mod:`gradbook.kernels`) call :func:`run` with the kernel and what the
derivation says about it; this module only cuts, schedules and allocates.

* A block of an elementwise kernel is a run of values of the flattened arrays; a block of a
  kernel along the last axis is a run of whole rows, so that row sums and row maxima are whole.
* Each block's arguments are converted to the result's dtype inside the block, in cache: a
  float32 label array in a float64 computation is widened there, never the computation narrowed.
* The kernel writes each block straight into its slice of the result (its ``out``), and an
  elementwise kernel its temporaries into the part of the result the next blocks will fill:
  a large call allocates its result and nothing else.
* Small inputs run as one block in the calling thread: a thread pool costs tens of
  microseconds, more than a small call's whole work.

The number of threads is the number of cores this process may use, or ``GRADBOOK_NUM_THREADS``
if that is set (1 turns threading off). Worker threads run in a copy of the caller's context, so
``numpy.errstate`` set by the caller holds inside the blocks too.
"""

from __future__ import annotations

import contextvars
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace

import numpy as np

#: Values per block of rows: 262 144 float64 values are 2 MiB per array, so a row kernel's
#: inputs, result and temporaries stay in the 32 MiB cache the cores share, and each NumPy call
#: has enough work that giving up and retaking the GIL costs little (see
#: ``ELEMENTWISE_BLOCK_VALUES``). Measured on a (200 000, 100) softmax gradient, two runs of 20
#: interleaved rounds: blocks of 131 072 values ran at 0.62× hand NumPy, 262 144 at 0.55×,
#: 524 288 at 0.57×. Inputs up to this size run as one kernel call.
BLOCK_VALUES = 262_144
#: Values per block of an elementwise kernel. Its temporaries live in the part of the result
#: that later blocks fill (see :func:`_blocks_on_spare_result`), so the block size costs no
#: memory; what it sets is how many NumPy calls a large input takes. Each call gives up the
#: GIL and takes it back, and with two threads taking it back can wait for the other one:
#: sigmoid of 10⁷ values on two cores ran at 0.94× hand NumPy with blocks of 16 384 values,
#: 0.68× with 32 768, 0.53× with 131 072 and 262 144 (medians of 15 interleaved rounds; one
#: thread: 1.07× and 0.90×).
ELEMENTWISE_BLOCK_VALUES = 131_072
#: Values of the data matrix per block of a linear model's cost and gradient: 4 MiB of
#: float64, read from memory once for X θ and from cache for Xᵀr. Measured on
#: logistic_cost_and_grad of 200 000 × 64, four runs of 21 interleaved rounds: 2 MiB blocks ran
#: at 0.78-0.87× hand NumPy, 4 MiB at 0.59-0.76×, 6 MiB at 0.60-0.69×, 8 MiB at 0.71-0.83×
#: (the per-point kernel's NumPy calls, about twenty a block, cost less with fewer blocks).
LINEAR_MODEL_BLOCK_VALUES = 524_288
#: From this many values on, the blocks are shared among threads.
PARALLEL_FROM = 262_144
#: The smallest block :func:`_blocks_on_spare_result` cuts; the last values, fewer than this
#: times one more than the kernel's scratch arrays, get scratch arrays of their own (a few
#: hundred bytes at most).
SMALLEST_SPARE_BLOCK = 16


@dataclass(frozen=True)
class Plan:
    """How :func:`run` cuts and schedules: the tests make blocks tiny to cover every path."""

    block_values: int = BLOCK_VALUES
    elementwise_block_values: int = ELEMENTWISE_BLOCK_VALUES
    linear_model_block_values: int = LINEAR_MODEL_BLOCK_VALUES
    parallel_from: int = PARALLEL_FROM
    smallest_spare_block: int = SMALLEST_SPARE_BLOCK
    threads: int | None = None  # None: the number of cores, or GRADBOOK_NUM_THREADS


_plan = Plan()
POOL_THREAD_PREFIX = "gradbook-blocks"
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


@contextmanager
def planned(**changes: int | None) -> Iterator[Plan]:
    """Run the drivers with other block sizes or thread counts inside the ``with`` block."""
    global _plan
    previous = _plan
    _plan = replace(previous, **changes)
    try:
        yield _plan
    finally:
        _plan = previous


def thread_count() -> int:
    """The threads a large call uses: ``GRADBOOK_NUM_THREADS``, or the cores this process may use.

    Inside one of the pool's own threads it is 1: a block that waited for other blocks in the
    same pool could wait for ever once every thread of the pool did the same.
    """
    if threading.current_thread().name.startswith(POOL_THREAD_PREFIX):
        return 1
    if _plan.threads is not None:
        return max(1, _plan.threads)
    configured = os.environ.get("GRADBOOK_NUM_THREADS", "").strip()
    if configured:
        try:
            return max(1, int(configured))
        except ValueError:
            raise ValueError(
                f"GRADBOOK_NUM_THREADS must be a whole number of threads, not {configured!r}"
            ) from None
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)


def run(
    kernel: Callable,
    arrays: Sequence[np.ndarray],
    shapes: tuple[str, ...],
    elementwise: bool,
    dtype: np.dtype | None = None,
    scratch: int = 0,
):
    """``kernel(*arrays)`` computed block by block; one result array per entry of ``shapes``.

    ``shapes`` says for each result whether it keeps the last axis (``"full"``) or sums it away
    (``"row"``, one value per row, kept as an axis of length 1). ``dtype`` defaults to the
    result type of ``arrays``. Returns the result, or a tuple of them for a joint kernel.

    ``scratch`` is the number of scratch arrays an elementwise kernel takes for its
    temporaries; each block is given them in the part of the first result that later blocks
    will fill (see :func:`_blocks_on_spare_result`).
    """
    if dtype is None:
        dtype = arrays[0].dtype if len(arrays) == 1 else np.result_type(*arrays)
    small = _in_one_block(kernel, arrays, len(shapes), dtype)
    if small is not None:
        return small
    if elementwise:
        shape = np.broadcast_shapes(*(array.shape for array in arrays))
        inputs = [_flat(array, shape) for array in arrays]
        results = [np.empty(shape, dtype) for _ in shapes]
        outputs = [result.reshape(-1) for result in results]
        rows, per_block = outputs[0].shape[0], _plan.elementwise_block_values
    else:
        inputs = [array.reshape(-1, array.shape[-1]) for array in arrays]
        count, width = inputs[0].shape
        results = [np.empty(_result_shape(arrays[0].shape, kind), dtype) for kind in shapes]
        outputs = [result.reshape(count, -1) for result in results]
        rows, per_block = count, max(1, _plan.block_values // max(width, 1))
    _run_blocks(kernel, inputs, outputs, rows, per_block, dtype, scratch if elementwise else 0)
    return results[0] if len(results) == 1 else tuple(results)


def sum_over_row_blocks(
    function: Callable[..., tuple[np.ndarray | np.floating, ...]],
    matrix: np.ndarray,
    vectors: Sequence[np.ndarray],
    constants: Sequence[object] = (),
) -> tuple[np.ndarray | np.floating, ...]:
    """The sum over blocks of rows of ``function(matrix[rows], *(v[rows] for v in vectors),
    *constants)``, which returns a tuple of partial sums.

    This is how a cost and its gradient of a linear model, (1/m) Σᵢ E(xᵢ·θ, yᵢ) and
    (1/m) Xᵀr, read the data matrix once: a block of rows is multiplied by θ, its residuals
    computed, and the same block, still in cache, multiplied by them. Unblocked, X θ and Xᵀr
    are two passes over X from memory.

    The blocks run in the calling thread: their matrix products already use the BLAS library's
    threads, and OpenBLAS runs the products of several calling threads one at a time (measured:
    two threads of blocks were 1.2-1.6× slower than one). A kernel inside a block can still use
    the pool.
    """
    rows, width = matrix.shape
    per_block = max(1, _plan.linear_model_block_values // max(width, 1))
    return _summed_blocks(function, matrix, vectors, constants, range(0, rows, per_block), per_block)


def _summed_blocks(function, matrix, vectors, constants, starts, per_block):
    total = None
    for start in starts:
        part = slice(start, start + per_block)
        sums = function(matrix[part], *(vector[part] for vector in vectors), *constants)
        total = sums if total is None else tuple(a + b for a, b in zip(total, sums, strict=True))
    return total


def row_sums(array: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """The sums along the last axis, in ``dtype``, on every core for a large array: the check
    that label rows sum to 1 reads the labels once, and on two cores that read takes half as
    long. Labels of 1e308 and 1e308, or of inf and −inf, are bad input, not an overflow: their
    sums, inf and NaN, come without a warning, and the check refuses them by name."""
    with np.errstate(over="ignore", invalid="ignore"):
        if array.size <= _plan.block_values:  # a small call: no cutting, no threads
            return np.add.reduce(array, axis=-1, dtype=dtype)
        return run(_row_sum, (array,), ("row",), elementwise=False, dtype=dtype)[..., 0]


def _row_sum(rows: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    return np.add.reduce(rows, axis=-1, keepdims=True, out=out)


def row_peaks(rows: np.ndarray) -> np.ndarray:
    """1 at the first largest entry of each row (along the last axis), 0 elsewhere, in the
    rows' dtype: the marker w of a kernel with a peak, so that Σ(e − w) sums the terms other
    than the largest one, which is exactly 1 after the shift."""
    # A comparison of the positions with the argmax, not put_along_axis, whose index building
    # costs a 10-row call 6 µs. Comparing the values with the maximum would mark every tie.
    positions = np.arange(rows.shape[-1])
    return np.equal(positions, np.argmax(rows, axis=-1, keepdims=True)).astype(rows.dtype)


def fits_one_block(first: np.ndarray, *others: np.ndarray) -> bool:
    """Whether a kernel can take these arrays as they are, in one call: they have one shape,
    one dtype, at least one dimension and no more values than a block.

    The generated drivers ask this first: it is the path of small calls, where cutting into
    blocks and allocating the result would cost more than the kernel itself on ten values.
    """
    if first.ndim == 0 or first.size > _plan.block_values:
        return False
    for other in others:  # noqa: SIM110 (all() of a generator costs a small call 0.3 µs)
        if other.shape != first.shape or other.dtype != first.dtype:
            return False
    return True


def _in_one_block(kernel: Callable, arrays: Sequence[np.ndarray], results: int, dtype: np.dtype):
    """The kernel called once on the whole arrays, if they have one shape and fit in a block;
    None otherwise. The path of small calls: it skips the cutting and the allocation of the
    result, which would cost more than the kernel itself on ten values."""
    shape = arrays[0].shape
    if arrays[0].size > _plan.block_values or any(array.shape != shape for array in arrays):
        return None
    # Kernels take arrays of at least one dimension: a 0-d array is given as (1,) and the
    # result reshaped back, since ufuncs give scalars, not arrays, for 0-d inputs.
    inputs = [array.astype(dtype, copy=False).reshape(shape or (1,)) for array in arrays]
    returned = kernel(*inputs, out=None if results == 1 else (None,) * results)
    if shape:
        return returned
    if results == 1:
        return returned.reshape(())
    return tuple(result.reshape(()) for result in returned)


def _flat(array: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``array`` broadcast to ``shape`` and flattened: a view when it already has that shape and
    is contiguous, a copy otherwise (broadcast inputs are rare and small)."""
    if array.shape == shape:
        return array.reshape(-1)
    return np.ascontiguousarray(np.broadcast_to(array, shape)).reshape(-1)


def _result_shape(shape: tuple[int, ...], kind: str) -> tuple[int, ...]:
    return shape if kind == "full" else (*shape[:-1], 1)


def _run_blocks(
    kernel: Callable,
    inputs: list[np.ndarray],
    outputs: list[np.ndarray],
    rows: int,
    per_block: int,
    dtype: np.dtype,
    scratch: int = 0,
) -> None:
    """Every block of ``rows`` rows, in this thread or spread over the pool in equal shares."""
    starts = range(0, rows, per_block)
    size = sum(array.size for array in inputs)
    threads = 1 if size < _plan.parallel_from else min(thread_count(), len(starts))
    if threads <= 1:
        _blocks_in_order(kernel, inputs, outputs, starts, per_block, dtype, scratch)
        return
    # Each thread takes a contiguous run of blocks: it streams through its own part of memory.
    per_thread = -(-len(starts) // threads)
    shares = [starts[i * per_thread:(i + 1) * per_thread] for i in range(threads)]
    pool = _thread_pool()
    futures = [
        pool.submit(
            contextvars.copy_context().run,
            _blocks_in_order, kernel, inputs, outputs, share, per_block, dtype, scratch,
        )
        for share in shares
    ]
    for future in futures:
        future.result()


def _blocks_in_order(
    kernel: Callable,
    inputs: list[np.ndarray],
    outputs: list[np.ndarray],
    starts: range,
    per_block: int,
    dtype: np.dtype,
    scratch: int = 0,
) -> None:
    if scratch and starts:
        stop = min(starts[-1] + per_block, outputs[0].shape[0])
        _blocks_on_spare_result(kernel, inputs, outputs, starts[0], stop, per_block, dtype, scratch)
        return
    for start in starts:
        _one_block(kernel, inputs, outputs, slice(start, start + per_block), dtype)


def _one_block(kernel, inputs, outputs, part: slice, dtype: np.dtype, **scratch) -> None:
    arguments = [array[part].astype(dtype, copy=False) for array in inputs]
    targets = [output[part] for output in outputs]
    kernel(*arguments, out=targets[0] if len(targets) == 1 else tuple(targets), **scratch)


def _blocks_on_spare_result(
    kernel: Callable,
    inputs: list[np.ndarray],
    outputs: list[np.ndarray],
    start: int,
    stop: int,
    per_block: int,
    dtype: np.dtype,
    scratch: int,
) -> None:
    """The values ``start:stop`` in order, each block's temporaries written into the part of the
    first result just after the block, which the next blocks overwrite with their values.

    So a call allocates its result and nothing else, as scipy's compiled expit does, instead
    of scratch arrays per block (or, unblocked, a full-size array per temporary). Near the end
    there is less room after a block than its scratch needs, so the blocks shrink: each takes
    1/(scratch + 1) of what is left. The unwritten part after a block is the first result's,
    which is this thread's share alone, so threads never touch each other's scratch.
    """
    spare = outputs[0]
    position = start
    while position < stop:
        size = min(per_block, (stop - position) // (scratch + 1))
        if size < max(1, _plan.smallest_spare_block):
            size = stop - position
            buffers = tuple(np.empty(size, dtype) for _ in range(scratch))
        else:
            after = position + size
            buffers = tuple(spare[after + i * size:after + (i + 1) * size] for i in range(scratch))
        _one_block(kernel, inputs, outputs, slice(position, position + size), dtype, scratch=buffers)
        position += size


def _thread_pool() -> ThreadPoolExecutor:
    """One pool for the process, made on first use (with as many threads as there are cores)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=max(2, os.cpu_count() or 2), thread_name_prefix=POOL_THREAD_PREFIX
            )
        return _pool


def _forget_pool_after_fork() -> None:
    """A forked child has none of its parent's threads: it makes its own pool when it needs one."""
    global _pool, _pool_lock
    _pool = None
    _pool_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool_after_fork)
