"""The corpus of wrong and true derivation scripts: the yardstick of the step checker.

Each script in ``tests/corpus/wrong`` makes one mistake (clipping, a size or switch point where
it shows, a tiny value, a shape, an index, a classic slip) and names in ``WRONG_STEP`` the step
that makes it. The checker must refuse that step, not an earlier one, and refuse it for its
mathematics (a step that does not follow, or cannot be evaluated), not for how the script is
written. Each script in ``tests/corpus/true`` is right at every step but sets a trap (heavy
cancellation, astronomically large or tiny values, a switch point, a domain, a free index); every
step must be accepted.

Every script runs in a forked child process with a time limit: a step whose values are
astronomically large can exhaust memory or hang the checker, and such a script must fail its own
test instead of stopping the run. The children run two at a time, the machine's core count.
"""

from __future__ import annotations

import ast
import json
import os
import select
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from gradbook.scripts import run_script

#: JAX, an optional library the functions are tested on, warns at every fork of a process that
#: has imported it, whatever the child does; the scripts forked here never use it.
pytestmark = pytest.mark.filterwarnings(r"ignore:os.fork\(\) was called:RuntimeWarning")

CORPUS = Path(__file__).resolve().parent / "corpus"
WRONG = sorted((CORPUS / "wrong").glob("*.py"))
TRUE = sorted((CORPUS / "true").glob("*.py"))
SECONDS_PER_SCRIPT = 120.0
WORKERS = 2
#: The failure kinds of gradbook.scripts that mean "the mathematics of this step is wrong".
REFUSALS = frozenset({"wrong step", "step cannot be evaluated"})

#: Mistakes that show only where free indices coincide or differ: checked under other names too,
#: because the points a checker samples must not depend on what a derivation is called.
INDEX_MISTAKES = [
    "softmax_jacobian_without_delta",
    "softmax_jacobian_without_delta_c",
    "weight_gradient_feature_index_j",
    "kronecker_sum_keeps_summed_index",
    "softmax_gradient_index_swapped",
]
OTHER_NAMES = ["renamed", "gradient_check", "x"]


@dataclass(frozen=True)
class Verdict:
    """What running one script decided: the failure (kind, step, description), if any."""

    kind: str | None
    step: int | None
    description: str
    checked_steps: int
    errors: tuple[str, ...]
    seconds: float


def verdict_of(path: Path) -> Verdict:
    """Run ``path`` in this process and summarise the outcome."""
    loaded = run_script(path)
    failure = loaded.failure
    steps = [step for d in loaded.derivations for step in d.steps]
    return Verdict(
        kind=failure.kind if failure else None,
        step=failure.step if failure else None,
        description=failure.describe() if failure else "",
        checked_steps=sum(step.verification is not None for step in steps),
        errors=tuple(str(error) for d in loaded.derivations for error in d.errors()),
        seconds=loaded.seconds,
    )


@dataclass
class Child:
    """A forked process running one script, and the bytes it has reported so far."""

    path: Path
    pid: int
    pipe: int
    deadline: float
    started: float
    received: bytes = b""


def start_child(path: Path) -> Child:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _report_and_exit(path, write_end)
    os.close(write_end)
    now = time.monotonic()
    return Child(path, pid, read_end, now + SECONDS_PER_SCRIPT, now)


def _report_and_exit(path: Path, pipe: int) -> None:
    """In the child: write the verdict as JSON to ``pipe`` and leave without pytest's teardown."""
    try:
        payload = verdict_of(path).__dict__
    except BaseException as error:  # the child must always report and exit
        payload = Verdict("crash of the child", None, repr(error), 0, (), 0.0).__dict__
    with os.fdopen(pipe, "wb") as out:
        out.write(json.dumps(payload).encode())
    os._exit(0)


def finish_child(child: Child, timed_out: bool) -> Verdict:
    if timed_out:
        os.kill(child.pid, signal.SIGKILL)
    os.waitpid(child.pid, 0)
    os.close(child.pipe)
    if timed_out:
        detail = f"no verdict within {SECONDS_PER_SCRIPT:.0f} s"
        return Verdict("timeout", None, detail, 0, (), SECONDS_PER_SCRIPT)
    if not child.received:
        return Verdict("crash of the child", None, "the child process reported nothing", 0, (), 0.0)
    data = json.loads(child.received)
    data["errors"] = tuple(data["errors"])
    return Verdict(**data)


