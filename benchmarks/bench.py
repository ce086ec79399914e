"""How fast gradbook's functions are, as ratios against hand-written NumPy measured in the same run.

Measures:

* ``logistic_cost_grad`` on X of shape (200 000, 64) against ``X.T @ (1/(1 + exp(−Xθ)) − y) / m``;
* ``softmax_cross_entropy_grad`` on (200 000, 100) against max-shift, exp, in-place divide by the
  row sums, − Y;
* a sweep over the number of classes K (n·K constant) in ns per element: flat means linear in K;
* the import time of ``gradbook.functions`` in a fresh interpreter, and whether SymPy came with it;
* the time to derive and check every derivation (``gradbook.scripts.load_all``), once.

Each time is the best of ``--repeat`` calls after one warm-up call, gradbook and NumPy alternating.
The VM is shared, so compare ratios, not milliseconds, and use ``--runs 2`` (or more) to keep the
better run (the one with the smallest total time, i.e. the least disturbed). Results go to
``benchmarks/results/latest.json`` (gitignored); ``--update-page`` also rewrites the table in
``site_src/performance.md``.

    python benchmarks/bench.py [--quick] [--runs N] [--json PATH] [--update-page]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from gradbook import functions as gb
from gradbook import kernels

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "latest.json"
PAGE = ROOT / "site_src" / "performance.md"
BEGIN_MARKER = "<!-- begin: table written by benchmarks/bench.py --update-page; do not edit by hand -->"
END_MARKER = "<!-- end: table written by benchmarks/bench.py -->"
SEED = 20261126

TARGETS = {"logistic_cost_grad": 1.3, "softmax_cross_entropy_grad": 1.5, "import_seconds": 0.15}
FULL_SIZES = {"logistic": (200_000, 64), "softmax": (200_000, 100), "sweep_elements": 20_000_000}
QUICK_SIZES = {"logistic": (20_000, 64), "softmax": (20_000, 100), "sweep_elements": 1_000_000}
SWEEP_CLASSES = (10, 30, 100, 300, 1000)


# The hand-written NumPy baselines.


def logistic_grad_numpy(theta, X, y):
    return X.T @ (1 / (1 + np.exp(-(X @ theta))) - y) / X.shape[0]


def softmax_ce_grad_numpy(Z, Y):
    P = Z - Z.max(axis=1, keepdims=True)
    np.exp(P, out=P)
    P /= P.sum(axis=1, keepdims=True)
    P -= Y
    return P


def logistic_grad_unchecked(theta, X, y):
    """gradbook's own computation without its argument checks, to measure what they cost."""
    return X.T @ kernels.error_logit_gradient(X @ theta, y) / X.shape[0]


def softmax_ce_grad_unchecked(Z, Y):
    """gradbook's own computation without its argument checks, to measure what they cost."""
    return kernels.softmax_cross_entropy_grad_shifted(Z, Y, Z.max(axis=-1, keepdims=True))


# Timing.


def best_times(candidates: dict, args: tuple, repeat: int) -> dict[str, float]:
    """Best wall time of each candidate over ``repeat`` calls, after one warm-up call each.

    The candidates alternate call by call, so a burst of load from other processes hits both.
    """
    for function in candidates.values():
        function(*args)
    best = dict.fromkeys(candidates, float("inf"))
    for _ in range(repeat):
        for name, function in candidates.items():
            start = time.perf_counter()
            function(*args)
            best[name] = min(best[name], time.perf_counter() - start)
    return best


@dataclass
class Comparison:
    """gradbook against the NumPy baseline on one workload."""

    workload: str
    shape: tuple[int, int]
    gradbook_ms: float
    numpy_ms: float
    target: float | None = None
    unchecked_ms: float | None = None

    @property
    def ratio(self) -> float:
        return self.gradbook_ms / self.numpy_ms

    @property
    def checks_cost(self) -> float | None:
        """The argument checks' share of the time, relative to the unchecked computation."""
        if self.unchecked_ms is None:
            return None
        return self.gradbook_ms / self.unchecked_ms - 1


@dataclass
class Run:
    """One full pass over the timed workloads."""

    comparisons: list[Comparison] = field(default_factory=list)
    sweep: list[Comparison] = field(default_factory=list)
    load_before: float = 0.0
    load_after: float = 0.0

    def score(self) -> float:
        """Smaller is better: the total measured time, which load from other processes inflates.

        (The product of the ratios would reward a run where only the baseline was slowed down.)
        """
        return sum(c.gradbook_ms + c.numpy_ms for c in [*self.comparisons, *self.sweep])


def logistic_data(m: int, n: int, rng: np.random.Generator):
    X = rng.standard_normal((m, n))
    theta = rng.standard_normal(n) / np.sqrt(n)
    y = (rng.random(m) < 0.5).astype(float)
    return theta, X, y


def softmax_data(m: int, classes: int, rng: np.random.Generator):
    Z = rng.standard_normal((m, classes)) * 3
    Y = np.zeros((m, classes))
    Y[np.arange(m), rng.integers(0, classes, m)] = 1
    return Z, Y


