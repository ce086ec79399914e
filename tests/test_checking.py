"""The pieces of the step checker: evaluation with escalating precision, where points are drawn,
the proof budget, shapes, and verdicts that do not depend on names or the clock."""

from __future__ import annotations

import dataclasses
import random
import threading
from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from gradbook import Derivation, domains, sigmoid
from gradbook.checking import Counterexample, Unevaluable, Verification, compare, expand_finite
from gradbook.evaluation import exact, judge, show
from gradbook.proof import BudgetExhausted, attempt_proof, call_budget, canonical_sums
from gradbook.sampling import (
    DEFAULT_SIZES,
    instances,
    sizes_to_check,
    switch_arguments,
    switch_point,
    threshold_sizes,
)
from gradbook.setting import Setting

i, j, m, n = sp.symbols("i j m n", integer=True, positive=True)
y = sp.IndexedBase("y")


# -- sums ------------------------------------------------------------------------------------


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


# -- evaluation ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [-3.5, -2.0, 1e-300, -7.25e12, 0.1, 0.0])
def test_a_sampled_float_converts_to_its_exact_rational(value):
    assert exact(mpmath.mpf(value)) == sp.Rational(Fraction(value))


def test_rounding_noise_is_agreement_and_a_surviving_difference_is_not():
    with mpmath.workdps(150):
        one, noisy, noisier = mpmath.mpf(1), 1 + mpmath.mpf(10) ** -68, 1 + mpmath.mpf(10) ** -138
        shifted = 1 + mpmath.mpf(10) ** -60
    assert judge(one, noisy, lambda digits: (one, noisier), None).kind == "agree"
    refused = judge(one, shifted, lambda digits: (one, shifted), lambda digits: (one, shifted))
    assert refused.kind == "differ"


def test_a_non_real_value_is_shown_as_such():
    assert show(mpmath.mpc(1, -2), 3) == "1.0 − 2.0i (not real)"


# -- where points are drawn ------------------------------------------------------------------


def test_sizes_cover_one_to_five_and_a_larger_one_unless_narrowed():
    assert {1, 2, 3, 4, 5} <= set(DEFAULT_SIZES) and max(DEFAULT_SIZES) > 5
    assert sizes_to_check(None) == DEFAULT_SIZES
    assert sizes_to_check((2, 3)) == tuple(s for s in DEFAULT_SIZES if s >= 2)
    assert sizes_to_check((2, 3), only=True) == (2, 3)
    with pytest.raises(ValueError, match="checked_at"):
        sizes_to_check((0, 1))


def test_floor_and_ceiling_switch_at_integers():
    z = sp.Symbol("z", real=True)
    assert set(switch_arguments(sp.floor(z / 2) + sp.ceiling(z))) == {z / 2, z / 2 - 1, z, z - 1}


def test_a_size_compared_with_an_integer_is_also_checked_just_around_it():
    """Min(n, 8) is n up to 8, a sum from 10 to m is empty up to m = 9, and n − 1 meets 12 at
    n = 13: the sizes on both sides of each join the ones checked anyway; a size declared
    ``only`` keeps its own values."""
    d = Derivation("thresholds", "Thresholds.")
    n, m, k = d.size("n"), d.size("m"), d.size("k", checked_at=(2,), only=True)
    j = d.index("j", m)
    x = d.vector("x", m)
    found = threshold_sizes(
        [sp.Min(n, 8) + sp.Sum(x[j], (j, 10, m)) + sp.Max(n - 1, 12) + sp.Min(k, 6)], d.setting
    )
    assert found == {n: {7, 9, 12, 13, 14}, m: {9, 10, 11}}
    cases = instances(d.setting, [], (), found)
    assert {dict(case.sizes)[n] for case in cases} == set(DEFAULT_SIZES) | {7, 9, 12, 13, 14}
    assert {dict(case.sizes)[k] for case in cases} == {2}


def test_every_size_value_is_checked_and_two_sizes_are_not_always_equal():
    d = Derivation("sizes", "Two sizes.")
    rows, cols = d.size("m"), d.size("n")
    shapes = [case.values for case in instances(d.setting, [])]
    assert {shape[rows] for shape in shapes} == set(DEFAULT_SIZES)
    assert {shape[cols] for shape in shapes} == set(DEFAULT_SIZES)
    assert any(shape[rows] != shape[cols] for shape in shapes)


def test_free_indices_are_both_equal_and_different_in_every_size_above_one():
    d = Derivation("indices", "Two free indices.")
    K = d.size("K")
    a, b = d.index("a", K), d.index("b", K)
    cases = [case.values for case in instances(d.setting, [a, b])]
    for size in DEFAULT_SIZES:
        at_size = [case for case in cases if case[K] == size]
        assert any(case[a] == case[b] for case in at_size)
        if size > 1:
            assert any(case[a] != case[b] for case in at_size)


