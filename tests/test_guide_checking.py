"""The "How a derivation is checked" page states the numbers the checker really uses."""

from __future__ import annotations

import re

import pytest
from paths import ROOT

from gradbook import domains, evaluation, proof, sampling

PAGE = ROOT / "site_src" / "guide" / "how-checking-works.md"


@pytest.fixture(scope="module")
def text() -> str:
    return PAGE.read_text(encoding="utf-8")


def _spaced(number: int) -> str:
    """6000000 as the page writes it, 6 000 000."""
    return f"{number:,}".replace(",", " ")


def test_the_page_gives_the_sizes_checked(text):
    sizes = sampling.DEFAULT_SIZES
    written = ", ".join(map(str, sizes[:-1])) + f" and {sizes[-1]}"
    assert f"checked at {written}" in text


def test_the_page_gives_the_number_of_points(text):
    assert f"at {sampling.RANDOM_POINTS} random points" in text
    assert f"up to {sampling.SPECIAL_POINTS} such points per step" in text


def test_the_page_gives_the_precision_ladder(text):
    assert f"at {evaluation.WORKING_DIGITS} significant digits" in text
    first, *middle, last = evaluation.ESCALATION
    assert f"again at {first} digits, then {', '.join(map(str, middle))} and {last}" in text
    assert f"one\n   side is 0 at {last} digits" in text
    assert f"up to {evaluation.EXACT_DIGITS_LIMIT} digits" in text
    exponent = len(str(evaluation.EXP_ARGUMENT_LIMIT)) - 1
    assert 10**exponent == evaluation.EXP_ARGUMENT_LIMIT
    assert f"|x| > 10^{{{exponent}}}" in text


def test_the_page_gives_the_proof_budget(text):
    assert f"budget of {_spaced(proof.CALL_BUDGET)} Python function calls" in text


def test_the_page_gives_the_real_scales(text):
    shares = [f"{round(weight * 100)} %" for weight, _, _ in domains.REAL_SCALES]
    row = next(line for line in text.splitlines() if line.startswith(r"| \(\mathbb{R}\)"))
    assert re.findall(r"\d+ %", row) == shares


def test_the_page_gives_the_bound_of_moderate_vectors(text):
    bound = domains.MODERATE
    assert f"within ±{bound:g} for the reals, at least {1 / bound:g} from 0 and 1" in text.replace("\n", " ")
