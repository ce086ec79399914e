"""Steps in matrix notation keep their signs and their form in a chain, checked and displayed.

SymPy's own matrix arithmetic under ``evaluate(False)`` turns A − 2B into A + 2B; the matrices
of ``Derivation.as_matrix`` must not. Expected values are SymPy's evaluated arithmetic on plain
MatrixSymbols (outside any chain) and LaTeX / text written out by hand.
"""

from __future__ import annotations

import pytest
import sympy as sp

from gradbook import Derivation, StepNotEquivalentError, domains
from gradbook.display import check_display
from gradbook.latex import to_latex
from gradbook.matrices import HeldMatrixSymbol, plain
from gradbook.terminal import pretty


def matrix_setting():
    d = Derivation("matrix_steps", "Matrix steps.")
    m = d.size("m", checked_at=(1, 2, 3), only=True)
    n = d.size("n", checked_at=(1, 2, 3), only=True)
    eta = d.scalar("eta", domains.POSITIVE)
    names = {
        "A": d.matrix("A", m, n), "B": d.matrix("B", m, n), "X": d.matrix("X", m, n),
        "r": d.vector("r", m), "W": d.matrix("W", m, n), "G": d.matrix("G", m, n),
    }
    return d, m, n, eta, {name: d.as_matrix(base) for name, base in names.items()}


def reference(name: str, rows, cols=None):
    """A plain SymPy MatrixSymbol, the independent source for what a step should be."""
    return sp.MatrixSymbol(name, rows, cols if cols is not None else 1)


def test_sympy_itself_corrupts_a_difference_under_evaluate_false():
    """Why gradbook's matrices exist: if SymPy changes this, revisit gradbook.matrices."""
    A, B = sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("B", 2, 2)
    with sp.evaluate(False):
        corrupted = A - 2 * B
    assert corrupted == A + 2 * B


@pytest.mark.parametrize(
    ("build", "expected", "latex", "text"),
    [
        pytest.param(
            lambda M, m, eta: M["A"] - 2 * M["B"],
            lambda m, n, eta: reference("A", m, n) - 2 * reference("B", m, n),
            "A - 2 B", "A - 2⋅B", id="A-2B",
        ),
        pytest.param(
            lambda M, m, eta: -(M["X"].T * M["r"]) / m,
            lambda m, n, eta: -(reference("X", m, n).T * reference("r", m)) / m,
            r"- \frac{1}{m} X^{\top} r", " 1  T  \n-─⋅X ⋅r\n m     ", id="-(X^T r)/m",
        ),
        pytest.param(
            lambda M, m, eta: M["W"] - eta * M["G"],
            lambda m, n, eta: reference("W", m, n) - eta * reference("G", m, n),
            r"W - \eta G", "W - η⋅G", id="W-eta*G",
        ),
    ],
)
def test_a_matrix_step_keeps_its_sign_and_form_in_a_chain(build, expected, latex, text):
    d, m, n, eta, M = matrix_setting()
    with d.chain("a matrix step"):
        d.start(build(M, m, eta))
        d.step(build(M, m, eta), "the same expression again")
    checked = d.steps[-1].expr
    assert checked == expected(m, n, eta)
    assert to_latex(checked) == latex
    assert pretty(checked) == text
    check_display(d)


def test_a_wrong_sign_in_a_matrix_step_is_refused_in_a_chain():
    d, _m, _n, eta, M = matrix_setting()
    with pytest.raises(StepNotEquivalentError), d.chain("the sign matters"):
        d.start(M["W"] - eta * M["G"])
        d.step(M["W"] + eta * M["G"], "a sign slipped")


def test_a_wrong_matrix_step_is_refused_in_a_chain():
    d = Derivation("normal_equations", "Normal equations.")
    m, n = d.size("m"), d.size("n")
    declared = (d.matrix("X", m, n), d.vector("theta", n), d.vector("y", m))
    X_, theta_, y_ = (d.as_matrix(base) for base in declared)
    with pytest.raises(StepNotEquivalentError), d.chain("multiply out"):
        d.start(X_.T * (X_ * theta_ - y_))
        d.step(X_.T * X_ * theta_ + X_.T * y_, "multiply out, with a sign slipped")


def test_a_true_matrix_step_is_accepted_in_a_chain():
    d = Derivation("normal_equations", "Normal equations.")
    m, n = d.size("m"), d.size("n")
    declared = (d.matrix("X", m, n), d.vector("theta", n), d.vector("y", m))
    X_, theta_, y_ = (d.as_matrix(base) for base in declared)
    with d.chain("multiply out"):
        d.start(X_.T * (X_ * theta_ - 2 * y_))
        d.step(X_.T * X_ * theta_ - 2 * X_.T * y_, "multiply out")
    assert to_latex(d.steps[-1].expr) == r"X^{\top} X \theta - 2 X^{\top} y"


def test_checked_steps_hold_ordinary_sympy_matrices():
    d, m, n, _eta, M = matrix_setting()
    assert isinstance(M["A"], HeldMatrixSymbol)
    with d.chain("plain"):
        d.start(M["A"] - M["B"])
    classes = {type(node) for node in sp.preorder_traversal(d.steps[-1].expr)}
    assert not any(cls.__module__ == "gradbook.matrices" for cls in classes)
    assert plain(M["A"]) == reference("A", m, n)
