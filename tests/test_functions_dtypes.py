"""Every public function computes in the result type of its floating-point arguments.

For every combination of float32 and float64 over a function's array arguments:

* each returned value (both parts of a pair, a scalar cost included) has the dtype
  ``np.result_type`` of those arguments: float32 only when all of them are float32;
* a float32 argument never costs a float64 result any accuracy: the result equals, within 4 ulp
  (1e−14 of the largest entry where it is a sum or a matrix product), the same call with every
  argument converted to float64 first. float32 values are exact in float64, so that call is an
  independent reference for the values the function was given;
* a float32 result is within float32 accuracy (1e−5) of that float64 reference.

Integer and boolean arguments (labels, mostly) do not take part in the result type: integer
labels beside float32 scores give float32, and all-integer arguments give float64.

The inputs are small and ordinary (m = 50 points, n = 5 features, K = 4 classes); label rows are
one-hot or made of 1/4, 1/2 and 3/4, so that they sum to exactly 1 in float32 as well.
"""

from __future__ import annotations

import itertools
import sys
from dataclasses import dataclass

import numpy as np
import pytest
from array_libraries import FunctionsOn, library_params

from gradbook import functions as gb


@pytest.fixture(autouse=True, params=library_params())
def on_each_array_library(request, monkeypatch):
    """Every test here runs on NumPy and on each other array library (tests/array_libraries.py)."""
    monkeypatch.setattr(sys.modules[__name__], "gb", FunctionsOn(request.param()))

SEED = 20260301
M, N, K = 50, 5, 4
FLOATS = (np.float32, np.float64)
#: The public functions that the table below must cover: today's and three that return a value
#: and its gradient together.
PAIRS = ("logistic_cost_and_grad", "softmax_cross_entropy_and_grad", "softmax_regression_cost_and_grad")


@dataclass(frozen=True)
class Case:
    """A public function, its float64 arguments, and whether its values are sums.

    ``summed`` values (means, matrix products, p − y) are compared to 1e−14 (float64) or 1e−5
    (float32) of the largest entry of each output; the others entry by entry, to 4 ulp (float64)
    or a relative 1e−5 (float32).
    """

    name: str
    args: tuple[np.ndarray, ...]
    summed: bool


def inputs() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(SEED)
    X = np.column_stack([np.ones(M), rng.standard_normal((M, N - 1))])
    soft_rows = np.array([[0.25, 0.75, 0, 0], [0.5, 0.25, 0, 0.25], [0, 0, 0.5, 0.5]])
    label_rows = np.vstack([np.eye(K), soft_rows])[rng.integers(0, K + len(soft_rows), M)]
    return {
        "z": rng.normal(0, 3, M),
        "probabilities": rng.uniform(0.02, 0.98, M),
        "labels": rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], M),
        "targets": rng.normal(0, 2, M),
        "X": X,
        "theta": rng.normal(0, 0.7, N),
        "b": np.array(0.3),
        "scores": rng.normal(0, 2, (M, K)),
        "label_rows": label_rows,
        "W": rng.normal(0, 0.7, (N, K)),
    }


def cases() -> dict[str, Case]:
    a = inputs()
    z, labels, X, theta = a["z"], a["labels"], a["X"], a["theta"]
    logistic, softmax_rows, regression = (
        (theta, X, labels),
        (a["scores"], a["label_rows"]),
        (a["W"], X, a["label_rows"]),
    )
    table = [
        Case("sigmoid", (z,), False),
        Case("sigmoid_prime", (z,), False),
        Case("tanh_prime", (z,), False),
        Case("relu_prime", (z,), False),
        Case("log_loss", (labels, a["probabilities"]), False),
        Case("log_loss_with_logits", (labels, z), False),
        Case("unit_error_grad", (X, labels, theta, a["b"]), True),
        Case("logistic_cost", logistic, True),
        Case("logistic_cost_grad", logistic, True),
        Case("logistic_cost_and_grad", logistic, True),
        Case("mse_cost", (theta, X, a["targets"]), True),
        Case("mse_cost_grad", (theta, X, a["targets"]), True),
        Case("softmax", (a["scores"],), False),
        Case("softmax_cross_entropy", softmax_rows, False),
        Case("softmax_cross_entropy_grad", softmax_rows, True),
        Case("softmax_cross_entropy_and_grad", softmax_rows, True),
        Case("softmax_regression_cost", regression, True),
        Case("softmax_regression_grad", regression, True),
        Case("softmax_regression_cost_and_grad", regression, True),
    ]
    return {case.name: case for case in table}


CASES = cases()


def combinations() -> list[tuple[str, tuple[type, ...]]]:
    return [
        (name, dtypes)
        for name, case in CASES.items()
        for dtypes in itertools.product(FLOATS, repeat=len(case.args))
    ]


def combination_id(value) -> str:
    if isinstance(value, tuple):
        return ",".join("f32" if dtype is np.float32 else "f64" for dtype in value)
    return value


def outputs(result) -> tuple[np.ndarray, ...]:
    """Every value a function returned, as arrays (a pair gives two)."""
    return tuple(np.asarray(part) for part in (result if isinstance(result, tuple) else (result,)))


def call(name: str, args) -> tuple[np.ndarray, ...]:
    return outputs(getattr(gb, name)(*args))


def converted(case: Case, dtypes) -> tuple[np.ndarray, ...]:
    return tuple(arg.astype(dtype) for arg, dtype in zip(case.args, dtypes, strict=True))


