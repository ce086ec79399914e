"""Derivation scripts: finding them, loading them once, and reporting how they fail.

A derivation script is a plain Python file that builds a :class:`~gradbook.derivation.Derivation`
at module level (so ``python derivations/x.py`` works on its own). This module is the one loader
of such scripts, for the command line, the site build and the tests.

**Loading checks once.** :func:`load` gets the script's verdict from a worker that checked it in a
fresh process (:mod:`gradbook.worker`), or from the verdicts that workers kept on disk
(:mod:`gradbook.verdicts`), and then *replays* the script here: it runs again, and each step takes
its verification from the verdict once its expressions are confirmed to be the ones checked. A
verdict therefore never comes from a script run in a shared process, where it could have changed
the checker. Within a process, each content of a script is loaded once.

**Every way a script can fail becomes a report.** The command line must go on after a failure
and, at the end, explain each one in a paragraph a reader can act on: which file and line, which
derivation, which step, and what went wrong (a wrong step with its counterexample, an undeclared
symbol, a step that cannot be evaluated, a syntax error, any other exception), never a traceback
from deep inside SymPy. The line is the script's innermost frame in the exception's traceback;
the step is the one the derivation records as interrupted by that exception
(:attr:`Derivation.interrupted`).

A script that runs to its end can still fail: a derivation refuses a wrong step even when the
script catches the exception, and a derivation with no checked step proves nothing
(:meth:`Derivation.errors`).

The engine (SymPy) is imported only to run a script: the command line reads reports and
verdicts through this module without it.
"""

from __future__ import annotations

import ast
import hashlib
import sys
import time
import traceback
import types
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import TYPE_CHECKING

from gradbook import verdicts
from gradbook.errors import (
    DerivationError,
    GradbookError,
    StepNotEquivalentError,
    StepNotEvaluableError,
)

if TYPE_CHECKING:
    from gradbook.derivation import Derivation
    from gradbook.worker import ScriptReport

DERIVATIONS_DIR = Path("derivations")


def script_paths(directory: Path = DERIVATIONS_DIR) -> list[Path]:
    """Every derivation script in ``directory``, by name."""
    return sorted(path for path in directory.glob("*.py") if not path.name.startswith("_"))


@dataclass(frozen=True)
class Failure:
    """Why a derivation script failed, with enough context to find the place at once.

    ``step`` and ``justification`` describe the step being added when the error happened;
    ``after_step`` is the last step accepted when the error happened outside any step.
    """

    path: Path
    kind: str
    detail: str
    line: int | None = None
    derivation: str | None = None
    step: int | None = None
    justification: str | None = None
    after_step: int | None = None

    def describe(self) -> str:
        """The failure as one paragraph: where, then what."""
        where = f"{self.path}, line {self.line}" if self.line is not None else str(self.path)
        parts = [f"{where}: {self.kind}"]
        if self.derivation is not None:
            parts.append(f" in derivation {self.derivation!r}")
        if self.step is not None:
            parts.append(f", step {self.step}")
            if self.justification:
                parts.append(f" ({self.justification!r})")
        elif self.after_step is not None:
            parts.append(f", after step {self.after_step}")
        return "".join(parts) + f": {self.detail}"


class ScriptOutcome:
    """What every outcome of running a script says about it: ok, its name and its title.

    Shared by the in-process :class:`Loaded` and the worker's report; both have ``path``,
    ``derivations`` (each with ``name`` and ``title``) and ``failure``.
    """

    path: Path
    failure: Failure | None

    @property
    def ok(self) -> bool:
        return self.failure is None

    @property
    def name(self) -> str:
        """The derivation's name, or the file's stem if the script built none or several."""
        if len(self.derivations) == 1:
            return self.derivations[0].name
        return self.path.stem

    @property
    def title(self) -> str:
        """The derivations' titles, else the first line of the file's docstring, if it parses."""
        if self.derivations:
            return "; ".join(d.title for d in self.derivations)
        return script_title(self.path)


@dataclass
class Loaded(ScriptOutcome):
    """The outcome of running one script: its derivations, or the failure that stopped it."""

    path: Path
    derivations: list[Derivation] = field(default_factory=list)
    failure: Failure | None = None
    seconds: float = 0.0


# -- the one loader ------------------------------------------------------------------------------

_loaded: dict[tuple[Path, str], Loaded] = {}


def load(path: Path) -> Loaded:
    """The script at ``path``, checked once per content; every exception becomes a :class:`Failure`."""
    return load_outcomes([path])[0]


