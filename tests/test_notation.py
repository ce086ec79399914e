"""Notation with no kernel of its own, the binary cross-entropy and the softmax: printed,
unfolded, differentiated, checked in steps and refused by the code generator.

Expected values: the formulas −y log ŷ − (1 − y) log(1 − ŷ) and exp(zᵢ)/Σⱼ exp(zⱼ) written out
here, central finite differences and mpmath's numerical derivatives of them.
"""

from __future__ import annotations

import json
import math

import mpmath
import pytest
import sympy as sp
from jsonschema import Draft202012Validator

from gradbook import Derivation, binary_cross_entropy, domains, sigmoid, softmax
from gradbook.errors import CodegenError, StepNotEquivalentError
from gradbook.export import SCHEMA_PATH, to_json
from gradbook.latex import to_latex
from gradbook.notation import NOTATION, unfold
from gradbook.terminal import pretty

y, yhat, z = sp.symbols("y yhat z", real=True)


def bce_by_hand(label: float, prediction: float) -> float:
    return -label * math.log(prediction) - (1 - label) * math.log(1 - prediction)


def test_it_prints_as_bce():
    assert to_latex(binary_cross_entropy(y, sigmoid(z))) == (
        r"\operatorname{BCE}\left(y, \sigma\left(z\right)\right)"
    )
    assert pretty(binary_cross_entropy(y, yhat)) == "BCE(y, y\u0302)"  # ŷ as y with a combining circumflex


@pytest.mark.parametrize(("label", "prediction"), [(0, 0.3), (1, 0.3), (0.25, 0.9), (1, 1e-12)])
def test_its_value_is_the_formula(label, prediction):
    value = float(unfold(binary_cross_entropy(sp.Float(label), sp.Float(prediction))))
    assert value == pytest.approx(bce_by_hand(label, prediction), rel=1e-12)


@pytest.mark.parametrize("argument", [0, 1])
def test_its_derivatives_match_finite_differences(argument):
    point = [0.3, 0.7]
    derivative = sp.diff(binary_cross_entropy(y, yhat), (y, yhat)[argument])
    exact = float(derivative.subs({y: point[0], yhat: point[1]}))
    step = 1e-6
    up, down = list(point), list(point)
    up[argument] += step
    down[argument] -= step
    numeric = (bce_by_hand(*up) - bce_by_hand(*down)) / (2 * step)
    assert exact == pytest.approx(numeric, rel=1e-7)


def test_a_step_that_writes_it_out_is_checked():
    d = Derivation("bce_definition", "BCE.")
    label = d.scalar("y", domains.SOFT_LABEL)
    logit = d.real("z")
    with d.chain("the definition"):
        d.start(binary_cross_entropy(label, sigmoid(logit)))
        d.step(-label * sp.log(sigmoid(logit)) - (1 - label) * sp.log(1 - sigmoid(logit)), "definition")
    with pytest.raises(StepNotEquivalentError), d.chain("a wrong sign"):
        d.start(binary_cross_entropy(label, sigmoid(logit)))
        d.step(-label * sp.log(sigmoid(logit)) + (1 - label) * sp.log(1 - sigmoid(logit)), "definition")


def test_code_generation_refuses_it_by_name():
    d = Derivation("bce_kernel", "BCE kernel.")
    label = d.scalar("y", domains.SOFT_LABEL)
    logit = d.real("z")
    d.start(binary_cross_entropy(label, sigmoid(logit)))
    with pytest.raises(CodegenError, match="BCE"):
        d.implement("bce_kernel", (label, logit), "BCE.")


# -- the softmax ------------------------------------------------------------------------------
#
# Expected values: exp(zᵢ)/Σⱼ exp(zⱼ) computed here with mpmath at 40 digits, and mpmath's own
# numerical differentiation of it for the Jacobian.

scores = sp.IndexedBase("z", real=True)
i, j, k = sp.symbols("i j k", integer=True, positive=True)
K = sp.Symbol("K", integer=True, positive=True)


def softmax_by_hand(values: list, index: int) -> mpmath.mpf:
    exps = [mpmath.exp(value) for value in values]
    return exps[index - 1] / mpmath.fsum(exps)


def at_point(expr: sp.Expr, values: list) -> mpmath.mpf:
    """``expr`` in the entries of z, written out at len(values) scores and evaluated."""
    written = unfold(expr).doit().xreplace({scores[n + 1]: sp.Float(v, 40) for n, v in enumerate(values)})
    return mpmath.mpf(sp.N(written, 40))


