"""Logistic regression by gradient descent with gradbook.functions on arrays that are not NumPy's.

The same call, ``logistic_cost_and_grad(theta, X, y)``, trains a model on

* a PyTorch tensor in memory, step for step beside the same steps on NumPy arrays;
* a Dask array of ROWS × 16 float32 values generated chunk by chunk and never held in memory
  at once, its gradient steps run first by Dask's threads, then by a dask.distributed cluster
  (a LocalCluster on this machine, or the scheduler at --address);

and checks the Dask numbers against NumPy's on the first rows, loaded in memory.

    python beyond_numpy.py [--rows 100000000] [--chunk-rows 1000000] [--steps 3]
                           [--workers 2] [--threads-per-worker 1] [--address tcp://HOST:8786]
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import time
from contextlib import ExitStack
from dataclasses import dataclass, field

import dask
import dask.array as da
import numpy as np

from gradbook import functions as gb

SEED = 20261203
ROWS, CHUNK_ROWS, FEATURES = 100_000_000, 1_000_000, 16
#: The parameters the labels are drawn from: what gradient descent should find again.
TRUE_THETA = np.linspace(-1.0, 1.0, FEATURES, dtype=np.float32)
#: The learning rate α. With standard normal features the cost's curvature is at most 1/4.
ALPHA = 2.0
#: Rows of the Dask data also trained on as a PyTorch tensor and as NumPy arrays.
TORCH_ROWS = 10_000


# --8<-- [start:data]
def synthetic_data(rows: int, chunk_rows: int, seed: int = SEED) -> tuple[da.Array, da.Array]:
    """X, rows × 16 standard normal float32 values, and labels y ∈ {0, 1} with
    P(y = 1 | x) = σ(x·θ_true), as lazy Dask arrays in chunks of ``chunk_rows`` rows.

    dask.array.random gives every chunk a seed of its own, drawn once from ``seed`` when the
    arrays are defined, so a chunk computed again (at every gradient step) is the same chunk.
    σ is written 0.5 (1 + tanh(s/2)), which cannot overflow.
    """
    rng = da.random.default_rng(seed)
    X = rng.standard_normal((rows, FEATURES), dtype=np.float32, chunks=(chunk_rows, FEATURES))
    u = rng.random(rows, dtype=np.float32, chunks=chunk_rows)
    p = 0.5 * (1 + da.tanh((X @ TRUE_THETA) / 2))
    y = (u < p).astype(np.float32)
    return X, y
# --8<-- [end:data]


@dataclass
class Run:
    """Gradient descent on one scheduler: the costs, the final θ, the time of each step."""

    scheduler: str
    costs: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    theta: np.ndarray | None = None
    peak_bytes: dict[str, int] = field(default_factory=dict)


# --8<-- [start:descend]
def gradient_descent(X: da.Array, y: da.Array, steps: int, run: Run) -> Run:
    """``steps`` steps θ ← θ − α ∇J(θ) from θ = 0, each one pass over the data.

    θ is a NumPy array: gradbook turns it into a Dask array next to X and y, and returns a
    lazy cost and gradient; dask.compute runs them on the scheduler in effect.
    """
    theta = np.zeros(FEATURES, dtype=np.float32)
    for _ in range(steps):
        start = time.perf_counter()
        cost, grad = dask.compute(*gb.logistic_cost_and_grad(theta, X, y))
        run.seconds.append(time.perf_counter() - start)
        run.costs.append(float(cost))
        theta = theta - ALPHA * grad
    run.theta = theta
    return run
# --8<-- [end:descend]


def peak_rss_bytes() -> int:
    """This process's peak resident memory since it started (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# --8<-- [start:threads]
def on_threads(X: da.Array, y: da.Array, steps: int) -> Run:
    """The steps on Dask's threaded scheduler, one thread per core, in this process."""
    with dask.config.set(scheduler="threads"):
        run = gradient_descent(X, y, steps, Run("threads"))
    run.peak_bytes["this process"] = peak_rss_bytes()
    return run
