"""Peak temporary memory of one call, as tracemalloc sees it.

NumPy reports every array buffer it allocates to tracemalloc, so the peak of the traced memory
during a call, less what was traced before it and less the bytes of the result it returns, is
what the call held in temporaries at its worst moment. Memory allocated outside NumPy (OpenBLAS's
work buffers, a compiled extension's own ``malloc``) is not seen.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable

import numpy as np


def result_bytes(result: object) -> int:
    """The bytes of the array(s) a call returns (a tuple's items added up)."""
    items = result if isinstance(result, tuple) else (result,)
    return sum(np.asarray(item).nbytes for item in items)


def peak_temporaries(call: Callable[[], object]) -> int:
    """Bytes of the largest set of temporaries alive at once during ``call()``."""
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        result = call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return max(peak - before - result_bytes(result), 0)
