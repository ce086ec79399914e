"""What the numbers were measured on, and what importing gradbook's functions costs.

The import is timed in fresh interpreters: a training script that uses the compiled functions
should pay for NumPy and nothing else, in particular not for SymPy and the derivation engine.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np

IMPORT_PROBE = """
import sys, time
start = time.perf_counter()
import numpy
numpy_done = time.perf_counter()
import gradbook.functions
done = time.perf_counter()
print(done - start, done - numpy_done, "sympy" in sys.modules)
"""


def cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            return round(int(line.split()[1]) / 2**20, 1)
    return float("nan")


def blas_threads() -> str:
    """How many threads NumPy's BLAS runs the matrix products on, as threadpoolctl (installed
    with scikit-learn) reports it, else as the environment sets it. SciPy loads a BLAS of its
    own; only the one inside NumPy's folder counts here."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return os.environ.get("OPENBLAS_NUM_THREADS", "not set")
    numpy_folder = Path(np.__file__).parent.name
    for pool in threadpool_info():
        if pool["user_api"] == "blas" and f"{numpy_folder}.libs" in pool["filepath"]:
            return str(pool["num_threads"])
    return "unknown"


def machine() -> dict:
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    return {
        "cpu": cpu_name(),
        "logical_cpus": os.cpu_count(),
        "memory_gib": memory_gib(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": f"{blas.get('name')} {blas.get('version')}",
        "blas_threads": blas_threads(),
    }


def import_time(root: Path, repeat: int = 5) -> dict:
    """Best time to import NumPy then ``gradbook.functions``, and whether SymPy came along.

    Both imports are timed in the same interpreter, so the part on top of NumPy can be read off.
    """
    samples = []
    for _ in range(repeat):
        output = subprocess.run(
            [sys.executable, "-c", IMPORT_PROBE], cwd=root, capture_output=True, text=True, check=True
        )
        total, after_numpy, sympy = output.stdout.split()
        samples.append((float(total), float(after_numpy), sympy == "True"))
    total, after_numpy, _ = min(samples)
    return {
        "import_seconds": total,
        "import_after_numpy_seconds": after_numpy,
        "sympy_imported": any(sympy for *_, sympy in samples),
    }
