"""The curriculum of the reference notes: its derivations, its worked numbers, its mistakes.

Expected values come from outside the code under test: exact fractions, mpmath at 30 digits, or
figures stated here. Where the notes print a figure, the tests also say how it relates to the
true value (rounded, truncated or wrong).
"""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from finite_differences import directional_errors
from sympy import Sum, evaluate, log

from gradbook import Derivation, StepNotEquivalentError, domains
from gradbook.examples import WorkedExample, WorkedValue
from gradbook.latex import to_latex
from gradbook.learning_path import page_of
from gradbook.linear_regression import mse_cost, mse_cost_grad
from gradbook.mistakes import MISTAKES, MistakeNotCaughtError

NEW_DERIVATIONS = (
    "softmax_two_classes",
    "bce_derivative",
    "maximum_likelihood",
    "entropy_cross_entropy",
    "linear_regression_mse",
    "gradient_descent",
)


def tenths(*digits: int) -> list[Fraction]:
    return [Fraction(digit, 10) for digit in digits]


def exact_sigmoid(z: float) -> mpmath.mpf:
    with mpmath.workdps(30):
        return 1 / (1 + mpmath.exp(-mpmath.mpf(z)))


def how_printed(value: float, figure: str) -> str:
    """How ``figure`` was cut from ``value``: "rounded", "truncated", or "wrong" if neither."""
    exponent = Decimal(figure).as_tuple().exponent
    exact = Decimal(float(value))
    if exact.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_EVEN) == Decimal(figure):
        return "rounded"
    if exact.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_DOWN) == Decimal(figure):
        return "truncated"
    return "wrong"


# -- the derivation scripts ----------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded(derivations):
    """The new derivations, from the session's single load of every script."""
    return {name: derivations[name] for name in NEW_DERIVATIONS}


@pytest.mark.parametrize("name", NEW_DERIVATIONS)
def test_the_new_derivations_are_loaded(loaded, name):
    assert loaded[name].name == name


@pytest.mark.parametrize(
    ("name", "result", "latex"),
    [
        ("softmax_two_classes", "softmax_two_classes_first", r"\sigma\left(z_{1} - z_{2}\right)"),
        ("bce_derivative", "bce_derivative_logit", r"\sigma\left(z\right) - y"),
        (
            "bce_derivative",
            "bce_derivative_probability",
            r"\frac{\hat{y} - y}{\hat{y} \left(1 - \hat{y}\right)}",
        ),
        ("entropy_cross_entropy", "one_hot_cross_entropy", r"- \ln{\left({p}_{c}\right)}"),
        ("gradient_descent", "gradient_step_b", r"b + \alpha \left(y - \hat{y}\right)"),
    ],
)
def test_results_are_in_the_textbook_form(loaded, name, result, latex):
    results = {r.name: r for r in loaded[name].results}
    assert to_latex(results[result].expr) == latex


def test_the_bce_slope_has_the_sign_the_notes_lost(loaded):
    """At ŷ = 0.25 and y = 1 the slope is −1/ŷ = −4 (the notes' formula gives +4)."""
    slope = {r.name: r for r in loaded["bce_derivative"].results}["bce_derivative_probability"].expr
    y, yhat = sp.Symbol("y", real=True), sp.Symbol("yhat", real=True, positive=True)
    assert slope.subs({y: 1, yhat: sp.Rational(1, 4)}) == -4