def test_free_indices_are_also_equal_away_from_both_ends():
    """i = k = 3 of 5: a term that vanishes at i = 1, 2 and K is not vanishing everywhere."""
    d = Derivation("indices", "Two free indices.")
    K = d.size("K")
    a, b = d.index("a", K), d.index("b", K)
    cases = [case.values for case in instances(d.setting, [a, b])]
    for size in (size for size in DEFAULT_SIZES if size >= 5):
        assert any(case[K] == size and case[a] == case[b] and 2 < case[a] < size for case in cases)


def test_switch_points_are_found_for_every_piecewise_construct():
    z, w = sp.symbols("z w", real=True)
    threshold = sp.Piecewise((1, z > sp.Rational(1, 1000)), (0, True))
    expr = sp.Abs(z) + sp.Max(z, 2 * w) + sp.Heaviside(z - 3) + threshold
    arguments = set(switch_arguments(expr))
    assert {z, z - 2 * w, z - 3, z - sp.Rational(1, 1000)} <= arguments | {-a for a in arguments}
    assert switch_point(z - sp.Rational(1, 1000), {z: sp.Integer(5)}, [z]) == (z, sp.Rational(1, 1000))
    assert switch_point(z - 2 * w, {z: sp.Integer(1), w: sp.Integer(7)}, [z]) == (z, 14)


# -- the proof budget ------------------------------------------------------------------------


def test_the_budget_counts_calls_not_seconds():
    def call(times):
        for _ in range(times):
            abs_value(-1)

    def abs_value(x):
        return -x if x < 0 else x

    with call_budget(1000):
        call(900)
    with pytest.raises(BudgetExhausted), call_budget(1000):
        call(1100)


def test_a_false_identity_is_never_proved_and_a_hyperbolic_one_is():
    z = sp.Symbol("z", real=True)
    derivative = sp.exp(-z) / (1 + sp.exp(-z)) ** 2
    assert not attempt_proof(derivative, sp.exp(-z) / (1 - sp.exp(-z)) ** 2, Setting()).proved
    assert attempt_proof(derivative, 1 / (4 * sp.cosh(z / 2) ** 2), Setting()).proved


def test_proofs_work_off_the_main_thread():
    z = sp.Symbol("z", real=True)
    outcome = []
    def prove():
        outcome.append(attempt_proof(sigmoid(z), 1 / (1 + sp.exp(-z)), Setting()))

    thread = threading.Thread(target=prove)
    thread.start()
    thread.join()
    assert outcome[0].proved


# -- verdicts --------------------------------------------------------------------------------


def _compare(before, after, d: Derivation):
    with sp.evaluate(True):
        return compare(before, after, d.setting)


def test_an_offset_below_the_working_precision_is_refused():
    d = Derivation("offset", "An offset.")
    z = d.real("z")
    with sp.evaluate(False):
        outcome = _compare(sigmoid(z), sigmoid(z) + sp.Integer(10) ** -60, d)
    assert isinstance(outcome, Counterexample)


def test_heavy_cancellation_is_not_called_wrong():
    d = Derivation("binomial", "A binomial.")
    z = d.real("z")
    assert isinstance(_compare((1 + z) ** 80, sp.expand((1 + z) ** 80), d), Verification)


def test_a_row_for_a_column_is_refused_by_shape():
    d = Derivation("shapes", "Shapes.")
    size = d.size("n")
    x, w = d.vector("x", size), d.vector("w", size)
    X, W = d.as_matrix(x), d.as_matrix(w)
    outcome = _compare(X, W.T, d)
    assert isinstance(outcome, Counterexample) and "n × 1" in outcome.note and "1 × n" in outcome.note


def test_a_matrix_meets_its_entry_with_the_first_declared_free_index_as_the_row():
    d = Derivation("entries", "Entries.")
    rows, cols = d.size("n", checked_at=(2, 3), only=True), d.size("K", checked_at=(2, 3, 4), only=True)
    j, c = d.index("j", rows, "a row"), d.index("c", cols, "a column")
    W = d.matrix("W", rows, cols)
    assert isinstance(_compare(W[j, c], d.as_matrix(W), d), Verification)
    outcome = _compare(W[j, c], d.as_matrix(W).T, d)
    assert isinstance(outcome, Counterexample)
    assert "a scalar with free indices j = 1 … n, c = 1 … K" in outcome.note
    assert "a matrix of shape K × n" in outcome.note


def test_a_defined_matrix_is_written_out_entry_by_entry():
    d = Derivation("defined", "Defined.")
    rows, cols = d.size("m", checked_at=(1, 2), only=True), d.size("K", checked_at=(2, 3), only=True)
    i, c = d.index("i", rows, "a row"), d.index("c", cols, "a column")
    Z = d.matrix("Z", rows, cols)
    E = d.define("E", sp.exp(Z[i, c]), "the exponentials", index=(i, c))
    assert isinstance(_compare(sp.exp(Z[i, c]), d.as_matrix(E), d), Verification)
    assert isinstance(_compare(sp.exp(-Z[i, c]), d.as_matrix(E), d), Counterexample)