def compare(workload: str, shape: tuple[int, int], candidates: dict, args: tuple, repeat: int,
            target: float | None) -> Comparison:
    """Time gradbook's function, the NumPy baseline and gradbook's unchecked computation."""
    best = best_times(candidates, args, repeat)
    milliseconds = {name: seconds * 1e3 for name, seconds in best.items()}
    return Comparison(
        workload, shape, milliseconds["gradbook"], milliseconds["numpy"], target, milliseconds["unchecked"]
    )


def time_logistic(m: int, n: int, repeat: int) -> Comparison:
    candidates = {
        "gradbook": gb.logistic_cost_grad,
        "numpy": logistic_grad_numpy,
        "unchecked": logistic_grad_unchecked,
    }
    args = logistic_data(m, n, np.random.default_rng(SEED))
    return compare("logistic_cost_grad", (m, n), candidates, args, repeat, TARGETS["logistic_cost_grad"])


def time_softmax(m: int, classes: int, repeat: int, target: float | None = None) -> Comparison:
    candidates = {
        "gradbook": gb.softmax_cross_entropy_grad,
        "numpy": softmax_ce_grad_numpy,
        "unchecked": softmax_ce_grad_unchecked,
    }
    args = softmax_data(m, classes, np.random.default_rng(SEED))
    return compare("softmax_cross_entropy_grad", (m, classes), candidates, args, repeat, target)


