"""The results as tables: plain text for the terminal, Markdown for the Performance page.

Everything here reads the results dictionary that is also written as JSON, so a table can be
remade from ``benchmarks/results/latest.json`` without timing anything again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

Formatter = Callable[[list[str], list[list[str]]], str]

PEERS = ("scipy", "sklearn")
BEGIN_MARKER = "<!-- begin: tables written by benchmarks/bench.py --update-page; do not edit by hand -->"
END_MARKER = "<!-- end: tables written by benchmarks/bench.py -->"
DASK_BEGIN_MARKER = (
    "<!-- begin: table written by benchmarks/bench.py --dask ROWS --update-page; do not edit by hand -->"
)
DASK_END_MARKER = "<!-- end: table written by benchmarks/bench.py --dask -->"
DASK_HEADER = ["computation", "data", "rows", "seconds", "rows per second", "rate ÷ gradbook's on NumPy"]

MAIN_HEADER = [
    "function", "input", "gradbook ms", "NumPy ms", "ratio", "target", "verdict",
    "scipy ms", "sklearn ms", "floor ms", "gradbook ÷ floor",
]
SMALL_HEADER = ["function", "gradbook µs", "NumPy µs", "ratio", "target", "verdict"]
MEMORY_HEADER = [
    "function", "input", "gradbook MB", "NumPy MB", "gradbook ÷ NumPy", "scipy MB", "sklearn MB",
    "target", "verdict",
]


def verdict(value: float, limit: float | None) -> str:
    if limit is None:
        return "—"
    return "meets" if value <= limit else "MISSES"


def peer_cell(workload: dict, peer: str, scale: Callable[[float], str], values: str) -> str:
    """A peer's number, "not installed" when its library is missing, "—" when it has no version."""
    if peer in workload["not_installed"]:
        return "not installed"
    if peer not in workload[values]:
        return "—"
    return scale(workload[values][peer])


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1e3:.1f}"


def megabytes(size: float) -> str:
    """Megabytes to one decimal; below 0.1 MB to the kilobyte, so that a few kilobytes of
    interpreter objects do not read as nothing."""
    return f"{size / 1e6:.1f}" if size >= 1e5 else f"{size / 1e6:.3f}"


#: What tracemalloc sees besides arrays: the interpreter's own objects made during a call
#: (array views of the blocks, slices, frames, a thread pool's work items), a few kilobytes
#: whatever the input's size. The memory targets are about arrays, so amounts within this of
#: the limit count as within it; an array of 10⁴ float64 values is more than this.
INTERPRETER_OBJECTS = 64 * 1024


def main_rows(results: dict) -> list[list[str]]:
    rows = []
    for workload in results["workloads"]:
        seconds = workload["seconds"]
        rows.append([
            workload["function"],
            workload["input"],
            milliseconds(seconds["gradbook"]),
            milliseconds(seconds["numpy"]),
            f"{workload['ratio']:.2f}×",
            f"≤ {workload['target']}×",
            verdict(workload["ratio"], workload["target"]),
            *(peer_cell(workload, peer, milliseconds, "seconds") for peer in PEERS),
            milliseconds(workload["floor_seconds"]),
            f"{workload['gradbook_over_floor']:.1f}×",
        ])
    return rows


def small_rows(results: dict) -> list[list[str]]:
    return [
        [
            call["function"],
            f"{call['gradbook_seconds'] * 1e6:.1f}",
            f"{call['numpy_seconds'] * 1e6:.1f}",
            f"{call['ratio']:.2f}×",
            f"≤ {call['target']}×",
            verdict(call["ratio"], call["target"]),
        ]
        for call in results["small_calls"]
    ]


def memory_limit(workload: dict) -> tuple[str, float | None]:
    """The memory target as text, and the bytes gradbook may use under it (None: not judged)."""
    if workload["memory_target"] is None:
        return "—", None
    reference, factor = workload["memory_target"]
    name = "NumPy" if reference == "numpy" else reference
    text = f"≤ {name}" if factor == 1 else f"≤ {factor}× {name}"
    if reference not in workload["memory_bytes"]:
        return text, None
    return text, factor * workload["memory_bytes"][reference] + INTERPRETER_OBJECTS


def memory_rows(results: dict) -> list[list[str]]:
    rows = []
    for workload in results["workloads"]:
        used = workload["memory_bytes"]
        target, limit = memory_limit(workload)
        ratio = f"{used['gradbook'] / used['numpy']:.2f}×" if used["numpy"] else "—"
        rows.append([
            workload["function"],
            workload["input"],
            megabytes(used["gradbook"]),
            megabytes(used["numpy"]),
            ratio,
            *(peer_cell(workload, peer, megabytes, "memory_bytes") for peer in PEERS),
            target,
            verdict(used["gradbook"], limit),
        ])
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


