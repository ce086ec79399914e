"""The one loader of derivation scripts: once per content, and a failure says where it happened.

The command-line reports of broken scripts are tested in test_cli.py and test_worker.py;
here are the loader's own promises. The scripts are tiny (one real z, a step or two).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from gradbook.errors import DerivationError
from gradbook.scripts import ScriptError, in_dependency_order, load, load_scripts, run_script

HEADER = '''\
"""A tiny derivation.

For the tests of the loader.
"""
from sympy import Symbol

from gradbook import Derivation
from gradbook.errors import StepNotEquivalentError

d = Derivation("tiny", __doc__)
z = d.real("z")
'''
#: The line number of the first line written after HEADER.
FIRST_BODY_LINE = HEADER.count("\n") + 1
GOOD = 'd.start(z**2)\nd.step(z * z, "a square is a product")\n'


def write(folder: Path, name: str, body: str) -> Path:
    path = folder / f"{name}.py"
    path.write_text(HEADER + textwrap.dedent(body), encoding="utf-8")
    return path


def test_a_script_is_loaded_once_per_content(tmp_path):
    path = write(tmp_path, "square", GOOD)
    first = load(path)
    assert first.ok
    assert load(path) is first
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    edited = load(path)
    assert edited is not first and edited.ok


def test_an_error_after_a_caught_wrong_step_is_not_blamed_on_that_step(tmp_path):
    path = write(tmp_path, "caught", """\
        d.start(z**2)
        try:
            d.step(2 * z, "a wrong rule")
        except StepNotEquivalentError:
            pass
        d.step(z * z, "a square is a product")
        1 / 0
        """)
    failure = run_script(path).failure
    assert failure is not None
    assert (failure.kind, failure.step, failure.after_step, failure.line) == (
        "error while running the script", None, 2, FIRST_BODY_LINE + 6,
    )


def test_an_error_inside_start_names_the_first_step(tmp_path):
    path = write(tmp_path, "undeclared", 'd.start(Symbol("w"))\n')
    failure = run_script(path).failure
    assert failure is not None
    assert (failure.kind, failure.derivation, failure.step, failure.line) == (
        "malformed derivation", "tiny", 1, FIRST_BODY_LINE,
    )
    assert "undeclared symbol(s) w" in failure.detail


def test_loading_several_scripts_reports_every_failure(tmp_path):
    good = write(tmp_path, "good", GOOD)
    wrong = write(tmp_path, "wrong", 'd.start(z**2)\nd.step(2 * z, "a wrong rule")\n')
    broken = write(tmp_path, "broken", "d.start(z**2\n")
    with pytest.raises(ScriptError) as raised:
        load_scripts([good, wrong, broken])
    assert [failure.path for failure in raised.value.failures] == [wrong, broken]
    assert "wrong step in derivation 'tiny', step 2" in str(raised.value)
    assert "syntax error" in str(raised.value)


@dataclass
class Named:
    """What in_dependency_order reads of a derivation: its name and the names it uses."""

    name: str
    uses: list[str] = field(default_factory=list)


def test_each_derivation_comes_after_those_it_uses():
    order = [d.name for d in in_dependency_order([Named("c", ["b"]), Named("a"), Named("b", ["a"])])]
    assert order == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("derivations", "message"),
    [
        ([Named("a"), Named("a")], "same derivation name"),
        ([Named("a", ["nowhere"])], "unknown derivation(s) nowhere"),
        ([Named("a", ["b"]), Named("b", ["a"])], "in a cycle"),
    ],
)
def test_derivations_that_do_not_fit_together_are_refused(derivations, message):
    with pytest.raises(DerivationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        in_dependency_order(derivations)