def timed_run(sizes: dict, repeat: int) -> Run:
    run = Run(load_before=os.getloadavg()[0])
    run.comparisons.append(time_logistic(*sizes["logistic"], repeat))
    run.comparisons.append(time_softmax(*sizes["softmax"], repeat, TARGETS["softmax_cross_entropy_grad"]))
    for classes in SWEEP_CLASSES:
        run.sweep.append(time_softmax(sizes["sweep_elements"] // classes, classes, repeat))
    run.load_after = os.getloadavg()[0]
    return run


# Import time and derivation time, each in a fresh interpreter.

IMPORT_PROBE = """
import sys, time
start = time.perf_counter()
import numpy
numpy_done = time.perf_counter()
import gradbook.functions
done = time.perf_counter()
print(done - start, done - numpy_done, "sympy" in sys.modules)
"""

DERIVE_PROBE = """
import time
from pathlib import Path
start = time.perf_counter()
from gradbook.scripts import load_all
derivations = load_all(Path("derivations"))
print(time.perf_counter() - start, len(derivations))
"""


def run_probe(code: str) -> list[str]:
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return output.stdout.split()


def import_time(repeat: int = 5) -> dict:
    """Best time to import NumPy then ``gradbook.functions`` in fresh interpreters, and what it pulled in.

    Both imports are timed in the same interpreter, so the part on top of NumPy is comparable.
    """
    samples = [run_probe(IMPORT_PROBE) for _ in range(repeat)]
    total, on_top = min((float(total), float(on_top)) for total, on_top, _ in samples)
    return {
        "import_seconds": total,
        "import_after_numpy_seconds": on_top,
        "sympy_imported": any(flag == "True" for *_, flag in samples),
    }


def derivation_time() -> tuple[float, int]:
    seconds, count = run_probe(DERIVE_PROBE)
    return float(seconds), int(count)


# Reporting.


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    return {
        "cpu": cpu,
        "logical_cpus": os.cpu_count(),
        "memory_gib": round(memory_kb / 2**20, 1),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": f"{blas.get('name')} {blas.get('version')}",
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "(not set)"),
    }


def verdict(value: float, target: float | None) -> str:
    if target is None:
        return ""
    return "meets" if value <= target else "MISSES"


def headline_rows(run: Run) -> list[list[str]]:
    return [
        [
            c.workload,
            f"{c.shape[0]:,} × {c.shape[1]}",
            f"{c.gradbook_ms:.1f}",
            f"{c.numpy_ms:.1f}",
            f"{c.ratio:.2f}×",
            f"≤ {c.target}×",
            verdict(c.ratio, c.target),
            f"{c.checks_cost:+.0%}",
        ]
        for c in run.comparisons
    ]


def sweep_rows(run: Run) -> list[list[str]]:
    rows = []
    for c in run.sweep:
        elements = c.shape[0] * c.shape[1]
        rows.append(
            [
                f"{c.shape[1]}",
                f"{c.shape[0]:,}",
                f"{c.gradbook_ms * 1e6 / elements:.2f}",
                f"{c.numpy_ms * 1e6 / elements:.2f}",
                f"{c.ratio:.2f}×",
            ]
        )
    return rows


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def text_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


HEADLINE_HEADER = [
    "function", "input", "gradbook ms", "NumPy ms", "ratio", "target", "verdict", "argument checks",
]
SWEEP_HEADER = ["K", "rows n", "gradbook ns/element", "NumPy ns/element", "ratio"]


def sweep_growth(run: Run) -> float:
    """gradbook's ns/element at the largest K over that at the smallest K.

    About 1 (or less, as short rows carry more per-row overhead) when the cost is linear in K; a
    gradient built from the K² terms of the raw symbolic derivative would give about K_max/K_min.
    """
    first, last = run.sweep[0], run.sweep[-1]
    return (last.gradbook_ms / (last.shape[0] * last.shape[1])) / (
        first.gradbook_ms / (first.shape[0] * first.shape[1])
    )


def report(run: Run, results: dict, formatter, bullet: str = "") -> str:
    """The tables and the one-off timings; ``formatter`` makes the tables (text or Markdown)."""
    import_seconds, sympy_imported = results["import_seconds"], results["sympy_imported"]
    parts = [
        formatter(HEADLINE_HEADER, headline_rows(run)),
        "",
        f"Softmax cross-entropy gradient against the number of classes K (n·K = "
        f"{run.sweep[0].shape[0] * run.sweep[0].shape[1]:,} elements); "
        f"gradbook ns/element at K = {run.sweep[-1].shape[1]} over K = {run.sweep[0].shape[1]}: "
        f"{sweep_growth(run):.2f} (linear in K: about 1 or less; K² terms: about "
        f"{run.sweep[-1].shape[1] // run.sweep[0].shape[1]})",
        "",
        formatter(SWEEP_HEADER, sweep_rows(run)),
        "",
        f"{bullet}import gradbook.functions (fresh interpreter, best of 5): {import_seconds:.3f} s "
        f"(target < {TARGETS['import_seconds']} s: {verdict(import_seconds, TARGETS['import_seconds'])}); "
        f"of which {results['import_after_numpy_seconds']:.3f} s after NumPy; SymPy imported: "
        f"{'yes' if sympy_imported else 'no'}",
        f"{bullet}derive and check every derivation (load_all, once): {results['derive_seconds']:.1f} s "
        f"for {results['derivation_count']} derivations",
    ]
    return "\n".join(parts)


def update_page(markdown: str) -> None:
    text = PAGE.read_text()
    if BEGIN_MARKER not in text or END_MARKER not in text:
        raise SystemExit(f"{PAGE} lacks the markers {BEGIN_MARKER!r} … {END_MARKER!r}")
    before, rest = text.split(BEGIN_MARKER, 1)
    _, after = rest.split(END_MARKER, 1)
    PAGE.write_text(f"{before}{BEGIN_MARKER}\n{markdown}\n{END_MARKER}{after}")


def page_block(run: Run, results: dict) -> str:
    info = results["machine"]
    quick = " --quick" if results["quick"] else ""
    header = (
        f"Measured {results['date']} with `python benchmarks/bench.py{quick} "
        f"--runs {len(results['runs'])} --update-page` (the better of {len(results['runs'])} runs; "
        f"1-minute load average {run.load_before:.1f} before, {run.load_after:.1f} after) on "
        f"{info['logical_cpus']} × {info['cpu']}, {info['memory_gib']} GiB, Python {info['python']}, "
        f"NumPy {info['numpy']} with {info['blas']}, OPENBLAS_CORETYPE {info['OPENBLAS_CORETYPE']}."
    )
    return f"{header}\n\n{report(run, results, markdown_table, bullet='- ')}\n"


def run_record(run: Run) -> dict:
    def record(c: Comparison) -> dict:
        return asdict(c) | {"ratio": c.ratio}

    return {
        "comparisons": [record(c) for c in run.comparisons],
        "sweep": [record(c) for c in run.sweep],
        "load_before": run.load_before,
        "load_after": run.load_after,
        "score": run.score(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--runs", type=int, default=1, help="full timing runs; the better one is kept")
    parser.add_argument("--repeat", type=int, default=10, help="timed calls per measurement (best is kept)")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"where to write results ({RESULTS})")
    parser.add_argument("--update-page", action="store_true", help=f"rewrite the table in {PAGE}")
    args = parser.parse_args(argv)
    if args.repeat < 5:
        parser.error("--repeat must be at least 5")
    sizes = QUICK_SIZES if args.quick else FULL_SIZES

    runs = []
    for number in range(1, args.runs + 1):
        runs.append(timed_run(sizes, args.repeat))
        print(
            f"run {number} of {args.runs}:\n{text_table(HEADLINE_HEADER, headline_rows(runs[-1]))}\n",
            flush=True,
        )
    best = min(runs, key=Run.score)
    results = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": args.quick,
        "repeat": args.repeat,
        "machine": machine(),
        "runs": [run_record(run) for run in runs],
        "best_run": runs.index(best),
    }
    results |= import_time()
    results["derive_seconds"], results["derivation_count"] = derivation_time()

    print(f"better run: {runs.index(best) + 1}\n\n{report(best, results, text_table)}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2))
    print(f"\nwrote {args.json}")
    if args.update_page:
        update_page(page_block(best, results))
        print(f"updated {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