def test_the_mse_gradient_result_matches_the_numpy_function(loaded):
    d = loaded["linear_regression_mse"]
    result = {r.name: r for r in d.results}["mse_cost_grad"].expr
    symbols = {str(s): s for s in (*d.setting.sizes, *d.setting.indices)}
    X_, y_, theta_ = (d.setting.variables[name].symbol for name in ("X", "y", "theta"))
    X, y, theta = (
        np.array([[1.0, 2.0], [1.0, -1.0], [1.0, 0.5]]),
        np.array([3.0, 0.0, 1.0]),
        np.array([0.5, 1.0]),
    )
    values = {X_[i + 1, j + 1]: X[i, j] for i in range(3) for j in range(2)}
    values |= {y_[i + 1]: y[i] for i in range(3)} | {theta_[j + 1]: theta[j] for j in range(2)}
    sizes = {symbols["m"]: sp.Integer(3), symbols["n"]: sp.Integer(2)}
    expanded = d.setting.expand_definitions(result).xreplace(sizes)
    at_k = [expanded.xreplace({symbols["k"]: sp.Integer(k)}) for k in (1, 2)]
    symbolic = [float(component.doit().xreplace(values)) for component in at_k]
    np.testing.assert_allclose(mse_cost_grad(theta, X, y), symbolic, rtol=1e-14)


def test_the_bernoulli_formula_fails_for_soft_labels():
    """ŷ^y(1 − ŷ)^{1−y} = yŷ + (1 − y)(1 − ŷ) needs y ∈ {0, 1}; the checker finds y in between."""
    d = Derivation("soft_bernoulli", "The Bernoulli formula with soft labels.\n\nFor the test.")
    y = d.scalar("y", domains.SOFT_LABEL)
    q = d.scalar("q", domains.PROBABILITY)
    with evaluate(False):
        d.start(q**y * (1 - q) ** (1 - y))
        with pytest.raises(StepNotEquivalentError) as caught:
            d.step(y * q + (1 - y) * (1 - q), "one factor is raised to the power 0")
    assert 0 < float(caught.value.point["y"]) < 1


def test_the_one_hot_shortcut_fails_for_probability_labels():
    """−Σ yₖ log pₖ = −log Σ yₖpₖ holds for one-hot y only."""
    d = Derivation("soft_one_hot", "The one-hot shortcut with soft labels.\n\nFor the test.")
    K = d.size("K", checked_at=(2, 3))
    k = d.index("k", K)
    p = d.vector("p", K, domains.SIMPLEX)
    y = d.vector("y", K, domains.SIMPLEX)
    with evaluate(False):
        d.start(-Sum(y[k] * log(p[k]), (k, 1, K)))
        with pytest.raises(StepNotEquivalentError):
            d.step(-log(Sum(y[k] * p[k], (k, 1, K))), "a single non-zero term")


# -- the notes' numbers, as the pages show them ----------------------------------------------


def worked_rows(derivations, name: str) -> dict[str, WorkedValue]:
    """The rows of the worked examples the page of ``name`` declares, by their quantity (LaTeX)."""
    sections = page_of(derivations[name]).sections()
    return {row.quantity: row for s in sections if isinstance(s, WorkedExample) for row in s.rows}


@pytest.fixture(scope="module")
def likelihood_rows(derivations):
    return worked_rows(derivations, "maximum_likelihood")


@pytest.fixture(scope="module")
def door_rows(derivations):
    return worked_rows(derivations, "entropy_cross_entropy")


@pytest.fixture(scope="module")
def two_class_rows(derivations):
    return worked_rows(derivations, "softmax_two_classes")


def test_first_model_likelihood_is_0_0084(likelihood_rows):
    expected = math.prod(tenths(6, 2, 1, 7))
    assert expected == Fraction(84, 10_000)
    row = likelihood_rows[r"0.6 \times 0.2 \times 0.1 \times 0.7"]
    assert row.value == pytest.approx(float(expected), rel=1e-14)
    assert row.reference == "0.0084"
    assert math.prod(tenths(1, 6, 7, 2)) == expected  # the gradient-descent notes' order of the same factors


def test_second_model_likelihood_is_0_3024(likelihood_rows):
    expected = math.prod(tenths(7, 9, 8, 6))
    assert expected == Fraction(3024, 10_000)
    row = likelihood_rows[r"0.7 \times 0.9 \times 0.8 \times 0.6"]
    assert row.value == pytest.approx(float(expected), rel=1e-14)


