"""The binary cross-entropy as notation: printed, unfolded, differentiated and refused by codegen.

Expected values: the formula −y log ŷ − (1 − y) log(1 − ŷ) written out here, and central finite
differences of it for the derivatives.
"""

from __future__ import annotations

import math

import pytest
import sympy as sp

from gradbook import Derivation, binary_cross_entropy, domains, sigmoid
from gradbook.errors import CodegenError, StepNotEquivalentError
from gradbook.latex import to_latex
from gradbook.notation import unfold
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