def test_softmax_prints_as_an_entry_of_a_vector():
    assert to_latex(softmax(scores, i, K)) == r"\operatorname{softmax}\left(z\right)_{i}"
    assert to_latex(softmax(scores, i, K) ** 2) == r"\operatorname{softmax}\left(z\right)_{i}^{2}"
    assert to_latex(sp.Derivative(softmax(scores, i, K), scores[k])) == (
        r"\frac{\partial}{\partial {z}_{k}} \operatorname{softmax}\left(z\right)_{i}"
    )
    assert pretty(softmax(scores, k, K)) == "softmax(z)[k]"  # as the terminal prints z[k]


@pytest.mark.parametrize("values", [[0.5, -1.25, 2.0], [1000.0, 0.0, -1000.0], [3.0], [-2.0, -2.0]])
def test_softmax_value_is_the_formula(values):
    with mpmath.workdps(40):
        for index in range(1, len(values) + 1):
            got = at_point(softmax(scores, index, len(values)), values)
            assert mpmath.almosteq(got, softmax_by_hand(values, index), rel_eps=mpmath.mpf(10) ** -35)


@pytest.mark.parametrize(("row", "column"), [(1, 1), (1, 2), (3, 2), (2, 3), (3, 3)])
def test_softmax_jacobian_matches_numerical_differentiation(row, column):
    values = [0.3, -1.1, 0.8]
    with mpmath.workdps(40):
        derivative = sp.diff(softmax(scores, row, 3), scores[column])
        exact = at_point(derivative, values)

        def moved(value):
            return softmax_by_hand([*values[: column - 1], value, *values[column:]], row)

        numeric = mpmath.diff(moved, values[column - 1])
        assert mpmath.almosteq(exact, numeric, rel_eps=mpmath.mpf(10) ** -25)


def test_softmax_depends_only_on_its_scores():
    other = sp.IndexedBase("x", real=True)
    assert sp.diff(softmax(scores, i, K), z) == 0  # a scalar z, not the vector
    assert sp.diff(softmax(scores, i, K), other[k]) == 0


def test_softmax_takes_a_vector_of_scores():
    with pytest.raises(TypeError, match="vector of scores"):
        softmax(scores[1], i, K)


def softmax_setting():
    d = Derivation("softmax_steps", "Softmax.")
    size = d.size("K", checked_at=(1, 2, 3))
    d.index("i", size)
    d.index("j", size)
    d.index("k", size)
    return d, size, d.vector("z", size), d.real("c")


def test_a_step_that_writes_out_the_softmax_is_checked_and_proved():
    d, size, z_, c = softmax_setting()
    with d.chain("the definition, then the shift"):
        d.start(softmax(z_, k, size))
        written = d.step(sp.exp(z_[k]) / sp.Sum(sp.exp(z_[j]), (j, 1, size)), "definition")
        shifted = d.step(sp.exp(z_[k] - c) / sp.Sum(sp.exp(z_[j] - c), (j, 1, size)), "shift by c")
    assert written.verification.proved
    assert shifted.verification.points >= 20


def test_a_shift_forgotten_in_the_denominator_is_refused():
    d, size, z_, c = softmax_setting()
    with pytest.raises(StepNotEquivalentError), d.chain("half a shift"):
        d.start(softmax(z_, k, size))
        d.step(sp.exp(z_[k] - c) / sp.Sum(sp.exp(z_[j]), (j, 1, size)), "shift by c, numerator only")


def test_a_jacobian_right_only_off_the_diagonal_is_refused():
    d, size, z_, _ = softmax_setting()
    d.start(sp.Derivative(softmax(z_, i, size), z_[k]))
    d.step(softmax(z_, i, size) * (sp.KroneckerDelta(i, k) - softmax(z_, k, size)), "the Jacobian")
    with pytest.raises(StepNotEquivalentError):
        d.step(-softmax(z_, i, size) * softmax(z_, k, size), "the Jacobian, where i ≠ k")


def test_code_generation_refuses_softmax_by_name():
    d, size, z_, _ = softmax_setting()
    d.start(softmax(z_, k, size))
    with pytest.raises(CodegenError, match="softmax"):
        d.implement("softmax_kernel", (z_,), "Softmax.", vector_index=k)


def test_the_export_rebuilds_a_softmax_definition():
    d, size, z_, _ = softmax_setting()
    p = d.define("p", softmax(z_, i, size), "the probabilities", index=i)
    with d.chain("a definition"):
        d.start(p[k])
        d.step(softmax(z_, k, size), "the definition of p")
    document = json.loads(to_json(d))
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(document)
    namespace = {**vars(sp), **{function.__name__: function for function in NOTATION}}
    with sp.evaluate(False):
        definition = eval(document["setting"]["definitions"][0]["expr"]["srepr"], namespace)
        last = eval(document["chains"][0]["steps"][-1]["srepr"], namespace)
    assert definition == softmax(z_, i, size)
    assert last == softmax(z_, k, size)
    assert document["chains"][0]["steps"][-1]["latex"] == r"\operatorname{softmax}\left(z\right)_{k}"
