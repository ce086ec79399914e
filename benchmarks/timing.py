"""Timing by interleaved rounds, and the memory bandwidth the physical floor is computed from.

A round calls every candidate of a workload once, each round starting one candidate later than
the one before, so a burst of load from other processes on the shared machine falls on all the
candidates alike, in every position; the median over the rounds then ignores the rounds such a
burst disturbed.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

import numpy as np

Call = Callable[[], object]


@dataclass
class Medians:
    """Each candidate's median seconds per call over the rounds, with the load around them."""

    seconds: dict[str, float]
    samples: dict[str, list[float]]
    rounds: int
    load_before: float
    load_after: float


def load_average() -> float:
    """The 1-minute load average: more than the core count means the timings were contended."""
    return os.getloadavg()[0]


def rotated(names: list[str], start: int) -> list[str]:
    start %= len(names)
    return names[start:] + names[:start]


def seconds_per_call(call: Call, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - start) / calls


def interleaved(candidates: dict[str, Call], rounds: int, calls: int = 1) -> Medians:
    """Time ``calls`` consecutive calls of each candidate per round, after one warm-up call each."""
    load_before = load_average()
    for call in candidates.values():
        call()
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    for number in range(rounds):
        for name in rotated(list(candidates), number):
            samples[name].append(seconds_per_call(candidates[name], calls))
    medians = {name: statistics.median(times) for name, times in samples.items()}
    return Medians(medians, samples, rounds, load_before, load_average())


def copy_in_parts(destination: np.ndarray, source: np.ndarray, pool: ThreadPoolExecutor, parts: int) -> None:
    """One large copy split into ``parts`` contiguous pieces copied at the same time."""
    pieces = zip(np.array_split(destination, parts), np.array_split(source, parts), strict=True)
    for future in [pool.submit(np.copyto, to, start) for to, start in pieces]:
        future.result()


def memory_bandwidth(megabytes: int, rounds: int) -> dict:
    """Bytes per second that a copy of ``megabytes`` MiB moves, read plus written (the STREAM
    "copy" convention), on one thread and on every core; the larger of the two is the bandwidth.

    The arrays are meant to be much larger than the last-level cache, so the copy streams
    through main memory, as the large workloads do.
    """
    source = np.ones(megabytes * 2**20 // 8)
    destination = np.empty_like(source)
    threads = os.cpu_count() or 1
    with ThreadPoolExecutor(threads) as pool:
        candidates: dict[str, Call] = {"1 thread": partial(np.copyto, destination, source)}
        if threads > 1:
            candidates[f"{threads} threads"] = partial(copy_in_parts, destination, source, pool, threads)
        medians = interleaved(candidates, rounds)
    moved = 2 * source.nbytes
    by_threads = {name: moved / seconds for name, seconds in medians.seconds.items()}
    return {
        "array_bytes": source.nbytes,
        "rounds": rounds,
        "bytes_per_second_by_threads": by_threads,
        "bytes_per_second": max(by_threads.values()),
    }