def test_the_likelier_model_has_the_smaller_cross_entropy(likelihood_rows):
    first = likelihood_rows[r"-\sum_i \ln p_i,\ \text{first model}"].value
    second = likelihood_rows[r"-\sum_i \ln p_i,\ \text{second model}"].value
    assert first == pytest.approx(-math.log(0.0084), rel=1e-12)  # ≈ 4.78
    assert second == pytest.approx(-math.log(0.3024), rel=1e-12)  # ≈ 1.20
    assert second < first


def test_three_doors_likeliest_outcome(door_rows):
    assert math.prod(tenths(8, 7, 9)) == Fraction(504, 1000)
    assert door_rows["P(y = (1, 1, 0))"].value == pytest.approx(0.504, rel=1e-14)
    with mpmath.workdps(30):
        expected = -(
            mpmath.log(mpmath.mpf("0.8")) + mpmath.log(mpmath.mpf("0.7")) + mpmath.log(mpmath.mpf("0.9"))
        )
    cross_entropy = door_rows[r"H\big((1, 1, 0), p\big)"]
    assert cross_entropy.value == pytest.approx(float(expected), rel=1e-13)
    assert how_printed(cross_entropy.value, cross_entropy.reference) == "rounded"


def test_three_doors_least_likely_outcome_and_the_total(door_rows):
    least = Fraction(2, 10) * Fraction(3, 10) * Fraction(1, 10)  # no gift, no gift, a gift
    assert door_rows[r"P(y = (0, 0, 1)),\ \text{the least likely outcome}"].value == pytest.approx(
        float(least), rel=1e-13
    )
    assert door_rows[r"H\big((0, 0, 1), p\big)"].value == pytest.approx(-math.log(least), rel=1e-12)
    assert door_rows[r"\text{sum of } P \text{ over all 8 outcomes}"].value == pytest.approx(1, rel=1e-15)


def test_two_points_of_seed_004(likelihood_rows):
    assert likelihood_rows[r"0.6 \times 0.7"].value == pytest.approx(0.42, rel=1e-14)
    assert likelihood_rows[r"0.3 \times 0.7"].value == pytest.approx(0.21, rel=1e-14)
    assert likelihood_rows[r"-\ln 0.6 - \ln 0.7"].value == pytest.approx(-math.log(0.42), rel=1e-13)


def test_softmax_of_the_three_scores(two_class_rows):
    with mpmath.workdps(30):
        exps = [mpmath.exp(score) for score in (2, 1, 0)]
        expected = [float(e / mpmath.fsum(exps)) for e in exps]
    computed = two_class_rows[r"\operatorname{softmax}(2, 1, 0)"].value
    np.testing.assert_allclose(computed, expected, rtol=1e-14)
    assert [how_printed(p, figure) for p, figure in zip(computed, ("0.67", "0.24", "0.09"), strict=True)] == [
        "rounded"
    ] * 3


@pytest.mark.parametrize(
    ("z", "exact_digits", "notes_figure"),
    [(-5.5, "0.0040701377", "0.0040"), (6.5, "0.9984988177", "0.9984"), (0.4, "0.5986876601", "0.5986")],
)
def test_sigmoid_at_the_notes_points_and_how_the_notes_cut_it(derivations, z, exact_digits, notes_figure):
    row = worked_rows(derivations, "sigmoid_prime")[rf"\sigma({z:g})"]
    assert row.value == pytest.approx(float(exact_sigmoid(z)), rel=1e-15)
    assert f"{row.value:.10f}" == exact_digits
    # The notes truncate to four decimals; rounded, σ(−5.5) is 0.0041, σ(6.5) 0.9985, σ(0.4) 0.5987.
    assert row.reference == notes_figure
    assert how_printed(row.value, notes_figure) == "truncated"


