"""The pieces of the step checker: sums written out, sums compared by content, time limits."""

from __future__ import annotations

import time

import pytest
import sympy as sp

from gradbook.checking import (
    ProofTimeout,
    attempt_proof,
    canonical_sums,
    expand_finite,
    time_limit,
)
from gradbook.setting import Setting

i, j, m, n = sp.symbols("i j m n", integer=True, positive=True)
y = sp.IndexedBase("y")


def test_sums_with_numeric_bounds_are_written_out():
    assert expand_finite(sp.Sum(y[i] ** 2, (i, 1, 3))) == y[1] ** 2 + y[2] ** 2 + y[3] ** 2
    assert expand_finite(sp.Product(y[i], (i, 2, 3))) == y[2] * y[3]
    nested = sp.Sum(sp.Sum(y[i] * y[j], (j, 1, 2)), (i, 1, 2))
    assert sp.expand(expand_finite(nested)) == sp.expand((y[1] + y[2]) ** 2)


def test_symbolic_bounds_are_left_alone():
    total = sp.Sum(y[i], (i, 1, n))
    assert expand_finite(total) == total


def test_sums_that_differ_only_in_the_dummy_index_compare_equal():
    assert sp.Sum(y[j], (j, 1, n)) != sp.Sum(y[m], (m, 1, n))
    assert canonical_sums(sp.Sum(y[j], (j, 1, n))) == canonical_sums(sp.Sum(y[m], (m, 1, n)))
    assert canonical_sums(sp.Sum(y[j], (j, 1, n))) != canonical_sums(sp.Sum(y[j] ** 2, (j, 1, n)))


def test_nested_sums_keep_their_indices_apart():
    x = sp.IndexedBase("x")
    inner_uses_outer = sp.Sum(sp.Sum(x[i, j], (j, 1, n)), (i, 1, n))
    swapped = sp.Sum(sp.Sum(x[j, i], (j, 1, n)), (i, 1, n))
    assert canonical_sums(inner_uses_outer) != canonical_sums(swapped)


def test_time_limit_interrupts_a_slow_body():
    started = time.perf_counter()
    with pytest.raises(ProofTimeout), time_limit(0.2):
        while True:
            time.sleep(0.01)
    assert time.perf_counter() - started < 2


def test_a_false_identity_is_never_proved_and_a_hyperbolic_one_is():
    z = sp.Symbol("z", real=True)
    derivative = sp.exp(-z) / (1 + sp.exp(-z)) ** 2
    assert attempt_proof(derivative, sp.exp(-z) / (1 - sp.exp(-z)) ** 2, Setting()) is None
    assert attempt_proof(derivative, 1 / (4 * sp.cosh(z / 2) ** 2), Setting()) == ()