def test_a_step_that_has_no_value_anywhere_but_is_proved_is_accepted():
    d = Derivation("tower", "A tower.")
    z = d.scalar("z", domains.POSITIVE)
    tower = sp.exp(sp.exp(sp.exp(sp.exp(sp.exp(z + 40)))))
    with sp.evaluate(False):
        outcome = _compare(tower, 1 * tower, d)
    assert isinstance(outcome, Verification) and outcome.proved and outcome.points == 0


def test_a_step_with_no_value_anywhere_and_no_proof_is_unevaluable():
    d = Derivation("nowhere", "Nowhere.")
    z = d.scalar("z", domains.POSITIVE)
    tower = sp.exp(sp.exp(sp.exp(sp.exp(sp.exp(z + 40)))))
    outcome = _compare(tower, tower + sp.exp(-tower), d)
    assert isinstance(outcome, Unevaluable)
    assert any("overflow" in reason for reason in outcome.reasons)


@pytest.mark.parametrize("name", ["a", "softmax", "x", "gradient_check", "renamed"])
def test_the_verdict_and_its_points_do_not_depend_on_the_name(name):
    d = Derivation(name, "The softmax Jacobian without its δ term.")
    K = d.size("K")
    a, b, c = d.index("a", K), d.index("b", K), d.index("c", K)
    z = d.vector("z", K)
    p = sp.exp(z[a]) / sp.Sum(sp.exp(z[c]), (c, 1, K))
    p_b = sp.exp(z[b]) / sp.Sum(sp.exp(z[c]), (c, 1, K))
    outcome = _compare(sp.Derivative(p, z[b]), -p * p_b, d)
    assert isinstance(outcome, Counterexample)
    assert outcome.point["a"] == outcome.point["b"]


def test_the_same_step_gets_the_same_verification_every_time():
    def verify():
        d = Derivation("repeat", "Repeat.")
        z = d.real("z")
        return _compare(sigmoid(-z), 1 - sigmoid(z), d)

    first, second = verify(), verify()
    assert first == dataclasses.replace(second, seconds=first.seconds)


def test_points_come_from_the_declared_domains():
    rng = random.Random(3)
    draws = [domains.PROBABILITY.sample(rng) for _ in range(400)]
    assert all(0 < value < 1 for value in draws)
    assert min(draws) < 1e-6 and max(draws) > 1 - 1e-6
    reals = [abs(domains.REAL.sample(rng)) for _ in range(400)]
    assert max(reals) >= 1e3 and min(reals) < 1e-3
    negatives = [domains.NEGATIVE.sample(rng) for _ in range(400)]
    assert all(value < 0 and domains.NEGATIVE.contains(value) for value in negatives)
    assert min(negatives) < -1e3 and max(negatives) > -1e-3
    assert not domains.NEGATIVE.contains(mpmath.mpf(0))


def test_a_step_true_on_one_side_of_a_kink_is_checked_on_that_side_only():
    """max(0, z) = z holds for z > 0 and fails for z < 0: each declared side is sampled alone."""
    right = Derivation("right_of_the_kink", "Right.")
    z = right.scalar("z", domains.POSITIVE)
    with sp.evaluate(False):  # as in a chain: SymPy would otherwise apply z > 0 itself
        kink = sp.Max(0, z)
    assert isinstance(_compare(kink, z, right), Verification)
    left = Derivation("left_of_the_kink", "Left.")
    z = left.scalar("z", domains.NEGATIVE)
    assert z.is_negative
    with sp.evaluate(False):
        kink = sp.Max(0, z)
    outcome = _compare(kink, z, left)
    assert isinstance(outcome, Counterexample) and float(outcome.point["z"]) < 0
    assert isinstance(_compare(kink, sp.S.Zero, left), Verification)


def test_a_side_lost_to_cancellation_beyond_every_precision_is_undecided():
    """log(1 + e⁻²⁰⁰⁰⁰) computes as log 1 = 0 at any precision tried, and evalf agrees with
    that 0; the point proves nothing either way and must not refuse log1p(e⁻²⁰⁰⁰⁰)."""
    with mpmath.workdps(100):
        tiny = mpmath.exp(-20000)
    verdict = judge(mpmath.mpf(0), tiny, lambda digits: (mpmath.mpf(0), tiny), None)
    assert verdict.kind == "undecided"
    assert judge(mpmath.mpf(0), mpmath.mpf(1) / 3, lambda d: (mpmath.mpf(0), mpmath.mpf(1) / 3),
                 lambda d: (mpmath.mpf(0), mpmath.mpf(1) / 3)).kind == "differ"