def load_outcomes(paths: Iterable[Path]) -> list[Loaded]:
    """The scripts at ``paths``, each checked once per content, in the order given.

    Each verdict comes from the cache on disk or from a worker that checks the script now (the
    scripts not loaded yet are checked side by side). A failing verdict is the outcome as it is,
    without running the script here; a passing one is replayed (see the module docstring).
    """
    from gradbook.worker import WorkerPool

    paths = list(paths)
    keys = {path: (path.resolve(), _digest(path)) for path in paths}
    outcomes = {key: _loaded[key] for key in keys.values() if key in _loaded}
    missing = {key: path for path, key in keys.items() if key not in outcomes}
    if missing:
        with WorkerPool() as pool:
            pending = [(key, path, pool.submit(path)) for key, path in missing.items()]
            for key, path, report in pending:
                outcomes[key] = replay(path, report.result())
                if report.result().is_verdict:  # not a worker stopped or killed: try that again
                    _loaded[key] = outcomes[key]
    return [outcomes[keys[path]] for path in paths]


def load_all(directory: Path = DERIVATIONS_DIR) -> list[Derivation]:
    """Every derivation in ``directory``, each after those it uses; see :func:`load_scripts`."""
    return in_dependency_order(load_scripts(script_paths(directory)))


def load_scripts(paths: Iterable[Path]) -> list[Derivation]:
    """The derivations of the scripts at ``paths``, in that order; see :func:`load_outcomes`.

    Any failure raises a :class:`ScriptError` that describes them all.
    """
    outcomes = load_outcomes(paths)
    failures = [outcome.failure for outcome in outcomes if outcome.failure is not None]
    if failures:
        raise ScriptError(failures)
    return [d for outcome in outcomes for d in outcome.derivations]


def load_derivations(path: Path) -> list[Derivation]:
    """The derivations of one script; :class:`ScriptError` if it fails."""
    loaded = load(path)
    if loaded.failure is not None:
        raise ScriptError([loaded.failure])
    return loaded.derivations


class ScriptError(GradbookError):
    """Derivation scripts that could not be loaded; the message describes each failure."""

    def __init__(self, failures: list[Failure]) -> None:
        self.failures = failures
        count = f"{len(failures)} derivation script(s) failed"
        super().__init__(count + ":\n  " + "\n  ".join(failure.describe() for failure in failures))


def replay(path: Path, report: ScriptReport) -> Loaded:
    """The script at ``path`` run again, each step verified by the checks ``report`` recorded.

    A failing report is the outcome as it stands: the script is not run here at all.
    """
    if report.failure is not None:
        return Loaded(path, failure=report.failure, seconds=report.seconds)
    recorded = verdicts.Replay({d.name: [asdict(check) for check in d.checks] for d in report.derivations})
    with verdicts.replay(recorded):
        loaded = run_script(path)
    if loaded.ok and sorted(d.name for d in loaded.derivations) != sorted(d.name for d in report.derivations):
        detail = "the script builds other derivations than the ones that were checked"
        loaded.failure = Failure(path, "verdict refused", detail)
    return loaded


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


# -- running a script in this process ---------------------------------------------------------


def run_script(path: Path, *, catch_interrupts: bool = False) -> Loaded:
    """Run ``path`` as a derivation script in this process and collect its derivations.

    Its steps are checked here, unless a verdict is being replayed (:func:`replay`): this is
    what a worker runs, and what the tests of the checker run on scripts of their own. A
    ``KeyboardInterrupt`` is the user's Ctrl-C here and goes through, unless
    ``catch_interrupts``: in a worker process of its own, only the script can raise one.
    """
    from gradbook.derivation import Derivation, recording_derivations

    caught = BaseException if catch_interrupts else (Exception, SystemExit)
    started = time.perf_counter()
    loaded = Loaded(path)
    module = types.ModuleType(f"gradbook_derivation_{path.stem}")
    module.__file__ = str(path)
    try:
        code = compile(path.read_bytes(), str(path), "exec")
        with recording_derivations() as recording:
            _execute(code, module)
        loaded.derivations = [v for v in vars(module).values() if isinstance(v, Derivation)]
        for derivation in loaded.derivations:
            derivation.source = derivation.source or path
        if not loaded.derivations:
            raise DerivationError("the script builds no Derivation")
        # Every derivation the script built counts, not only those it keeps at module level, and
        # every refusal, also one the script removed from its derivation's failures.
        for derivation, error in recording.failures:
            if error not in derivation.failures:
                derivation.failures.append(error)
        built = loaded.derivations + [d for d in recording.built if d not in loaded.derivations]
        loaded.failure = first_recorded_failure(built, path, vars(module))
    except caught as error:
        loaded.failure = describe_exception(error, path, vars(module))
    loaded.seconds = time.perf_counter() - started
    return loaded