def test_the_notes_line_passes_through_its_two_points(two_class_rows):
    assert two_class_rows[r"4x_1 + 5x_2 - 9\ \text{at}\ (1, 1), (-4, 5)"].value.tolist() == [0.0, 0.0]
    assert two_class_rows[r"\sigma(4x_1 + 5x_2 - 9)\ \text{at both points}"].value.tolist() == [0.5, 0.5]
    assert 4 * 1 + 5 * 1 - 9 == 0 and 4 * -4 + 5 * 5 - 9 == 0


def test_a_million_probabilities_underflow_but_their_logs_do_not(likelihood_rows):
    power = r"0.9^{1\,000\,000}"
    product = likelihood_rows[rf"{power}\ \text{{as a running product}}"].value
    assert product == 5 * 2.0**-1074  # stuck five steps above 0, not the true 10^(−45757)
    assert 1e6 * math.log10(0.9) == pytest.approx(-45757.49, abs=0.01)
    log_sum = likelihood_rows[rf"\ln {power} = \sum_{{i}} \ln 0.9"].value
    assert log_sum == pytest.approx(1e6 * math.log(0.9), rel=1e-10)


@pytest.mark.parametrize(
    ("name", "quantity", "how"),
    [
        ("maximum_likelihood", r"0.6 \times 0.2 \times 0.1 \times 0.7", "rounded"),
        ("maximum_likelihood", r"0.7 \times 0.9 \times 0.8 \times 0.6", "rounded"),
        ("entropy_cross_entropy", "P(y = (1, 1, 0))", "rounded"),
        ("entropy_cross_entropy", r"H\big((1, 1, 0), p\big)", "rounded"),
        ("maximum_likelihood", r"0.6 \times 0.7", "rounded"),
        ("maximum_likelihood", r"0.3 \times 0.7", "rounded"),
        ("softmax_two_classes", r"\operatorname{softmax}(2, 1, 0)", "rounded"),
        ("softmax_cross_entropy", r"\operatorname{softmax}(2, 1, 0)", "rounded"),
        ("sigmoid_prime", r"\sigma(-5.5)", "truncated"),
        ("sigmoid_prime", r"\sigma(6.5)", "truncated"),
        ("sigmoid_prime", r"\sigma(0.4)", "truncated"),
        ("bce_derivative", r"\hat{y} = \sigma(0.4)", "truncated"),
        ("softmax_two_classes", r"4x_1 + 5x_2 - 9\ \text{at}\ (1, 1), (-4, 5)", "rounded"),
        ("softmax_two_classes", r"\sigma(4x_1 + 5x_2 - 9)\ \text{at both points}", "rounded"),
    ],
)
def test_notes_figures_are_the_computed_values_as_the_notes_print_them(derivations, name, quantity, how):
    row = worked_rows(derivations, name)[quantity]
    figures = row.reference.strip("()").split(", ")
    values = np.ravel(row.value)
    assert {how_printed(v, f) for v, f in zip(values, figures, strict=True)} == {how}


# -- mse_cost and mse_cost_grad ------------------------------------------------------------


def test_mse_cost_and_gradient_on_a_small_exact_example():
    X = [[Fraction(1), Fraction(2)], [Fraction(1), Fraction(-1)], [Fraction(1), Fraction(1, 2)]]
    theta, y = [Fraction(1, 2), Fraction(1)], [Fraction(3), Fraction(0), Fraction(1)]
    residual = [
        sum(a * t for a, t in zip(row, theta, strict=True)) - target for row, target in zip(X, y, strict=True)
    ]
    cost = sum(r * r for r in residual) / (2 * len(X))
    grad = [sum(X[i][k] * residual[i] for i in range(3)) / 3 for k in range(2)]
    as_float = np.array(X, dtype=float), np.array(y, dtype=float)
    assert mse_cost(np.array(theta, dtype=float), *as_float) == pytest.approx(float(cost), rel=1e-15)
    np.testing.assert_allclose(
        mse_cost_grad(np.array(theta, dtype=float), *as_float), [float(g) for g in grad]
    )


