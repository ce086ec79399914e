"""The large workloads: their data, their candidates, their targets and their physical floor.

A workload calls one gradbook function, the hand-written NumPy baseline and, where installed,
the SciPy and scikit-learn versions of the same computation, all on the same arrays. Its floor
is the number of bytes any implementation must move at least once (every input read once, the
result written once); divided by the measured memory bandwidth it is the time no code can beat.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import baselines
import numpy as np
import peers

from gradbook import functions as gb

SEED = 20261126

Call = Callable[[], object]


@dataclass(frozen=True)
class Sizes:
    """How big the workloads are, and how many rounds and small calls time them."""

    softmax: tuple[int, int]
    logistic: tuple[int, int]
    sigmoid: int
    copy_megabytes: int
    rounds: int
    small_calls_per_round: int


FULL = Sizes((200_000, 100), (200_000, 64), 10_000_000, 256, 15, 2000)
QUICK = Sizes((20_000, 100), (20_000, 64), 1_000_000, 128, 5, 200)


@dataclass
class Workload:
    """One gradbook function on one input, with everything it is compared with.

    ``calls`` holds a zero-argument call per candidate: "gradbook", "numpy" and the peers, a
    peer being None when its library is not installed. ``target`` bounds gradbook's time over
    NumPy's; ``memory_target`` names the candidate whose temporaries gradbook's are compared
    with and the factor they may reach.
    """

    function: str
    shape: tuple[int, ...]
    calls: dict[str, Call | None]
    floor_bytes: int
    target: float
    memory_target: tuple[str, float] | None = None

    @property
    def input(self) -> str:
        return " × ".join(f"{size:,}" for size in self.shape)

    def installed_calls(self) -> dict[str, Call]:
        return {name: call for name, call in self.calls.items() if call is not None}


def peer(installed: object, function: Callable, *args: object) -> Call | None:
    """A call of ``function`` on ``args``, or None when the library behind it is not installed."""
    return partial(function, *args) if installed is not None else None


def sigmoid_workload(sizes: Sizes, rng: np.random.Generator) -> Workload:
    z = rng.standard_normal(sizes.sigmoid) * 3
    calls = {
        "gradbook": partial(gb.sigmoid, z),
        "numpy": partial(baselines.sigmoid, z),
        "scipy": peer(peers.special, peers.scipy_sigmoid, z),
    }
    return Workload("sigmoid", z.shape, calls, 2 * z.nbytes, 1.0, ("scipy", 1.0))


def logistic_data(sizes: Sizes, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m, n = sizes.logistic
    X = rng.standard_normal((m, n))
    theta = rng.standard_normal(n) / np.sqrt(n)
    y = (rng.random(m) < 0.5).astype(float)
    return theta, X, y


def logistic_floor(theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> int:
    """X, θ and y read once and the gradient (the size of θ) written once."""
    return X.nbytes + y.nbytes + 2 * theta.nbytes


def logistic_cost_grad_workload(sizes: Sizes, rng: np.random.Generator) -> Workload:
    args = logistic_data(sizes, rng)
    calls = {
        "gradbook": partial(gb.logistic_cost_grad, *args),
        "numpy": partial(baselines.logistic_cost_grad, *args),
        "scipy": peer(peers.special, peers.scipy_logistic_cost_grad, *args),
        "sklearn": peer(peers.HalfBinomialLoss, peers.sklearn_logistic_cost_grad, *args),
    }
    return Workload("logistic_cost_grad", args[1].shape, calls, logistic_floor(*args), 1.0, ("numpy", 1.5))


def logistic_cost_and_grad_workload(sizes: Sizes, rng: np.random.Generator) -> Workload:
    args = logistic_data(sizes, rng)
    calls = {
        "gradbook": partial(gb.logistic_cost_and_grad, *args),
        "numpy": partial(baselines.logistic_cost_and_grad, *args),
        "scipy": peer(peers.special, peers.scipy_logistic_cost_and_grad, *args),
        "sklearn": peer(peers.HalfBinomialLoss, peers.sklearn_logistic_cost_and_grad, *args),
    }
    return Workload("logistic_cost_and_grad", args[1].shape, calls, logistic_floor(*args), 1.0)


def softmax_cross_entropy_grad_workload(sizes: Sizes, rng: np.random.Generator) -> Workload:
    m, classes = sizes.softmax
    z = rng.standard_normal((m, classes)) * 3
    labels = rng.integers(0, classes, m)
    y = np.zeros((m, classes))
    y[np.arange(m), labels] = 1
    calls = {
        "gradbook": partial(gb.softmax_cross_entropy_grad, z, y),
        "numpy": partial(baselines.softmax_cross_entropy_grad, z, y),
        "scipy": peer(peers.special, peers.scipy_softmax_cross_entropy_grad, z, y),
        "sklearn": peer(
            peers.HalfMultinomialLoss, peers.sklearn_softmax_cross_entropy_grad, z, labels.astype(float)
        ),
    }
    return Workload("softmax_cross_entropy_grad", z.shape, calls, 3 * z.nbytes, 0.6)


#: Each large workload by the gradbook function it measures, in the order they are reported.
WORKLOADS: dict[str, Callable[[Sizes, np.random.Generator], Workload]] = {
    "softmax_cross_entropy_grad": softmax_cross_entropy_grad_workload,
    "logistic_cost_and_grad": logistic_cost_and_grad_workload,
    "logistic_cost_grad": logistic_cost_grad_workload,
    "sigmoid": sigmoid_workload,
}


def outputs_agree(got: object, wanted: object) -> bool:
    """Whether two results (an array, a scalar, or a tuple of them) agree to about 1e-8."""
    if isinstance(wanted, tuple):
        return isinstance(got, tuple) and len(got) == len(wanted) and all(map(outputs_agree, got, wanted))
    return np.allclose(got, wanted, rtol=1e-8, atol=1e-12)


def disagreeing(workload: Workload) -> list[str]:
    """The candidates whose result differs from the NumPy baseline's: a wrong peer call would
    otherwise be timed as if it did the same work."""
    wanted = workload.calls["numpy"]()
    return [
        name
        for name, call in workload.installed_calls().items()
        if name != "numpy" and not outputs_agree(call(), wanted)
    ]