def assert_close(name: str, got: np.ndarray, wanted: np.ndarray, summed: bool, dtype) -> None:
    """``got`` against the float64 reference ``wanted`` at the bar of ``dtype`` (see :class:`Case`)."""
    error = np.abs(got.astype(np.float64) - wanted)
    if dtype == np.float64:
        bar = 1e-14 * np.max(np.abs(wanted)) if summed else 4 * np.spacing(np.abs(wanted))
    else:
        bar = 1e-5 * (np.max(np.abs(wanted)) if summed else np.abs(wanted))
    bad = ~(error <= bar)
    assert not np.any(bad), (
        f"{name}: {np.count_nonzero(bad)} of {bad.size} entries beyond the bar; first "
        f"{got.ravel()[np.argmax(bad.ravel())]!r} != {wanted.ravel()[np.argmax(bad.ravel())]!r}"
    )


def test_the_table_covers_every_public_function_and_the_three_pairs():
    assert set(CASES) == set(gb.__all__) | set(PAIRS)


@pytest.mark.parametrize(("name", "dtypes"), combinations(), ids=combination_id)
def test_every_result_has_the_result_type_of_the_floating_arguments(name, dtypes):
    wanted = np.result_type(*dtypes)
    for index, value in enumerate(call(name, converted(CASES[name], dtypes))):
        assert value.dtype == wanted, f"{name} output {index}: {value.dtype}, wanted {wanted}"


@pytest.mark.parametrize(("name", "dtypes"), combinations(), ids=combination_id)
def test_a_float32_argument_costs_no_accuracy(name, dtypes):
    case = CASES[name]
    args = converted(case, dtypes)
    reference = call(name, tuple(arg.astype(np.float64) for arg in args))
    got = call(name, args)
    assert len(got) == len(reference)
    for index, (value, wanted) in enumerate(zip(got, reference, strict=True)):
        assert_close(f"{name} output {index}", value, wanted, case.summed, np.result_type(*dtypes))


#: (function, the indexes of its label arguments) for the functions that take labels.
LABELLED = [
    ("log_loss", (0,)),
    ("log_loss_with_logits", (0,)),
    ("unit_error_grad", (1,)),
    ("logistic_cost", (2,)),
    ("logistic_cost_grad", (2,)),
    ("logistic_cost_and_grad", (2,)),
    ("softmax_cross_entropy", (1,)),
    ("softmax_cross_entropy_grad", (1,)),
    ("softmax_cross_entropy_and_grad", (1,)),
    ("softmax_regression_cost", (2,)),
    ("softmax_regression_grad", (2,)),
    ("softmax_regression_cost_and_grad", (2,)),
]


def with_integer_labels(name: str, labels: tuple[int, ...], label_dtype) -> list[np.ndarray]:
    """The case's arguments with 0/1 labels of ``label_dtype`` (one-hot rows for softmax) and
    every other argument in float32."""
    args = [arg.astype(np.float32) for arg in CASES[name].args]
    for index in labels:
        hard = np.argmax(args[index], axis=-1) if args[index].ndim == 2 else args[index] >= 0.5
        args[index] = (np.eye(K)[hard] if args[index].ndim == 2 else hard).astype(label_dtype)
    return args


@pytest.mark.parametrize("label_dtype", [np.int64, np.bool_], ids=["int64", "bool"])
@pytest.mark.parametrize(("name", "labels"), LABELLED, ids=[name for name, _ in LABELLED])
def test_integer_labels_beside_float32_arguments_give_float32(name, labels, label_dtype):
    args = with_integer_labels(name, labels, label_dtype)
    reference = call(name, [arg.astype(np.float64) for arg in args])
    for index, (value, wanted) in enumerate(zip(call(name, args), reference, strict=True)):
        assert value.dtype == np.float32, f"{name} output {index}: {value.dtype}"
        assert_close(f"{name} output {index}", value, wanted, CASES[name].summed, np.float32)


@pytest.mark.parametrize("name", list(CASES))
def test_all_integer_arguments_give_float64(name):
    rng = np.random.default_rng(SEED)
    args = [np.round(arg).astype(np.int64) for arg in CASES[name].args]
    if name.startswith("softmax_") and len(args) > 1:
        args[-1] = np.eye(K, dtype=np.int64)[rng.integers(0, K, len(args[-1]))]
    elif name in dict(LABELLED):
        for index in dict(LABELLED)[name]:
            args[index] = np.clip(args[index], 0, 1)
        if name == "log_loss":
            args[1] = np.clip(args[1], 0, 1)
    for index, value in enumerate(call(name, args)):
        assert value.dtype == np.float64, f"{name} output {index}: {value.dtype}"


def _float32(*values) -> np.ndarray:
    """float32 values, as a 0-d array for one value."""
    return np.array(values if len(values) > 1 else values[0], np.float32)


def _unit(label: float | int):
    return gb.unit_error_grad(_float32(1, 2, 3), label, _float32(0.5, 0, 1), 0.5)


#: Calls with a Python number beside float32 arrays: as in NumPy's own promotion, the number does
#: not widen the result, which stays float32.
PYTHON_NUMBERS_BESIDE_FLOAT32 = {
    "unit_error_grad, label and bias": lambda: _unit(1.0),
    "unit_error_grad, integer label": lambda: _unit(1),
    "log_loss_with_logits, label": lambda: gb.log_loss_with_logits(1.0, _float32(0.3)),
    "log_loss, label": lambda: gb.log_loss(0.0, _float32(0.3)),
    "log_loss, prediction": lambda: gb.log_loss(_float32(1), 0.25),
}


@pytest.mark.parametrize(
    "call", list(PYTHON_NUMBERS_BESIDE_FLOAT32.values()), ids=list(PYTHON_NUMBERS_BESIDE_FLOAT32)
)
def test_a_python_number_beside_float32_arrays_keeps_float32(call):
    results = call()
    for result in results if isinstance(results, tuple) else (results,):
        assert np.asarray(result).dtype == np.float32