def run_isolated(paths: list[Path], workers: int = WORKERS) -> dict[Path, Verdict]:
    """Run every script in its own child, ``workers`` at a time, each with a time limit."""
    waiting, running, verdicts = list(paths), {}, {}
    while waiting or running:
        while waiting and len(running) < workers:
            child = start_child(waiting.pop(0))
            running[child.pipe] = child
        timeout = max(0.0, min(child.deadline for child in running.values()) - time.monotonic())
        ready, _, _ = select.select(list(running), [], [], timeout)
        for pipe in ready:
            chunk = os.read(pipe, 1 << 16)
            if chunk:
                running[pipe].received += chunk
            else:
                child = running.pop(pipe)
                verdicts[child.path] = finish_child(child, timed_out=False)
        for pipe, child in list(running.items()):
            if time.monotonic() > child.deadline:
                del running[pipe]
                verdicts[child.path] = finish_child(child, timed_out=True)
    return verdicts


def module_constant(path: Path, name: str) -> object:
    """The literal value of the module-level ``name = ...`` in the script, read without running it."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise LookupError(f"{path.name} has no module-level {name}")


def derivation_names(path: Path) -> list[str]:
    """The names passed to ``Derivation(...)`` in the script."""
    calls = [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Derivation"]
    return [call.args[0].value for call in calls]


def renamed_copy(stem: str, name: str, folder: Path) -> Path:
    """The wrong script ``stem`` with its derivation renamed to ``name``, written in ``folder``."""
    source = CORPUS / "wrong" / f"{stem}.py"
    (old,) = derivation_names(source)
    text = source.read_text(encoding="utf-8").replace(f'Derivation("{old}"', f'Derivation("{name}"')
    target = folder / f"{stem}__{name}.py"
    target.write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def verdicts(request, tmp_path_factory) -> dict[Path, Verdict]:
    """The verdicts on every script the selected tests need, computed in parallel once."""
    folder = tmp_path_factory.mktemp("renamed")
    wanted: list[Path] = []
    for item in request.session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if item.module is not request.module:
            continue
        if "path" in params:
            wanted.append(params["path"])
        elif "stem" in params:
            wanted.append(renamed_copy(params["stem"], params["name"], folder))
    found = run_isolated(wanted)
    found["renamed folder"] = folder
    return found


def refusal_problem(verdict: Verdict, expected_step: int) -> str | None:
    """Why ``verdict`` is not a refusal of step ``expected_step``, or None if it is."""
    if verdict.kind is None:
        return f"every step was accepted; step {expected_step} is wrong"
    if verdict.kind not in REFUSALS:
        return f"refused for another reason: {verdict.description}"
    if verdict.step != expected_step:
        return f"refused at step {verdict.step}, not at step {expected_step}: {verdict.description}"
    return None


@pytest.mark.parametrize("path", WRONG, ids=lambda path: path.stem)
def test_a_wrong_step_is_refused_where_it_is_wrong(path, verdicts):
    problem = refusal_problem(verdicts[path], module_constant(path, "WRONG_STEP"))
    assert problem is None, f"{path.name}: {problem}"


@pytest.mark.parametrize("stem", INDEX_MISTAKES)
@pytest.mark.parametrize("name", OTHER_NAMES)
def test_the_refusal_does_not_depend_on_the_name(stem, name, verdicts):
    path = verdicts["renamed folder"] / f"{stem}__{name}.py"
    expected = module_constant(CORPUS / "wrong" / f"{stem}.py", "WRONG_STEP")
    problem = refusal_problem(verdicts[path], expected)
    assert problem is None, f"{stem} renamed to {name!r}: {problem}"


@pytest.mark.parametrize("path", TRUE, ids=lambda path: path.stem)
def test_every_step_of_a_true_derivation_is_accepted(path, verdicts):
    verdict = verdicts[path]
    assert verdict.kind is None, f"{path.name}: {verdict.description}"
    assert verdict.errors == ()
    assert verdict.checked_steps >= 1


def test_the_corpus_is_large_and_every_script_says_what_it_is():
    assert len(WRONG) >= 50 and len(TRUE) >= 30
    for path in WRONG + TRUE:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc and doc.strip().splitlines()[0].strip(), f"{path.name} needs a docstring title"
    for path in WRONG:
        step = module_constant(path, "WRONG_STEP")
        assert isinstance(step, int) and step >= 2, f"{path.name}: WRONG_STEP must be a step after the start"


def test_derivation_names_are_unique_across_the_corpus():
    names = [name for path in WRONG + TRUE for name in derivation_names(path)]
    assert len(names) == len(set(names))
    assert all(derivation_names(path) for path in WRONG + TRUE)


def test_the_index_mistakes_are_corpus_scripts():
    for stem in INDEX_MISTAKES:
        assert (CORPUS / "wrong" / f"{stem}.py").exists()
