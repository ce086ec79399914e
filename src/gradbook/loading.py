"""Loading derivation scripts for the command line, turning every way a script can fail into a report.

:func:`gradbook.registry.load_script` lets exceptions through, which is right for the site build
and the tests. The command line must instead go on after a failure and, at the end, explain each
one in a paragraph a reader can act on: which file and line, which derivation, which step, and
what went wrong (a wrong step with its counterexample, an undeclared symbol, a step that cannot be
evaluated, a syntax error, any other exception), never a traceback from deep inside SymPy.

A script is run here as it is by :func:`runpy.run_path` (with a run name other than
``__main__``), but in a module namespace this module keeps, so that after an exception the
derivations the script had built so far are still there to say which one was being written.
Results are cached by file content: the tests and the commands that load the same scripts
several times in one process check each step only once.

A script that runs to its end can still fail: a derivation refuses a wrong step even when the
script catches the exception, and a derivation with no checked step proves nothing
(:meth:`Derivation.errors`). Running a script here shares the process with whatever loads it;
``gradbook check`` runs each script in a fresh process instead (:mod:`gradbook.worker`).
"""

from __future__ import annotations

import ast
import hashlib
import sys
import time
import traceback
import types
from dataclasses import dataclass, field, replace
from pathlib import Path

from gradbook.derivation import Derivation
from gradbook.errors import (
    DerivationError,
    GradbookError,
    StepNotEquivalentError,
    StepNotEvaluableError,
)

#: The methods of ``Derivation`` that add a step; an exception inside one is about that step.
STEP_METHODS = frozenset({"start", "step"})


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


_cache: dict[Path, tuple[str, Loaded]] = {}


def load(path: Path) -> Loaded:
    """Run the script at ``path`` once per content; every exception becomes a :class:`Failure`."""
    key = path.resolve()
    digest = _digest(path)
    cached = _cache.get(key)
    if cached is None or cached[0] != digest:
        cached = (digest, run_script(path))
        _cache[key] = cached
    return cached[1]


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def run_script(path: Path, *, catch_interrupts: bool = False) -> Loaded:
    """Run ``path`` as a derivation script and collect its derivations (uncached).

    A ``KeyboardInterrupt`` is the user's Ctrl-C here and goes through, unless
    ``catch_interrupts``: in a worker process of its own, only the script can raise one.
    """
    caught = BaseException if catch_interrupts else (Exception, SystemExit)
    started = time.perf_counter()
    loaded = Loaded(path)
    module = types.ModuleType(f"gradbook_derivation_{path.stem}")
    module.__file__ = str(path)
    try:
        code = compile(path.read_bytes(), str(path), "exec")
        _execute(code, module)
        loaded.derivations = [v for v in vars(module).values() if isinstance(v, Derivation)]
        for derivation in loaded.derivations:
            derivation.source = derivation.source or path
        if not loaded.derivations:
            raise DerivationError("the script builds no Derivation")
        loaded.failure = first_recorded_failure(loaded.derivations, path, vars(module))
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


def describe_exception(error: BaseException, path: Path, namespace: dict[str, object]) -> Failure:
    """The :class:`Failure` for ``error``, raised while running the script at ``path``."""
    if isinstance(error, SyntaxError) and error.filename == str(path):
        return Failure(path, "syntax error", f"{error.msg}: {(error.text or '').strip()}", error.lineno)
    frames = [frame for frame, _ in traceback.walk_tb(error.__traceback__)]
    line = _script_line(error, path)
    derivation, step, justification = _step_in_progress(frames)
    after_step = None
    if derivation is None:
        built = [v for v in namespace.values() if isinstance(v, Derivation)]
        if built:
            derivation = built[-1]
            after_step = len(derivation.steps) or None
    name = derivation.name if derivation is not None else None
    kind, detail = _kind_and_detail(error, name)
    return Failure(path, kind, detail, line, name, step, justification, after_step)


def _script_line(error: BaseException, path: Path) -> int | None:
    """The line of the script that was running: the innermost frame in that file."""
    target = str(path)
    line = None
    for frame, lineno in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_filename == target:
            line = lineno
    return line


def _step_in_progress(frames: list[types.FrameType]) -> tuple[Derivation | None, int | None, str | None]:
    """The derivation, number and justification of the step whose checking raised, if any."""
    for frame in frames:
        owner = frame.f_locals.get("self")
        if isinstance(owner, Derivation) and frame.f_code.co_name in STEP_METHODS:
            justification = frame.f_locals.get("justification")
            text = justification if isinstance(justification, str) else None
            # The step's own number when it has one: a caught error may be followed by more steps.
            number = frame.f_locals.get("number")
            return owner, number if isinstance(number, int) else len(owner.steps) + 1, text
    for frame in frames:
        owner = frame.f_locals.get("self")
        if isinstance(owner, Derivation):
            return owner, None, None
    return None, None, None


def _kind_and_detail(error: BaseException, name: str | None) -> tuple[str, str]:
    """A short name of what went wrong, and the details without repeating where."""
    if isinstance(error, StepNotEquivalentError):
        return "wrong step", f"it {error.detail}"
    if isinstance(error, StepNotEvaluableError):
        cause = error.__cause__ if error.__cause__ is not None else error
        return "step cannot be evaluated", f"{cause}"
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
