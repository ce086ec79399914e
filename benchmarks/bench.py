"""How fast and how lean gradbook's functions are, as ratios against hand-written NumPy.

Measures, each against hand-written NumPy timed in the same interleaved rounds:

* the large workloads (``workloads.py``): ``softmax_cross_entropy_grad`` on 200 000 × 100,
  ``logistic_cost_and_grad`` and ``logistic_cost_grad`` on 200 000 × 64, ``sigmoid`` on 10⁷
  values, beside SciPy and scikit-learn where installed and the physical floor (the bytes that
  must move, over the memory bandwidth measured in the same run);
* every public function on a 10-element input (``small_calls.py``), where overhead dominates;
* the peak temporary memory of each large workload (``memory.py``);
* the import time of ``gradbook.functions`` (``environment.py``).

``--dask ROWS`` measures, instead of all that, one thing that takes minutes at its full size:
the rows per second of ``logistic_cost_and_grad`` on the "Beyond NumPy" guide's Dask array of
ROWS rows generated chunk by chunk, against NumPy on 10⁷ of its rows in memory
(``dask_throughput.py``; results in ``benchmarks/results/dask.json``, and with ``--update-page``
in the page's own section for it).

Times are medians over the rounds; the 1-minute load average is recorded around them. Results
go to ``benchmarks/results/latest.json`` (gitignored); ``--update-page`` also rewrites the
tables in ``site_src/performance.md``. SciPy and scikit-learn are optional:
``pip install gradbook[bench]``.

    python benchmarks/bench.py [--quick] [--rounds N] [--json PATH] [--update-page]
    python benchmarks/bench.py --dask 100000000 [--rounds N] [--json PATH] [--update-page]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import sys
from pathlib import Path

import dask_throughput
import environment
import memory
import numpy as np
import peers
import report
import small_calls
import timing
import workloads

from gradbook import functions as gb

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "latest.json"
DASK_RESULTS = ROOT / "benchmarks" / "results" / "dask.json"
PAGE = ROOT / "site_src" / "performance.md"


class Notes(list):
    """Things left out of the run, printed as they happen and kept for the report."""

    def __call__(self, text: str) -> None:
        print(text, flush=True)
        self.append(text)


def measure_workload(workload: workloads.Workload, rounds: int, bandwidth: float) -> dict:
    """Time, floor and temporaries of one large workload, as a JSON-ready record."""
    wrong = workloads.disagreeing(workload)
    if wrong:
        raise SystemExit(f"{workload.function}: {', '.join(wrong)} disagree with the NumPy baseline")
    calls = workload.installed_calls()
    medians = timing.interleaved(calls, rounds)
    floor_seconds = workload.floor_bytes / bandwidth
    return {
        "function": workload.function,
        "input": workload.input,
        "target": workload.target,
        "seconds": medians.seconds,
        "samples": medians.samples,
        "not_installed": [name for name, call in workload.calls.items() if call is None],
        "ratio": medians.seconds["gradbook"] / medians.seconds["numpy"],
        "load_before": medians.load_before,
        "load_after": medians.load_after,
        "floor_bytes": workload.floor_bytes,
        "floor_seconds": floor_seconds,
        "gradbook_over_floor": medians.seconds["gradbook"] / floor_seconds,
        "memory_bytes": {name: memory.peak_temporaries(call) for name, call in calls.items()},
        "memory_target": workload.memory_target,
    }


def measure_workloads(sizes: workloads.Sizes, bandwidth: float, note: Notes) -> list[dict]:
    measured = []
    for name, build in workloads.WORKLOADS.items():
        if not hasattr(gb, name):
            note(f"skipping the {name} workload: gradbook.functions has no {name}")
            continue
        print(f"timing {name} ...", flush=True)
        workload = build(sizes, np.random.default_rng(workloads.SEED))
        measured.append(measure_workload(workload, sizes.rounds, bandwidth))
    return measured


def measure_small_calls(sizes: workloads.Sizes, note: Notes) -> list[dict]:
    print("timing the small calls ...", flush=True)
    measured = []
    for call in small_calls.small_calls(np.random.default_rng(workloads.SEED), note):
        if not workloads.outputs_agree(call.gradbook(), call.numpy()):
            raise SystemExit(f"small calls: {call.function} disagrees with its NumPy equivalent")
        candidates = {"gradbook": call.gradbook, "numpy": call.numpy}
        medians = timing.interleaved(candidates, sizes.rounds, sizes.small_calls_per_round).seconds
        measured.append({
            "function": call.function,
            "gradbook_seconds": medians["gradbook"],
            "numpy_seconds": medians["numpy"],
            "ratio": medians["gradbook"] / medians["numpy"],
            "target": small_calls.TARGET,
        })
    return measured


def command(args: argparse.Namespace) -> str:
    flags = [flag for flag, given in (("--quick", args.quick), ("--update-page", args.update_page)) if given]
    if args.dask is not None:
        flags.insert(0, f"--dask {args.dask}")
    return " ".join(["python benchmarks/bench.py", *flags])


def now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def run_dask(args: argparse.Namespace) -> dict:
    import dask

    return {
        "date": now(),
        "command": command(args),
        "machine": environment.machine(),
        "dask_version": dask.__version__,
        **dask_throughput.measure(args.dask, args.rounds),
    }


def run(args: argparse.Namespace) -> dict:
    sizes = workloads.QUICK if args.quick else workloads.FULL
    if args.rounds:
        sizes = dataclasses.replace(sizes, rounds=args.rounds)
    note = Notes()
    load_before = timing.load_average()
    print("measuring the memory bandwidth ...", flush=True)
    bandwidth = timing.memory_bandwidth(sizes.copy_megabytes, sizes.rounds)
    measured = measure_workloads(sizes, bandwidth["bytes_per_second"], note)
    small = measure_small_calls(sizes, note)
    load_after = timing.load_average()
    return {
        "date": now(),
        "command": command(args),
        "quick": args.quick,
        "rounds": sizes.rounds,
        "small_calls_per_round": sizes.small_calls_per_round,
        "small_call_target": small_calls.TARGET,
        "load_before": load_before,
        "load_after": load_after,
        "machine": environment.machine(),
        "peers": peers.installed(),
        "sklearn_threads": peers.SKLEARN_THREADS,
        "bandwidth": bandwidth,
        "workloads": measured,
        "small_calls": small,
        "import": environment.import_time(ROOT),
        "skipped": list(note),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and few rounds, a smoke test")
    parser.add_argument("--rounds", type=int, help="interleaved rounds per workload (default 15, quick 5)")
    parser.add_argument(
        "--json", type=Path, help=f"where to write results ({RESULTS}; with --dask, {DASK_RESULTS})"
    )
    parser.add_argument("--update-page", action="store_true", help=f"rewrite the tables in {PAGE}")
    parser.add_argument(
        "--dask", type=int, metavar="ROWS",
        help="only the Dask throughput of logistic_cost_and_grad on ROWS rows (minutes for 10⁸)",
    )
    args = parser.parse_args(argv)
    if args.rounds is not None and args.rounds < 3:
        parser.error("--rounds must be at least 3")
    if args.dask is not None and (args.dask < 1 or args.quick):
        parser.error("--dask takes a positive number of rows, and runs without --quick")
    if args.dask is not None:
        return main_dask(args)

    results = run(args)
    print(f"\n{report.conditions(results)}\n\n{report.report(results, report.text_table)}")
    path = args.json or RESULTS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2))
    print(f"\nwrote {path}")
    if args.update_page:
        report.update_page(PAGE, report.page_block(results))
        print(f"updated {PAGE}")
    return 0


def main_dask(args: argparse.Namespace) -> int:
    results = run_dask(args)
    print(f"\n{report.dask_conditions(results)}\n\n{report.dask_report(results, report.text_table)}")
    path = args.json or DASK_RESULTS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2))
    print(f"\nwrote {path}")
    if args.update_page:
        block = report.dask_page_block(results)
        report.update_page(PAGE, block, report.DASK_BEGIN_MARKER, report.DASK_END_MARKER)
        print(f"updated the Dask section of {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