# --8<-- [end:threads]


# --8<-- [start:cluster]
def on_cluster(X: da.Array, y: da.Array, steps: int, args: argparse.Namespace) -> Run:
    """The same steps on a dask.distributed cluster: the scheduler at ``--address`` if given,
    else a LocalCluster of worker processes started here. Each worker reports its own peak
    resident memory, measured in its own process."""
    from dask.distributed import Client, LocalCluster

    with ExitStack() as stack:
        cluster = args.address or stack.enter_context(LocalCluster(
            n_workers=args.workers, threads_per_worker=args.threads_per_worker,
            dashboard_address=None, silence_logs=logging.ERROR,
        ))
        client = stack.enter_context(Client(cluster))
        run = gradient_descent(X, y, args.steps, Run("distributed"))
        usage = client.run(resource.getrusage, resource.RUSAGE_SELF)
    run.peak_bytes = {worker: used.ru_maxrss * 1024 for worker, used in usage.items()}
    return run
# --8<-- [end:cluster]


# --8<-- [start:check]
def numpy_cost_and_grad(theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """The mean log loss and its gradient written out in float64 NumPy: the reference.

    J = (1/m) Σ ln(1 + e^(sᵢ)) − yᵢ sᵢ with sᵢ = xᵢ·θ, and ∇J = Xᵀ(σ(s) − y)/m.
    """
    X, y, theta = X.astype(np.float64), y.astype(np.float64), theta.astype(np.float64)
    s = X @ theta
    cost = np.mean(np.logaddexp(0.0, s) - y * s)
    return float(cost), X.T @ (0.5 * (1 + np.tanh(s / 2)) - y) / len(y)


def first_rows_agree(X: da.Array, y: da.Array, theta: np.ndarray, rows: int) -> dict[str, float]:
    """gradbook's cost and gradient on the first ``rows`` rows as Dask arrays, against the
    same rows loaded in memory: gradbook on NumPy arrays, and the float64 reference (which
    gradbook's float32 NumPy result is also compared with, for scale).
    Differences are relative: to |J| for the cost, to the largest |∂J/∂θⱼ| for the gradient."""
    X_first, y_first = X[:rows], y[:rows]
    cost, grad = dask.compute(*gb.logistic_cost_and_grad(theta, X_first, y_first), scheduler="threads")
    X_numpy, y_numpy = dask.compute(X_first, y_first, scheduler="threads")
    numpy_cost, numpy_grad = gb.logistic_cost_and_grad(theta, X_numpy, y_numpy)
    exact_cost, exact_grad = numpy_cost_and_grad(theta, X_numpy, y_numpy)

    def relative(value, reference):
        value, reference = np.asarray(value, np.float64), np.asarray(reference, np.float64)
        return float(np.max(np.abs(value - reference)) / np.max(np.abs(reference)))

    return {
        "cost, Dask vs NumPy": relative(cost, numpy_cost),
        "gradient, Dask vs NumPy": relative(grad, numpy_grad),
        "cost, Dask vs float64 reference": relative(cost, exact_cost),
        "gradient, Dask vs float64 reference": relative(grad, exact_grad),
        "gradient, NumPy vs float64 reference": relative(numpy_grad, exact_grad),
    }
# --8<-- [end:check]


# --8<-- [start:torch]
def on_torch(X_numpy: np.ndarray, y_numpy: np.ndarray, steps: int) -> dict[str, object]:
    """The same gradient descent on a PyTorch tensor (CPU) and on the NumPy arrays it was made
    from: gradbook returns tensors for tensors, and the two runs end at the same θ."""
    import torch

    X_torch, y_torch = torch.from_numpy(X_numpy), torch.from_numpy(y_numpy)
    theta_torch = torch.zeros(FEATURES, dtype=torch.float32)
    theta_numpy = np.zeros(FEATURES, dtype=np.float32)
    for _ in range(steps):
        cost_torch, grad_torch = gb.logistic_cost_and_grad(theta_torch, X_torch, y_torch)
        theta_torch = theta_torch - ALPHA * grad_torch
        cost_numpy, grad_numpy = gb.logistic_cost_and_grad(theta_numpy, X_numpy, y_numpy)
        theta_numpy = theta_numpy - ALPHA * grad_numpy
    return {
        "types": (type(cost_torch).__name__, type(grad_torch).__name__),
        "theta_torch": theta_torch.numpy(),
        "theta_numpy": theta_numpy,
        "cost_torch": float(cost_torch),
        "cost_numpy": float(cost_numpy),
    }
# --8<-- [end:torch]


def megabytes(size: int) -> str:
    return f"{size / 1e6:,.0f} MB"


def describe(run: Run, rows: int) -> list[str]:
    per_step = float(np.median(run.seconds))
    peaks = ", ".join(f"{name} {megabytes(size)}" for name, size in sorted(run.peak_bytes.items()))
    return [
        f"{run.scheduler}: costs {', '.join(f'{cost:.6f}' for cost in run.costs)}",
        f"  {per_step:.2f} s per step (median of {len(run.seconds)}), {rows / per_step:,.0f} rows/s",
        f"  peak resident memory: {peaks}",
        f"  1-minute load average of the machine at the end: {os.getloadavg()[0]:.1f}",
    ]


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS, help="rows of the Dask data")
    parser.add_argument("--chunk-rows", type=int, default=CHUNK_ROWS, help="rows per chunk")
    parser.add_argument("--steps", type=int, default=3, help="gradient steps on each scheduler")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    parser.add_argument("--threads-per-worker", type=int, default=1, help="threads of each worker")
    parser.add_argument("--address", help="a running dask.distributed scheduler to use instead")
    parser.add_argument("--no-torch", action="store_true", help="leave out the PyTorch part")
    args = parser.parse_args(argv)
    if min(args.rows, args.chunk_rows, args.steps, args.workers, args.threads_per_worker) < 1:
        parser.error("--rows, --chunk-rows, --steps, --workers and --threads-per-worker must be positive")
    return args


