"""Exercises: questions answered by checked chains, and mistakes the checker must refute.

The wrong lines are ones a reader could write (a dropped sign, a wrong denominator); whether
they are wrong is decided here by hand at a point, independently of the checker.
"""

from __future__ import annotations

import json
import math

import pytest
import sympy as sp
from jsonschema import Draft202012Validator
from sympy import exp

from gradbook import Derivation, DerivationError, StepNotEquivalentError, sigmoid
from gradbook.export import SCHEMA_PATH, derivation_data
from gradbook.terminal import format_derivation


def setting() -> tuple[Derivation, sp.Symbol]:
    d = Derivation("exercises", "Exercises.\n\nA lesson with exercises.")
    z = d.real("z")
    with d.chain("the lesson"):
        d.start(sigmoid(z))
        d.step(1 / (1 + exp(-z)), "the definition of σ")
    return d, z


def spot_the_sign(d: Derivation, z: sp.Symbol, wrong: sp.Expr) -> None:
    with d.exercise("Which line is wrong?"):
        d.start(sigmoid(-z))
        d.step(1 / (1 + exp(z)), "the definition of σ at −z", wrong=wrong)
        d.step(1 - sigmoid(z), "1/(1 + eᶻ) = 1 − σ(z)")


def test_an_exercise_is_a_checked_chain_kept_apart_from_the_lesson():
    d, z = setting()
    with d.exercise("Show that σ(−z) = 1 − σ(z)."):
        d.start(sigmoid(-z))
        d.step(1 / (1 + exp(z)), "the definition of σ at −z")
        d.step(1 - sigmoid(z), "1/(1 + eᶻ) = 1 − σ(z)")
    assert [chain.title for chain in d.lesson] == ["the lesson"]
    (exercise,) = d.exercises
    assert exercise.question == "Show that σ(−z) = 1 − σ(z)."
    assert all(step.verification is not None for step in exercise.steps[1:])
    assert exercise.mistake_step is None


def test_a_wrong_step_in_an_answer_is_refused_like_any_other():
    d, z = setting()
    with pytest.raises(StepNotEquivalentError), d.exercise("Show that σ(−z) = 1 − σ(z)."):
        d.start(sigmoid(-z))
        d.step(sigmoid(z) - 1, "a sign slipped")
    assert d.errors()


def test_a_shown_mistake_carries_the_checkers_counterexample():
    d, z = setting()
    wrong = 1 / (1 - exp(z))
    spot_the_sign(d, z, wrong)
    step = d.exercises[0].mistake_step
    assert step.number == d.exercises[0].steps[1].number
    found = step.mistake.counterexample
    # The counterexample is real: at its point σ(−z) and 1/(1 − eᶻ) differ, computed with math.
    at = float(found.point["z"])
    assert not math.isclose(1 / (1 + math.exp(at)), 1 / (1 - math.exp(at)), rel_tol=1e-9)
    assert math.isclose(float(found.before), 1 / (1 + math.exp(at)), rel_tol=1e-9)


@pytest.mark.parametrize("disguise", [
    lambda z: exp(-z) / (exp(-z) + 1),       # the same value, written another way
    lambda z: 1 - 1 / (1 + exp(-z)),          # the next line of the working, not a mistake
])
def test_a_shown_mistake_that_is_no_mistake_is_refused(disguise):
    d, z = setting()
    with pytest.raises(DerivationError, match=r"no counterexample .* no mistake"):
        spot_the_sign(d, z, disguise(z))


def test_one_mistake_an_exercise_and_none_in_the_lesson():
    d, z = setting()
    with pytest.raises(DerivationError, match="one mistake"), d.exercise("Two mistakes?"):
        d.start(sigmoid(-z))
        d.step(1 / (1 + exp(z)), "the definition of σ at −z", wrong=1 / (1 - exp(z)))
        d.step(1 - sigmoid(z), "1/(1 + eᶻ) = 1 − σ(z)", wrong=sigmoid(z) - 1)
    d, z = setting()
    with pytest.raises(DerivationError, match="spot-the-mistake exercises"), d.chain("lesson"):
        d.start(sigmoid(-z))
        d.step(1 / (1 + exp(z)), "the definition of σ at −z", wrong=1 / (1 - exp(z)))


def test_an_exercise_publishes_nothing():
    d, z = setting()
    with pytest.raises(DerivationError, match="not an exercise"), d.exercise("Publish?"):
        d.start(sigmoid(-z))
        d.step(1 / (1 + exp(z)), "the definition of σ at −z")
        d.result("sigmoid_of_minus_z")
    with pytest.raises(DerivationError, match="needs a question"), d.exercise("  "):
        pass


def test_the_export_and_the_text_carry_the_exercise():
    d, z = setting()
    spot_the_sign(d, z, 1 / (1 - exp(z)))
    document = json.loads(json.dumps(derivation_data(d)))
    Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))).validate(document)
    lesson, exercise = document["chains"]
    assert lesson["exercise"] is None
    assert exercise["exercise"]["question"] == "Which line is wrong?"
    assert exercise["exercise"]["mistake"]["latex"] == r"\frac{1}{1 - e^{z}}"
    text = format_derivation(d)
    assert "-- Exercise: Which line is wrong?" in text
    assert "wrong version, refused by the checker" in text
