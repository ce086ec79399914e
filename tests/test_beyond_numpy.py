"""The "Beyond NumPy" guide's script, run small: 20 000 rows in 4 chunks, on Dask's threads and on
a LocalCluster of one single-threaded worker process, and its PyTorch part.

Every run is compared with gradient descent written out here in float64 NumPy, on the same data
loaded in memory, from the textbook form of the mean log loss (−ln p for a label 1, −ln(1 − p)
for a label 0): none of it goes through gradbook.
"""

from __future__ import annotations

import importlib.util
import re
import sys

import dask
import numpy as np
import pytest
from paths import ROOT

SCRIPT = ROOT / "site_src" / "guide" / "beyond_numpy.py"
PAGE = ROOT / "site_src" / "guide" / "beyond-numpy.md"
ROWS, CHUNK_ROWS, STEPS = 20_000, 5_000, 3
TORCH_INSTALLED = importlib.util.find_spec("torch") is not None
#: float32 data and steps against float64 ones: differences of a few units in 10⁻⁷, relative.
RTOL = 1e-5


def load_script():
    """The script as a module (its dataclass needs the module registered while it runs)."""
    spec = importlib.util.spec_from_file_location("beyond_numpy", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script():
    return load_script()


@pytest.fixture(scope="module")
def results(script):
    argv = ["--rows", str(ROWS), "--chunk-rows", str(CHUNK_ROWS), "--steps", str(STEPS),
            "--workers", "1", "--threads-per-worker", "1"]
    return script.main(argv if TORCH_INSTALLED else [*argv, "--no-torch"])


@pytest.fixture(scope="module")
def data(script):
    """The script's data, every chunk computed and put together as NumPy arrays."""
    return dask.compute(*script.synthetic_data(ROWS, CHUNK_ROWS), scheduler="synchronous")


def textbook_descent(X, y, steps: int, alpha: float) -> tuple[list[float], np.ndarray]:
    """The costs before each step and the θ after the last, in float64 from θ = 0."""
    X, y = X.astype(np.float64), y.astype(np.float64)
    theta, costs = np.zeros(X.shape[1]), []
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(X @ theta)))
        costs.append(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
        theta = theta - alpha * (X.T @ (p - y)) / len(y)
    return costs, theta


def assert_follows_textbook(costs, theta, expected_costs, expected_theta):
    np.testing.assert_allclose(costs, expected_costs, rtol=RTOL)
    assert np.max(np.abs(theta - expected_theta)) <= RTOL * np.max(np.abs(expected_theta))


def test_the_data_has_the_promised_shape_labels_and_chunks(script, data):
    X, _ = script.synthetic_data(ROWS, CHUNK_ROWS)
    assert X.shape == (ROWS, 16) and X.dtype == np.float32
    assert X.chunks[0] == (CHUNK_ROWS,) * (ROWS // CHUNK_ROWS)
    assert set(np.unique(data[1])) == {0.0, 1.0}


def test_a_chunk_computed_again_is_the_same_chunk(script, data):
    X, y = script.synthetic_data(ROWS, CHUNK_ROWS)
    last = slice(ROWS - CHUNK_ROWS, ROWS)
    again = dask.compute(X[last], y[last], scheduler="threads")
    np.testing.assert_array_equal(again[0], data[0][last])
    np.testing.assert_array_equal(again[1], data[1][last])


@pytest.mark.parametrize("scheduler", ["threads", "distributed"])
def test_gradient_descent_on_the_dask_array_follows_numpy(results, data, script, scheduler):
    run = results[scheduler]
    expected_costs, expected_theta = textbook_descent(*data, STEPS, script.ALPHA)
    assert expected_costs[0] == pytest.approx(np.log(2))
    assert_follows_textbook(run.costs, run.theta, expected_costs, expected_theta)


def test_peak_memory_is_reported_for_this_process_and_the_one_worker(results):
    assert set(results["threads"].peak_bytes) == {"this process"}
    assert len(results["distributed"].peak_bytes) == 1
    for run in (results["threads"], results["distributed"]):
        assert all(2**20 < size < 2**40 for size in run.peak_bytes.values())


def test_the_first_rows_agree_with_numpy_in_memory(results):
    assert len(results["agreement"]) == 5
    assert all(difference <= RTOL for difference in results["agreement"].values())


NO_TORCH = "PyTorch is not installed: the guide's PyTorch part is left out"


@pytest.mark.skipif(not TORCH_INSTALLED, reason=NO_TORCH)
def test_gradient_descent_on_a_torch_tensor_returns_tensors_and_follows_numpy(results, data, script):
    run = results["torch"]
    assert run["types"] == ("Tensor", "Tensor")
    rows = script.TORCH_ROWS
    expected_costs, expected_theta = textbook_descent(data[0][:rows], data[1][:rows], STEPS, script.ALPHA)
    assert_follows_textbook([run["cost_torch"]], run["theta_torch"], expected_costs[-1:], expected_theta)
    difference = np.max(np.abs(run["theta_torch"] - run["theta_numpy"]))
    assert difference <= RTOL * np.max(np.abs(run["theta_numpy"]))


def test_the_page_shows_every_part_of_the_script_and_the_script_has_every_part_the_page_shows():
    shown = re.findall(r'^--8<-- "guide/beyond_numpy\.py:(\w+)"$', PAGE.read_text(encoding="utf-8"), re.M)
    source = SCRIPT.read_text(encoding="utf-8")
    starts = re.findall(r"^# --8<-- \[start:(\w+)\]$", source, re.M)
    ends = re.findall(r"^# --8<-- \[end:(\w+)\]$", source, re.M)
    assert len(shown) == len(set(shown)) >= 7
    assert sorted(shown) == sorted(starts) == sorted(ends)