# --8<-- [start:main]
def main(argv: list[str] | None = None) -> dict[str, object]:
    args = arguments(argv)
    X, y = synthetic_data(args.rows, args.chunk_rows)
    print(f"X: {X.shape[0]:,} × {X.shape[1]} float32 ({megabytes(X.nbytes)}), {X.numblocks[0]} chunks")
    # The Dask runs come first, so the peak memory of this process is theirs, not PyTorch's.
    threads = on_threads(X, y, args.steps)
    print("\n".join(describe(threads, args.rows)))
    cluster = on_cluster(X, y, args.steps, args)
    print("\n".join(describe(cluster, args.rows)))
    check_rows = min(args.chunk_rows, args.rows)
    agreement = first_rows_agree(X, y, cluster.theta, check_rows)
    print(f"first {check_rows:,} rows, largest relative differences:")
    print("\n".join(f"  {name}: {difference:.1e}" for name, difference in agreement.items()))
    results = {"threads": threads, "distributed": cluster, "agreement": agreement}
    if not args.no_torch:
        X_numpy, y_numpy = dask.compute(X[:TORCH_ROWS], y[:TORCH_ROWS], scheduler="threads")
        torch_run = on_torch(X_numpy, y_numpy, args.steps)
        print(f"PyTorch: results of type {torch_run['types']}, cost {torch_run['cost_torch']:.6f} "
              f"(NumPy {torch_run['cost_numpy']:.6f}), largest |θ difference| "
              f"{np.max(np.abs(torch_run['theta_torch'] - torch_run['theta_numpy'])):.1e}")
        results["torch"] = torch_run
    return results
# --8<-- [end:main]


if __name__ == "__main__":
    main()