def conditions(results: dict) -> str:
    """When, where and how the numbers were measured: what a reader needs to weigh them."""
    info, bandwidth = results["machine"], results["bandwidth"]
    versions = ", ".join(
        f"{peer} {version}" if version else f"{peer} not installed"
        for peer, version in results["peers"].items()
    )
    return (
        f"Measured {results['date']} with `{results['command']}`: median of {results['rounds']} "
        f"interleaved rounds ({results['small_calls_per_round']} calls per round for the small calls); "
        f"1-minute load average {results['load_before']:.1f} before, {results['load_after']:.1f} after; "
        f"memory bandwidth {bandwidth['bytes_per_second'] / 1e9:.1f} GB/s (copy of "
        f"{bandwidth['array_bytes'] / 2**20:.0f} MiB). {info['logical_cpus']} × {info['cpu']}, "
        f"{info['memory_gib']} GiB, Python {info['python']}, NumPy {info['numpy']} with {info['blas']} on "
        f"{info['blas_threads']} threads; "
        f"{versions} (sklearn on {results['sklearn_threads']} threads)."
    )


def import_line(results: dict) -> str:
    probe = results["import"]
    return (
        f"`import gradbook.functions` in a fresh interpreter (best of 5): {probe['import_seconds']:.3f} s, "
        f"of which {probe['import_after_numpy_seconds']:.3f} s after NumPy; SymPy imported: "
        f"{'yes' if probe['sympy_imported'] else 'no'}."
    )


def report(results: dict, formatter: Formatter) -> str:
    """The three tables with their captions, then the import time."""
    parts = [
        "Time, gradbook against hand-written NumPy (median of the rounds):",
        formatter(MAIN_HEADER, main_rows(results)),
        f"Small calls (10 elements), time per call; target ≤ {results['small_call_target']}×:",
        formatter(SMALL_HEADER, small_rows(results)),
        "Peak temporary memory (traced peak during the call, less the result):",
        formatter(MEMORY_HEADER, memory_rows(results)),
        import_line(results),
    ]
    if results["skipped"]:
        parts.append("Not measured: " + "; ".join(results["skipped"]) + ".")
    return "\n\n".join(parts)


def page_block(results: dict) -> str:
    return f"{conditions(results)}\n\n{report(results, markdown_table)}\n"


def dask_rows(results: dict) -> list[list[str]]:
    """One row per computation of the Dask throughput run, its rate against gradbook's on NumPy."""
    dask, numpy = results["dask"], results["numpy"]
    chunked = f"generated in chunks of {dask['chunk_rows']:,} rows"
    entries = [
        ("logistic_cost_and_grad, threads", chunked, dask["rows"], dask["seconds"]["gradbook on Dask"]),
        ("the data alone (generated, summed)", chunked, dask["rows"], dask["seconds"]["data alone"]),
        ("logistic_cost_and_grad", "NumPy, in memory", numpy["rows"], numpy["seconds"]["gradbook on NumPy"]),
        ("hand-written NumPy", "NumPy, in memory", numpy["rows"], numpy["seconds"]["hand-written NumPy"]),
    ]
    reference = numpy["rows"] / numpy["seconds"]["gradbook on NumPy"]
    return [
        [name, data, f"{rows:,}", f"{seconds:.2f}", f"{rows / seconds:,.0f}",
         f"{rows / seconds / reference:.2f}×"]
        for name, data, rows, seconds in entries
    ]


def dask_conditions(results: dict) -> str:
    dask, numpy, info = results["dask"], results["numpy"], results["machine"]
    return (
        f"Measured {results['date']} with `{results['command']}`, one run: Dask times are the median of "
        f"{dask['rounds']} rounds, NumPy times of {numpy['rounds']} interleaved rounds; 1-minute load "
        f"average {dask['load_before']:.1f} before the Dask rounds, {numpy['load_after']:.1f} at the end. "
        f"{info['logical_cpus']} × {info['cpu']}, {info['memory_gib']} GiB, Python {info['python']}, "
        f"NumPy {info['numpy']}, Dask {results['dask_version']}. The Dask arrays hold "
        f"{dask['x_bytes'] / 1e9:.2f} GB (X) and {dask['y_bytes'] / 1e9:.2f} GB (y); the peak resident "
        f"memory of the process, by the end of the Dask rounds, was {dask['peak_rss_bytes'] / 1e6:,.0f} MB."
    )


def dask_report(results: dict, formatter: Formatter) -> str:
    return formatter(DASK_HEADER, dask_rows(results))


def dask_page_block(results: dict) -> str:
    return f"{dask_conditions(results)}\n\n{dask_report(results, markdown_table)}\n"


def update_page(page: Path, block: str, begin: str = BEGIN_MARKER, end: str = END_MARKER) -> None:
    """Replace the text between the page's markers ``begin`` and ``end`` with ``block``."""
    text = page.read_text()
    if begin not in text or end not in text:
        raise SystemExit(f"{page} lacks the markers {begin!r} … {end!r}")
    before, rest = text.split(begin, 1)
    _, after = rest.split(end, 1)
    page.write_text(f"{before}{begin}\n{block}\n{end}{after}")
