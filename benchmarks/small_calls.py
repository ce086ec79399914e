"""Every public function on a tiny input, where the cost of a call is its fixed overhead.

On 10 elements the arithmetic is nothing and what a call costs is Python: argument checks,
conversions, dispatch. Each function is timed against its hand-written NumPy equivalent on
the same input, many calls per round. Elementwise functions get a 10-element vector; the
batched ones 10 rows of 3 features or 4 classes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import baselines
import numpy as np

from gradbook import functions as gb

TARGET = 2.0
ROWS, FEATURES, CLASSES = 10, 3, 4

#: Functions that are measured if gradbook has them, and reported as skipped otherwise.
EXPECTED_FUNCTIONS = (
    "logistic_cost_and_grad",
    "softmax_cross_entropy_and_grad",
    "softmax_regression_cost_and_grad",
)


def vector(rng: np.random.Generator) -> tuple:
    return (rng.standard_normal(ROWS) * 3,)


def labels_and_probabilities(rng: np.random.Generator) -> tuple:
    return (rng.random(ROWS) < 0.5).astype(float), rng.uniform(0.05, 0.95, ROWS)


def labels_and_logits(rng: np.random.Generator) -> tuple:
    return (rng.random(ROWS) < 0.5).astype(float), rng.standard_normal(ROWS) * 3


def linear_model(rng: np.random.Generator) -> tuple:
    theta = rng.standard_normal(FEATURES)
    return theta, rng.standard_normal((ROWS, FEATURES)), (rng.random(ROWS) < 0.5).astype(float)


def one_hot(rng: np.random.Generator) -> np.ndarray:
    return np.eye(CLASSES)[rng.integers(0, CLASSES, ROWS)]


def scores_and_labels(rng: np.random.Generator) -> tuple:
    return rng.standard_normal((ROWS, CLASSES)) * 3, one_hot(rng)


def softmax_regression(rng: np.random.Generator) -> tuple:
    W = rng.standard_normal((FEATURES, CLASSES))
    return W, rng.standard_normal((ROWS, FEATURES)), one_hot(rng)


def sigmoid_unit(rng: np.random.Generator) -> tuple:
    x, y = rng.standard_normal((ROWS, FEATURES)), (rng.random(ROWS) < 0.5).astype(float)
    return x, y, rng.standard_normal(FEATURES), np.float64(rng.standard_normal())


def scores_only(rng: np.random.Generator) -> tuple:
    return (rng.standard_normal((ROWS, CLASSES)) * 3,)


#: For each public function: the input it gets (by the function that makes it).
INPUTS: dict[str, Callable[[np.random.Generator], tuple]] = {
    "sigmoid": vector,
    "sigmoid_prime": vector,
    "tanh_prime": vector,
    "relu_prime": vector,
    "log_loss": labels_and_probabilities,
    "log_loss_with_logits": labels_and_logits,
    "unit_error_grad": sigmoid_unit,
    "logistic_cost": linear_model,
    "logistic_cost_grad": linear_model,
    "logistic_cost_and_grad": linear_model,
    "mse_cost": linear_model,
    "mse_cost_grad": linear_model,
    "softmax": scores_only,
    "softmax_cross_entropy": scores_and_labels,
    "softmax_cross_entropy_grad": scores_and_labels,
    "softmax_cross_entropy_and_grad": scores_and_labels,
    "softmax_regression_cost": softmax_regression,
    "softmax_regression_grad": softmax_regression,
    "softmax_regression_cost_and_grad": softmax_regression,
}


@dataclass
class SmallCall:
    function: str
    gradbook: Callable[[], object]
    numpy: Callable[[], object]


def function_names() -> list[str]:
    """gradbook's public functions and the ones expected soon, without repeats, in page order."""
    return sorted(set(gb.__all__) | set(EXPECTED_FUNCTIONS))


def small_calls(rng: np.random.Generator, note: Callable[[str], None]) -> list[SmallCall]:
    """A small call per function that gradbook has and that has an input here; ``note`` is told
    of every function left out and why."""
    calls = []
    for name in function_names():
        if not hasattr(gb, name):
            note(f"small calls: skipping {name}: gradbook.functions has no {name}")
        elif name not in INPUTS or not hasattr(baselines, name):
            note(f"small calls: skipping {name}: benchmarks/small_calls.py has no input or baseline for it")
        else:
            args = INPUTS[name](rng)
            gradbook, numpy = getattr(gb, name), getattr(baselines, name)
            calls.append(SmallCall(name, partial(gradbook, *args), partial(numpy, *args)))
    return calls
