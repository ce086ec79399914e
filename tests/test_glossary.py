"""One notation: every shipped symbol is on the Notation page, with one meaning everywhere.

The wrong declarations below are the drifts a book falls into (θ for the step function, h for a
finite-difference step, b for a batch size); each must be refused by name.
"""

from __future__ import annotations

import pytest
import sympy as sp
from paths import DERIVATIONS

from gradbook import Derivation, domains
from gradbook.glossary import GROUPS, conflicts, entry_for, unlisted
from gradbook.latex import to_latex
from gradbook.scripts import script_paths


@pytest.fixture(scope="module")
def shipped(derivations) -> list[Derivation]:
    assert set(derivations) >= {path.stem for path in script_paths(DERIVATIONS)}
    return list(derivations.values())


def test_every_shipped_symbol_is_on_the_notation_page(shipped):
    assert [(d.derivation, d.name) for d in unlisted(shipped)] == []


def test_no_shipped_symbol_has_a_second_meaning(shipped):
    assert conflicts(shipped) == []


def test_a_symbol_is_listed_once():
    names = [name for group in GROUPS for item in group.entries for name in item.names]
    assert len(names) == len(set(names))


def declaring(name: str, meaning: str) -> Derivation:
    d = Derivation("drift", "Drift.\n\nA derivation that gives a symbol another meaning.")
    if name in ("i", "j", "c"):
        d.index(name, d.size("n", meaning="the number of features"), meaning)
    else:
        d.scalar(name, domains.REAL, meaning)
    return d


@pytest.mark.parametrize(("name", "meaning"), [
    ("theta", "the step function of the perceptron"),
    ("h", "the finite-difference step"),
    ("b", "the number of points in a mini-batch"),
    ("y", "the probability vector of the model"),
    ("i", "a feature"),
    ("c", "any real shift of the scores"),
    ("z", "the bias"),
])
def test_a_second_meaning_is_refused_by_name(name, meaning):
    (problem,) = conflicts([declaring(name, meaning)])
    assert f"{name!r} is declared as {meaning!r}" in problem
    assert entry_for(name).meaning in problem


@pytest.mark.parametrize(("name", "meaning"), [
    ("theta", "the parameters"),
    ("h", "the prediction for point i"),
    ("i", "a data point, summed over"),
    ("y", "the label distribution: one-hot or probabilities"),
])
def test_the_meaning_the_page_gives_is_accepted(name, meaning):
    assert conflicts([declaring(name, meaning)]) == []


def test_theta_on_a_page_is_always_the_parameter_vector(shipped):
    """SymPy prints the step function as θ(z); the pages print it as step(z)."""
    for derivation in shipped:
        declares_theta = "theta" in derivation.setting.variables
        for step in derivation.steps:
            if r"\theta" in step.latex:
                assert declares_theta, f"{derivation.name}: step {step.number} shows θ"
    assert "theta" not in to_latex(sp.Heaviside(sp.Symbol("z"), 1))