def first_recorded_failure(
    derivations: list[Derivation], path: Path, namespace: dict[str, object]
) -> Failure | None:
    """The first error a derivation recorded (a refused step, no checked step), if any.

    A script that catches a :class:`StepNotEquivalentError` has still written a wrong step;
    the derivation kept the error, and this turns it into the script's failure.
    """
    for derivation in derivations:
        errors = derivation.errors()
        if errors:
            return describe_recorded(errors[0], derivation, path, namespace)
    return None


def describe_recorded(
    error: GradbookError, derivation: Derivation, path: Path, namespace: dict[str, object]
) -> Failure:
    """The :class:`Failure` for an error ``derivation`` recorded, whether or not it was raised."""
    failure = describe_exception(error, path, namespace)
    if failure.derivation != derivation.name:
        failure = replace(failure, derivation=derivation.name, after_step=None)
    if isinstance(error, StepNotEquivalentError):
        failure = replace(failure, step=error.step_number, justification=error.justification)
    return failure


def _execute(code: types.CodeType, module: types.ModuleType) -> None:
    """Execute ``code`` in ``module``, registered in ``sys.modules`` while it runs.

    runpy does the same, so that code in the script that looks its own module up
    (dataclasses, pickling) works.
    """
    name = module.__name__
    previous = sys.modules.get(name)
    sys.modules[name] = module
    try:
        exec(code, vars(module))
    finally:
        if previous is None:
            sys.modules.pop(name, None)
        else:
            sys.modules[name] = previous


# -- describing a failure ---------------------------------------------------------------------


def describe_exception(error: BaseException, path: Path, namespace: dict[str, object]) -> Failure:
    """The :class:`Failure` for ``error``, raised while running the script at ``path``."""
    from gradbook.derivation import Derivation

    if isinstance(error, SyntaxError) and error.filename == str(path):
        return Failure(path, "syntax error", f"{error.msg}: {(error.text or '').strip()}", error.lineno)
    built = [v for v in namespace.values() if isinstance(v, Derivation)]
    derivation, step, justification, after_step = None, None, None, None
    interrupted = [d for d in built if d.interrupted is not None and d.interrupted.error is error]
    if interrupted:
        derivation = interrupted[0]
        step, justification = derivation.interrupted.number, derivation.interrupted.justification
    elif built:
        derivation = built[-1]
        after_step = len(derivation.steps) or None
    name = derivation.name if derivation is not None else None
    kind, detail = _kind_and_detail(error, name)
    return Failure(path, kind, detail, _script_line(error, path), name, step, justification, after_step)


def _script_line(error: BaseException, path: Path) -> int | None:
    """The line of the script that was running: the innermost frame in that file."""
    target = str(path)
    line = None
    for frame, lineno in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_filename == target:
            line = lineno
    return line


def _kind_and_detail(error: BaseException, name: str | None) -> tuple[str, str]:
    """A short name of what went wrong, and the details without repeating where."""
    if isinstance(error, StepNotEquivalentError):
        return "wrong step", f"it {error.detail}"
    if isinstance(error, StepNotEvaluableError):
        cause = error.__cause__ if error.__cause__ is not None else error
        return "step cannot be evaluated", f"{cause}"
    if isinstance(error, verdicts.StaleVerdictError):
        return "verdict refused", f"{error}".removeprefix(f"{name}: ")
    if isinstance(error, DerivationError):
        message = str(error)
        if name is not None:
            message = message.removeprefix(f"{name}: ")
        return "malformed derivation", message
    if isinstance(error, SystemExit):
        return "the script exited", f"SystemExit({error.code!r})"
    if isinstance(error, KeyboardInterrupt):
        return "the script raised KeyboardInterrupt", "a derivation script must not stop the check"
    return "error while running the script", f"{type(error).__name__}: {error}"


def script_title(path: Path) -> str:
    """The first line of the script's docstring, or "" if it has none or does not parse."""
    try:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    except (OSError, SyntaxError, ValueError):
        return ""
    return doc.strip().splitlines()[0].strip().rstrip(".") if doc and doc.strip() else ""


# -- how the derivations fit together ---------------------------------------------------------


def in_dependency_order(derivations: list[Derivation]) -> list[Derivation]:
    """``derivations``, each after those it ``uses``; DerivationError on a duplicate, unknown or cycle.

    Only ``name`` and ``uses`` are read, so a worker's summaries can be ordered too.
    """
    by_name = {d.name: d for d in derivations}
    if len(by_name) != len(derivations):
        raise DerivationError("two derivation scripts use the same derivation name")
    for d in derivations:
        unknown = [name for name in d.uses if name not in by_name]
        if unknown:
            raise DerivationError(f"{d.name} uses unknown derivation(s) {', '.join(unknown)}")
    graph = {d.name: set(d.uses) for d in sorted(derivations, key=lambda d: d.name)}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        raise DerivationError(f"derivations use each other in a cycle: {error.args[1]}") from error
    return [by_name[name] for name in order]