def test_mse_gradient_against_finite_differences():
    rng = np.random.default_rng(6)
    X, y = rng.normal(size=(7, 3)), rng.normal(size=7)
    for _ in range(3):
        theta = rng.normal(size=3) * 3
        errors = directional_errors(lambda t: mse_cost(t, X, y), lambda t: mse_cost_grad(t, X, y), theta, rng)
        assert max(errors) < 1e-8


def test_mse_gradient_is_zero_at_the_least_squares_solution():
    rng = np.random.default_rng(7)
    X, y = rng.normal(size=(20, 4)), rng.normal(size=20)
    theta, *_ = np.linalg.lstsq(X, y, rcond=None)
    np.testing.assert_allclose(mse_cost_grad(theta, X, y), 0, atol=1e-12)


@pytest.mark.parametrize(
    ("theta", "X", "y", "message"),
    [
        (np.zeros(2), np.zeros((3, 2)), np.zeros(4), "one target per row"),
        (np.zeros(3), np.zeros((3, 2)), np.zeros(3), "one parameter per column"),
        (np.zeros(2), np.zeros(3), np.zeros(3), "data matrix"),
    ],
)
def test_mse_rejects_mismatched_shapes(theta, X, y, message):
    for function in (mse_cost, mse_cost_grad):
        with pytest.raises(ValueError, match=message):
            function(theta, X, y)


# -- mistakes the checker catches ----------------------------------------------------------

MISTAKE_IDS = [mistake.name for mistake in MISTAKES]


def test_the_mistakes_cover_the_notes_errors():
    assert len(set(MISTAKE_IDS)) == len(MISTAKE_IDS)
    assert {
        "sigmoid_denominator",
        "bce_derivative_sign",
        "weight_update_sign",
        "bias_update_feature",
        "mean_gradient_without_1_over_m",
    } <= set(MISTAKE_IDS)


@pytest.mark.parametrize("mistake", MISTAKES, ids=MISTAKE_IDS)
def test_the_wrong_step_is_rejected(mistake):
    with pytest.raises(StepNotEquivalentError):
        mistake.take_wrong_step()


@pytest.mark.parametrize("mistake", MISTAKES, ids=MISTAKE_IDS)
def test_the_correct_step_is_accepted(mistake):
    step = mistake.take_correct_step()
    assert step.verification.max_deviation < 1e-30


@pytest.mark.parametrize("mistake", MISTAKES, ids=MISTAKE_IDS)
def test_the_caught_error_reproduces_at_its_counterexample(mistake):
    error = mistake.caught()
    assert error.step_number == 2
    assert "notes" in mistake.where.lower()
    assert set(mistake.latex()) == {"before", "correct", "wrong"}
    before, after = float(error.before), float(error.after)
    if "m" in error.point:
        # The wrong gradient is the right one times m, and m = 1 would hide it.
        assert int(error.point["m"]) >= 2
        assert after / before == pytest.approx(int(error.point["m"]), rel=1e-9)
        return
    case = mistake.case()
    setting = case.derivation.setting
    values = {setting.variables[name].symbol: sp.Float(value, 30) for name, value in error.point.items()}
    for expr, value in ((case.before, before), (case.wrong, after)):
        recomputed = float(setting.expand_definitions(expr).doit().xreplace(values).evalf(30))
        assert recomputed == pytest.approx(value, rel=1e-6, abs=1e-9)


def test_a_mistake_that_is_not_one_is_reported():
    """If a recorded mistake's wrong step were right, caught() would say so instead of passing."""
    fixed = _correct_as_wrong(MISTAKES[0])
    with pytest.raises(MistakeNotCaughtError, match="passed the checker"):
        fixed.caught()


def _correct_as_wrong(mistake):
    """``mistake`` with its wrong step replaced by the correct one."""

    def write():
        case = mistake.write()
        return replace(case, wrong=case.correct)

    return replace(mistake, name=f"{mistake.name}_fixed", write=write)
