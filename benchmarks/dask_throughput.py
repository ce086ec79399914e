"""Rows per second of ``logistic_cost_and_grad`` on the "Beyond NumPy" guide's Dask array,
against NumPy on rows held in memory.

The Dask data is the guide's own (``site_src/guide/beyond_numpy.py``): ROWS × 16 float32 values
generated chunk by chunk and never held in memory at once, so every evaluation generates them
again. A pass that only generates them (and sums them, so that nothing is skipped) is timed in
the same rounds: the difference between the two is what the cost and gradient themselves add.
Both run on Dask's threaded scheduler, one thread per core.

NumPy's rate is measured on the first rows of the same data, loaded as NumPy arrays: gradbook's
NumPy path and the hand-written code, timed in interleaved rounds like the other workloads.
"""

from __future__ import annotations

import importlib.util
import resource
import statistics
import sys
import time
from pathlib import Path

import baselines
import numpy as np
import timing
import workloads

from gradbook import functions as gb

GUIDE_SCRIPT = Path(__file__).resolve().parents[1] / "site_src" / "guide" / "beyond_numpy.py"
#: Rows of the in-memory NumPy arrays (at most the Dask array's rows).
IN_MEMORY_ROWS = 10_000_000
#: A full pass over 10⁸ rows takes most of a minute on two cores: few rounds, no warm-up pass.
DASK_ROUNDS = 3


def guide_script():
    """The guide's script as a module, for its data and its chunking."""
    spec = importlib.util.spec_from_file_location("beyond_numpy", GUIDE_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def median_seconds(calls: dict[str, timing.Call], rounds: int) -> dict[str, float]:
    """Each call's median time over ``rounds`` rounds, the calls taking turns to go first."""
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for number in range(rounds):
        for name in timing.rotated(list(calls), number):
            samples[name].append(timing.seconds_per_call(calls[name], 1))
    return {name: statistics.median(times) for name, times in samples.items()}


def dask_rates(guide, rows: int, theta: np.ndarray, rounds: int) -> dict:
    import dask

    X, y = guide.synthetic_data(rows, min(guide.CHUNK_ROWS, rows))
    # One chunk first: imports and thread pools start outside the timed rounds.
    dask.compute(*gb.logistic_cost_and_grad(theta, X[:1000], y[:1000]), scheduler="threads")
    cost, grad = gb.logistic_cost_and_grad(theta, X, y)
    calls = {
        "gradbook on Dask": lambda: dask.compute(cost, grad, scheduler="threads"),
        "data alone": lambda: dask.compute(X.sum(), y.sum(), scheduler="threads"),
    }
    load_before = timing.load_average()
    seconds = median_seconds(calls, rounds)
    return {
        "load_before": load_before,
        "load_after": timing.load_average(),
        "rows": rows,
        "chunk_rows": X.chunks[0][0],
        "x_bytes": X.nbytes,
        "y_bytes": y.nbytes,
        "rounds": rounds,
        "seconds": seconds,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


def numpy_rates(guide, rows: int, theta: np.ndarray, rounds: int) -> dict:
    import dask

    X, y = guide.synthetic_data(rows, min(guide.CHUNK_ROWS, rows))
    X, y = dask.compute(X, y, scheduler="threads")
    calls = {
        "gradbook on NumPy": lambda: gb.logistic_cost_and_grad(theta, X, y),
        "hand-written NumPy": lambda: baselines.logistic_cost_and_grad(theta, X, y),
    }
    got, wanted = calls["gradbook on NumPy"](), calls["hand-written NumPy"]()
    if not all(np.allclose(a, b, rtol=1e-4, atol=1e-7) for a, b in zip(got, wanted, strict=True)):
        raise SystemExit("dask throughput: gradbook and the hand-written NumPy code disagree")
    medians = timing.interleaved(calls, rounds)
    return {"rows": rows, "rounds": rounds, "seconds": medians.seconds,
            "load_before": medians.load_before, "load_after": medians.load_after}


def measure(rows: int, rounds: int | None) -> dict:
    """The Dask rates on ``rows`` rows, then NumPy's on the first rows of the same data."""
    guide = guide_script()
    # Halfway to the parameters the labels were drawn from: X θ stays far from the float32 range
    # where σ rounds to 1 and the hand-written ln(1 − p) would be ln 0.
    theta = guide.TRUE_THETA / 2
    started = time.perf_counter()
    print(f"timing logistic_cost_and_grad on the Dask array of {rows:,} rows ...", flush=True)
    dask_part = dask_rates(guide, rows, theta, rounds or DASK_ROUNDS)
    print("timing it on NumPy arrays in memory ...", flush=True)
    numpy_part = numpy_rates(guide, min(rows, IN_MEMORY_ROWS), theta, rounds or workloads.FULL.rounds)
    return {
        "dask": dask_part,
        "numpy": numpy_part,
        "seconds_total": time.perf_counter() - started,
    }
