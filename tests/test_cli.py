"""The ``gradbook`` command line.

Most tests call ``gradbook.cli.main`` in this process; it checks each script in a worker process
(:mod:`gradbook.worker`) and keeps the workers' reports by script content, so a derivation is
checked once per kind of report for the whole session. Script isolation itself is tested in
test_worker.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
import sympy as sp
from jsonschema import Draft202012Validator
from paths import DERIVATIONS, ROOT

import gradbook
from gradbook import kernel_file, notation
from gradbook.cli import main
from gradbook.export import SCHEMA_PATH, text_mode
from gradbook.scripts import in_dependency_order, load, script_paths

SCRIPTS = script_paths(DERIVATIONS)
COMMANDS = ["list", "derive", "check", "export", "generate", "build", "serve"]


def gradbook_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run ``gradbook --root ROOT ARGV...``; exit status, stdout, stderr."""
    status = main(["--root", str(ROOT), *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture(scope="module")
def schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


# -- the basics ------------------------------------------------------------------------------


def test_version_as_a_module():
    run = subprocess.run(
        [sys.executable, "-m", "gradbook.cli", "--version"], capture_output=True, text=True, cwd=ROOT
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"gradbook {gradbook.__version__}"


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help(capsys, command):
    argv = ["--help"] if command is None else [command, "--help"]
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: gradbook")
    if command is None:
        assert all(name in out for name in COMMANDS)


def test_a_command_is_required(capsys):
    with pytest.raises(SystemExit) as exit_:
        main([])
    assert exit_.value.code == 2


def test_an_unknown_name_lists_the_derivations(capsys):
    status, _, err = gradbook_cli(capsys, "check", "no_such_derivation")
    assert status == 2
    assert "no derivation named 'no_such_derivation'" in err
    assert "sigmoid_prime" in err


def test_a_missing_file_is_named(capsys, tmp_path):
    status, _, err = gradbook_cli(capsys, "derive", str(tmp_path / "absent.py"))
    assert status == 2
    assert "no such file" in err and "absent.py" in err


# -- list, check, derive on the real derivations ------------------------------------------------


def test_list_shows_every_derivation_with_title_and_status(capsys):
    status, out, _ = gradbook_cli(capsys, "list")
    assert status == 0
    lines = out.splitlines()
    assert len(lines) == len(SCRIPTS)
    for line, script in zip(lines, SCRIPTS, strict=True):
        name, state, title = line.split(maxsplit=2)
        assert (name, state) == (script.stem, "ok")
        assert title == load(script).derivations[0].title


def test_check_all_passes_and_reports_each_time(capsys):
    """Each line ends in the time the check took, or says that its verdict was kept from before."""
    status, out, err = gradbook_cli(capsys, "check")
    assert status == 0, err
    lines = [next(line for line in out.splitlines() if line.startswith(f"{script.stem} "))
             for script in SCRIPTS]
    assert all(" ok " in line and (line.endswith(" s") or line.endswith(" cached")) for line in lines)
    cached = sum(line.endswith(" cached") for line in lines)
    if cached:
        assert f"{cached} of {len(SCRIPTS)} verdicts from the cache" in out
    else:
        assert "every script was checked now" in out
    assert f"{len(SCRIPTS)} checked" in out and "0 failed" in out
    assert err == ""


def test_check_verbose_shows_each_step(capsys):
    status, out, _ = gradbook_cli(capsys, "check", "-v", "sigmoid_prime")
    assert status == 0
    steps = [line for line in out.splitlines() if line.strip().startswith("step ")]
    # One line for every step the script writes after a start (lesson and exercises alike).
    script = (DERIVATIONS / "sigmoid_prime.py").read_text(encoding="utf-8")
    assert len(steps) == script.count("d.step(")
    assert all("checked numerically at" in line for line in steps)


def test_derive_prints_the_steps(capsys):
    status, out, _ = gradbook_cli(capsys, "derive", "sigmoid_prime")
    assert status == 0
    assert out.startswith("The derivative of the sigmoid\n")
    assert "(9) = by the definition of σ, twice" in out
    assert "-- Exercise: Show that σ(−z) = 1 − σ(z)" in out
    assert "⇒ result `sigmoid_prime`" in out


# -- broken derivations -------------------------------------------------------------------------

HEADER = '''\
"""A broken derivation.

For the tests of the command line.
"""
from sympy import Derivative, Symbol, evaluate, exp, log

from gradbook import Derivation, sigmoid

d = Derivation("broken", __doc__)
z = d.real("z")
'''

BROKEN = {
    "wrong_step": (
        """\
        with evaluate(False):
            d.start(Derivative(sigmoid(z), z))
            d.step(sigmoid(z) * (1 + sigmoid(z)), "a wrong rule")
        """,
        [", line 13: wrong step in derivation 'broken', step 2 ('a wrong rule')",
         "does not follow from the step before it. Counterexample: z = "],
    ),
    "undeclared_symbol": (
        """\
        w = Symbol("w")
        d.start(exp(z))
        d.step(w * exp(z), "multiply by w")
        """,
        [", line 13: malformed derivation in derivation 'broken', step 2 ('multiply by w')",
         "undeclared symbol(s) w"],
    ),
    "not_real": (
        """\
        d.start(exp(z))
        d.step(log(-exp(z)), "the log of a negative number")
        """,
        [", line 12: wrong step in derivation 'broken', step 2",
         "Counterexample: z = ", "(not real)"],
    ),
    "syntax_error": (
        """\
        d.start(exp(z)
        """,
        [", line 11: syntax error: '(' was never closed"],
    ),
    "exception_between_steps": (
        """\
        d.start(exp(z))
        d.step(exp(z), "nothing changes")
        scale = 1 / 0
        """,
        [", line 13: error while running the script in derivation 'broken', after step 2",
         "ZeroDivisionError: division by zero"],
    ),
    "exception_inside_a_step": (
        """\
        d.start(exp(z))
        d.step(exp(z), ["not", "a", "string"])
        """,
        [", line 12: error while running the script in derivation 'broken', step 2:",
         "AttributeError"],
    ),
    "no_derivation": (
        """\
        del d
        """,
        ["malformed derivation: the script builds no Derivation"],
    ),
}


def write_broken(folder, case: str):
    body, _ = BROKEN[case]
    path = folder / f"{case}.py"
    path.write_text(HEADER + textwrap.dedent(body), encoding="utf-8")
    return path


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_script_gives_one_paragraph(capsys, tmp_path, case):
    path = write_broken(tmp_path, case)
    status, out, err = gradbook_cli(capsys, "check", str(path))
    assert status == 1
    assert "FAILED" in out and "1 failed" in out
    paragraph = err.strip().split("\n\n")[-1]
    assert paragraph.startswith(f"{path}, line ") or case == "no_derivation"
    assert "\n" not in paragraph
    for fragment in BROKEN[case][1]:
        assert fragment in paragraph
    assert "Traceback" not in out + err


def test_check_goes_on_and_reports_all_failures_at_the_end(capsys, tmp_path):
    broken = [write_broken(tmp_path, case) for case in ("wrong_step", "syntax_error")]
    status, out, err = gradbook_cli(capsys, "check", str(broken[0]), "sigmoid_prime", str(broken[1]))
    assert status == 1
    progress = [line.split()[:2] for line in out.splitlines()[:3]]
    assert progress == [["wrong_step", "FAILED"], ["sigmoid_prime", "ok"], ["syntax_error", "FAILED"]]
    assert "3 checked" in out and "1 ok, 2 failed" in out
    assert err.startswith("\n2 failures:\n\n")
    assert err.count(str(tmp_path)) == 2


def test_derive_and_export_report_a_broken_script(capsys, tmp_path):
    path = write_broken(tmp_path, "wrong_step")
    for command in (["derive", str(path)], ["export", str(path)]):
        status, out, err = gradbook_cli(capsys, *command)
        assert (status, out) == (1, "")
        assert "wrong step in derivation 'broken', step 2" in err


ENDLESS_PROOF = """\
from gradbook import proof


def tick():
    return None


def endless_simplifier(expr):
    while True:
        tick()


proof.CALL_BUDGET = 20_000
proof._SIMPLIFIERS = (("endless", endless_simplifier),)
d.start(exp(2 * z))
d.step(exp(z) ** 2, 'e^{2z} = (e^z)^2')
"""


def test_a_proof_that_never_ends_stops_at_its_call_budget(capsys, tmp_path):
    """The symbolic proof runs under a budget of calls: a strategy that never finishes leaves the
    step "checked numerically", it does not fail or hang it. The script changes its own checker:
    it runs in a worker of its own."""
    path = tmp_path / "endless.py"
    path.write_text(HEADER + ENDLESS_PROOF)
    status, out, _ = gradbook_cli(capsys, "check", "-v", "--timeout", "60", str(path))
    assert status == 0
    assert "1 steps ( 0 proved)" in out
    assert "step  2" in out and "proved symbolically" not in out


def test_a_script_still_runs_on_its_own_and_stops_at_a_wrong_step(tmp_path):
    """Run directly, a script is plain Python: the refused step's message is the last line."""
    path = write_broken(tmp_path, "wrong_step")
    path.write_text(path.read_text() + "\nif __name__ == '__main__':\n    d.main()\n")
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1
    message = run.stderr.strip().splitlines()[-1]
    assert message.startswith("gradbook.errors.StepNotEquivalentError: broken: step 2 ('a wrong rule') ")
    assert "does not follow" in message
    assert f'File "{path}", line 13, in <module>' in run.stderr  # the script's line, from Python


# -- export ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.stem)
def test_json_export_follows_the_schema(capsys, schema, script):
    status, out, _ = gradbook_cli(capsys, "export", script.stem, "--format", "json")
    assert status == 0
    document = json.loads(out)
    assert errors(document, schema) == []
    derivation = load(script).derivations[0]
    assert document["name"] == derivation.name
    numbers = [step["number"] for chain in document["chains"] for step in chain["steps"]]
    assert numbers == list(range(1, len(derivation.steps) + 1))


def errors(document: object, schema: dict) -> list[str]:
    """Every violation of ``schema`` in ``document``, as "path: keyword"."""
    validator = Draft202012Validator(schema)
    return sorted(f"{error.json_path}: {error.validator}" for error in validator.iter_errors(document))


def test_the_schema_is_a_valid_draft_2020_12_schema(schema):
    Draft202012Validator.check_schema(schema)


def test_the_schema_refuses_a_broken_export(capsys, schema):
    _, out, _ = gradbook_cli(capsys, "export", "softmax_cross_entropy")
    document = json.loads(out)
    document["chains"][0]["steps"][1]["verification"]["points"] = "24"
    document["setting"]["variables"][0]["colour"] = "blue"
    del document["title"]
    document["format_version"] = 1
    assert errors(document, schema) == sorted([
        "$: required",
        "$.chains[0].steps[1].verification: anyOf",
        "$.format_version: const",
        "$.setting.variables[0]: additionalProperties",
    ])


def test_json_export_carries_verification_domains_and_srepr(capsys):
    _, out, _ = gradbook_cli(capsys, "export", "softmax_cross_entropy")
    document = json.loads(out)
    variables = {v["name"]: v for v in document["setting"]["variables"]}
    assert variables["y"]["domain"] == {"name": "probability vector", "latex": r"\Delta^{K-1}"}
    assert variables["y"]["shape"] == ["K"]
    assert document["setting"]["assumptions"][0]["text"] == r"\(\sum_c y_c = 1\)"
    last = document["chains"][1]["steps"][-1]
    assert last["latex"] == r"{p}_{c'} - {y}_{c'}"
    assert last["verification"]["used_assumptions"] == [r"\(\sum_c y_c = 1\)"]
    assert document["chains"][1]["result"]["name"] == "softmax_cross_entropy_grad"
    assert document["chains"][3]["implementation"]["arguments"] == ["z", "y", "s"]


def test_srepr_rebuilds_each_step(capsys):
    _, out, _ = gradbook_cli(capsys, "export", "sigmoid_prime")
    derivation = load(DERIVATIONS / "sigmoid_prime.py").derivations[0]
    namespace = {**vars(sp), "sigmoid": notation.sigmoid}
    steps = [step for chain in json.loads(out)["chains"] for step in chain["steps"]]
    with sp.evaluate(False):
        rebuilt = [eval(step["srepr"], namespace) for step in steps]
    assert rebuilt == [step.expr for step in derivation.steps]


def test_latex_export_is_one_aligned_block_per_chain(capsys, tmp_path):
    output = tmp_path / "softmax.tex"
    status, out, err = gradbook_cli(capsys, "export", "softmax_cross_entropy", "--format", "latex",
                                    "-o", str(output))
    assert (status, out) == (0, "")
    assert str(output) in err
    text = output.read_text(encoding="utf-8")
    derivation = load(DERIVATIONS / "softmax_cross_entropy.py").derivations[0]
    assert text.count(r"\begin{aligned}") == text.count(r"\end{aligned}") == len(derivation.chains)
    assert text.count(r"\text{") == len(derivation.steps) - len(derivation.chains)
    # Inline math in a rule stays math inside \text{}.
    assert r"&= {p}_{c'} - {y}_{c'} && \text{the labels sum to one: $\sum_c y_c = 1$}" in text


def test_text_mode_escapes_what_latex_treats_specially():
    assert text_mode("e^{−z} & 50% of x_1 #2 $ ~ \\") == (
        r"e\textasciicircum{}\{−z\} \& 50\% of x\_1 \#2 \$ \textasciitilde{} \textbackslash{}"
    )


# -- generate, build, serve -------------------------------------------------------------------------


def test_generate_writes_the_kernels_once(capsys, tmp_path, monkeypatch):
    checked = [d for script in SCRIPTS for d in load(script).derivations]
    monkeypatch.setattr(kernel_file, "load_all", lambda directory: in_dependency_order(checked))
    target = tmp_path / "kernels.py"
    assert gradbook_cli(capsys, "generate", "--output", str(target))[:2] == (0, f"{target} regenerated\n")
    assert "def sigmoid_prime(" in target.read_text(encoding="utf-8")
    assert gradbook_cli(capsys, "generate", "--output", str(target))[:2] == (0, f"{target} unchanged\n")
    assert gradbook_cli(capsys, "generate", "--check", "--output", str(target))[:2] == (
        0, f"{target} is up to date\n",
    )
    target.write_text("# edited by hand\n", encoding="utf-8")
    assert gradbook_cli(capsys, "generate", "--check", "--output", str(target))[:2] == (
        1, f"{target} is out of date\n",
    )


def test_generate_names_the_failing_step(capsys, tmp_path):
    (tmp_path / "derivations").mkdir()
    write_broken(tmp_path / "derivations", "wrong_step")
    target = tmp_path / "kernels.py"
    status = main(["--root", str(tmp_path), "generate", "--output", str(target)])
    err = capsys.readouterr().err
    assert status == 1
    assert "could not generate the kernels" in err
    assert "wrong_step.py, line 13: wrong step in derivation 'broken', step 2" in err
    assert not target.exists()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["build"], ["build"]),
        (["build", "--strict"], ["build", "--strict"]),
        (["serve", "-a", "127.0.0.1:8123"], ["serve", "--dev-addr", "127.0.0.1:8123"]),
    ],
)
def test_build_and_serve_run_mkdocs_on_the_project_config(capsys, monkeypatch, argv, expected):
    calls = []

    def fake_run(command, cwd):
        calls.append((command, cwd))
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(subprocess, "run", fake_run)
    assert gradbook_cli(capsys, *argv)[0] == 0
    ((command, cwd),) = calls
    assert command[:3] == [sys.executable, "-m", "mkdocs"]
    assert command[3] == expected[0]
    assert command[4:6] == ["--config-file", str(ROOT / "mkdocs.yml")]
    assert command[6:] == expected[1:]
    assert cwd == ROOT


def test_build_outside_a_project_is_a_usage_error(capsys, tmp_path):
    status = main(["--root", str(tmp_path), "build"])
    assert status == 2
    assert "no mkdocs.yml" in capsys.readouterr().err


def test_list_and_check_a_project_with_a_broken_and_an_inconsistent_script(capsys, tmp_path):
    folder = tmp_path / "derivations"
    folder.mkdir()
    write_broken(folder, "wrong_step")
    status = main(["--root", str(tmp_path), "list"])
    out, err = capsys.readouterr()
    assert status == 0
    assert out.split() == ["wrong_step", "failed", "A", "broken", "derivation"]
    assert "wrong step in derivation 'broken', step 2" in err

    (folder / "wrong_step.py").unlink()
    lonely = HEADER.replace('Derivation("broken", __doc__)', 'Derivation("lonely", __doc__, uses=["absent"])')
    (folder / "lonely.py").write_text(lonely + "d.start(exp(z))\nd.step(exp(z), 'nothing')\n")
    status = main(["--root", str(tmp_path), "check"])
    out, err = capsys.readouterr()
    assert status == 1
    assert f"{folder}: the derivations do not fit together: lonely uses unknown derivation(s) absent" in err
