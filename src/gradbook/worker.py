"""Checking each derivation script in a fresh Python process of its own.

A derivation script is ordinary Python. Run in the checker's process, it could change the
checker for the scripts after it (``gradbook.checking.TOLERANCE = 1``), hang the whole run,
end it (``os._exit``) or interrupt it. So the command line runs every script in a *worker*:

    python -m gradbook.worker SCRIPT --report FILE [--render text|json|latex]

The worker runs the script with :func:`gradbook.scripts.run_script`, writes a JSON
:class:`ScriptReport` to FILE (never to stdout, which belongs to the script), keeps it as the
script's verdict in the cache (:mod:`gradbook.verdicts`) and ends at once. Only a worker writes
verdicts. The parent reads a verdict from the cache instead of starting a worker, unless asked
for a fresh check.
The parent (:class:`WorkerPool`) gives each worker a time limit, its own process group (so a
timeout also stops what the script started), ``PYTHONHASHSEED=0`` (the same verdicts on every
run) and no terminal: what the script prints is dropped, except the end of stderr. A worker
that ends without a readable report is itself the script's failure. Both halves of that
exchange are in this module.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from gradbook import verdicts
from gradbook.scripts import Failure, Loaded, ScriptOutcome, run_script

if TYPE_CHECKING:
    from gradbook.derivation import Derivation, Step

#: The time one script may take, start-up included, unless ``--timeout`` says otherwise.
DEFAULT_TIMEOUT = 120.0
#: The forms a worker can render its derivations in: ``gradbook derive`` and ``export``.
RENDERINGS = ("text", "json", "latex")
#: Bumped when the report's fields change, so that a stale worker is noticed.
REPORT_VERSION = 2


def default_jobs() -> int:
    """Workers run side by side by default: at most two, at most one per processor."""
    return min(2, os.cpu_count() or 1)


# -- what a worker reports ----------------------------------------------------------------------


@dataclass(frozen=True)
class StepCheck:
    """How one step was verified: a line of ``gradbook check --verbose``, and a verdict to replay.

    ``before`` and ``after`` are digests of the two expressions compared
    (:func:`gradbook.verdicts.expression_digest`) and ``verification`` the fields of the
    :class:`~gradbook.checking.Verification`.
    """

    number: int
    seconds: float
    summary: str
    justification: str
    before: str
    after: str
    verification: dict[str, Any]


@dataclass(frozen=True)
class DerivationSummary:
    """What the command line needs of a checked derivation, without its SymPy objects.

    ``uses`` lets the parent check that the derivations fit together; ``rendered`` is the
    derivation as text, JSON or LaTeX when the worker was asked for it.
    """

    name: str
    title: str
    uses: tuple[str, ...]
    steps: int
    proved: int
    checks: tuple[StepCheck, ...]
    rendered: str | None = None


@dataclass(frozen=True)
class ScriptReport(ScriptOutcome):
    """The outcome of one script: its derivations, or why it failed; ``seconds`` is wall time.

    ``is_verdict`` says that a worker ran the script to the end and wrote this report (not so
    for a worker that was stopped, timed out or crashed); ``cached`` that it was read from the
    cache of verdicts rather than checked now.
    """

    path: Path
    derivations: tuple[DerivationSummary, ...] = ()
    failure: Failure | None = None
    seconds: float = 0.0
    is_verdict: bool = False
    cached: bool = False


def summarize(loaded: Loaded, render: str | None = None) -> ScriptReport:
    """The report of a script loaded in this process; ``render`` one of :data:`RENDERINGS`."""
    derivations = () if not loaded.ok else tuple(
        _summarize_derivation(d, render) for d in loaded.derivations
    )
    return ScriptReport(loaded.path, derivations, loaded.failure, loaded.seconds, is_verdict=True)


def _summarize_derivation(derivation: Derivation, render: str | None) -> DerivationSummary:
    checks = tuple(
        _step_check(before, step)
        for chain in derivation.chains
        for before, step in zip(chain.steps, chain.steps[1:], strict=False)
        if step.verification is not None
    )
    proved = sum(step.verification.proved for step in derivation.steps if step.verification is not None)
    return DerivationSummary(
        derivation.name, derivation.title, tuple(derivation.uses), len(checks), proved, checks,
        _render(derivation, render),
    )


def _step_check(before: Step, step: Step) -> StepCheck:
    verification = step.verification
    return StepCheck(
        step.number, verification.seconds, verification.summary, step.justification,
        verdicts.expression_digest(before.expr), verdicts.expression_digest(step.expr),
        asdict(verification),
    )


def _render(derivation: Derivation, form: str | None) -> str | None:
    if form is None:
        return None
    from gradbook.export import to_json, to_latex_document
    from gradbook.terminal import format_derivation

    renderers = {"text": format_derivation, "json": to_json, "latex": to_latex_document}
    return renderers[form](derivation)


def every_rendering(loaded: Loaded) -> dict[str, list[str | None]]:
    """The script's derivations in each form of :data:`RENDERINGS` (none if it failed)."""
    if not loaded.ok:
        return {}
    return {form: [_render(d, form) for d in loaded.derivations] for form in RENDERINGS}


def report_to_json(report: ScriptReport) -> str:
    return json.dumps({"version": REPORT_VERSION, "report": report_document(report)})


def report_document(report: ScriptReport) -> dict[str, Any]:
    """The report as JSON data (paths as text)."""
    document = asdict(report)
    document["path"] = str(report.path)
    if report.failure is not None:
        document["failure"]["path"] = str(report.failure.path)
    return document


def report_from_json(text: str, path: Path, seconds: float) -> ScriptReport:
    """The report a worker wrote about ``path``; ``seconds`` is the wall time the parent saw.

    Raises ``ValueError`` (``json.JSONDecodeError`` among them), ``KeyError`` or ``TypeError``
    when the text is not a report of this version.
    """
    document = json.loads(text)
    if document.get("version") != REPORT_VERSION:
        raise ValueError(f"report version {document.get('version')!r}, expected {REPORT_VERSION}")
    return report_from_document(document["report"], path, seconds)


def report_from_document(
    fields: dict[str, Any], path: Path, seconds: float, cached: bool = False
) -> ScriptReport:
    """The report held by ``fields`` (see :func:`report_document`), about the script at ``path``."""
    failure = fields["failure"]
    return ScriptReport(
        path=path,
        derivations=tuple(_derivation_from_json(d) for d in fields["derivations"]),
        failure=None if failure is None else Failure(**{**failure, "path": path}),
        seconds=seconds,
        is_verdict=fields["is_verdict"],
        cached=cached,
    )


def _derivation_from_json(fields: dict) -> DerivationSummary:
    return DerivationSummary(
        name=fields["name"], title=fields["title"], uses=tuple(fields["uses"]),
        steps=fields["steps"], proved=fields["proved"],
        checks=tuple(StepCheck(**check) for check in fields["checks"]),
        rendered=fields["rendered"],
    )


# -- verdicts kept on disk ----------------------------------------------------------------------


def keep_verdict(report: ScriptReport, content: bytes, renderings: dict[str, list[str | None]]) -> None:
    """Store a worker's report as the verdict on the script with ``content``.

    Its renderings in every form of :data:`RENDERINGS` are kept beside it (they cost a fraction
    of a second against the seconds of the check), so that ``gradbook derive`` and ``export``
    need no worker once the script has been checked, whatever form they ask for.
    """
    document = report_document(report)
    for derivation in document["derivations"]:
        derivation["rendered"] = None
    verdicts.write_verdict(report.path, content, {"report": document, "renderings": renderings})


def kept_report(path: Path, content: bytes, render: str | None) -> ScriptReport | None:
    """The verdict on ``path`` kept in the cache, rendered as asked, or None if there is none."""
    kept = verdicts.read_verdict(path, content)
    if kept is None:
        return None
    fields = kept["report"]
    if render is not None:
        rendered = kept.get("renderings", {}).get(render)
        if rendered is None or len(rendered) != len(fields["derivations"]):
            return None
        fields = {**fields, "derivations": [
            {**d, "rendered": text} for d, text in zip(fields["derivations"], rendered, strict=True)
        ]}
    try:
        return report_from_document(fields, path, 0.0, cached=True)
    except (KeyError, TypeError):
        return None


# -- the worker: python -m gradbook.worker SCRIPT --report FILE ------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    """Check one script, write its report, and end the process without running exit handlers.

    ``os._exit`` because nothing the script left behind (a non-daemon thread, an ``atexit``
    hook) may keep the worker alive or change its status once the report is written.
    """
    arguments = _worker_parser().parse_args(argv)
    script = Path(arguments.script)
    content = _read(script)  # before the script runs: the verdict is on what was checked
    loaded = run_script(script, catch_interrupts=True)
    summary = summarize(loaded, arguments.render)
    report = Path(arguments.report)
    partial = report.with_name(report.name + ".partial")
    partial.write_text(report_to_json(summary), encoding="utf-8")
    partial.replace(report)  # all or nothing: a killed worker leaves no half report
    if content is not None:
        keep_verdict(summary, content, every_rendering(loaded))
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _worker_parser() -> argparse.ArgumentParser:
    worker = argparse.ArgumentParser(prog="python -m gradbook.worker", description=__doc__.split("\n")[0])
    worker.add_argument("script", help="the derivation script to check")
    worker.add_argument("--report", required=True, help="where to write the JSON report")
    worker.add_argument("--render", choices=RENDERINGS, help="also render the derivations")
    return worker


# -- the parent: running workers ----------------------------------------------------------------


class WorkerPool:
    """Runs up to ``jobs`` workers at a time, each with ``timeout`` seconds; a context manager.

    Leaving the ``with`` block early (Ctrl-C, an error) stops every worker still running.
    A script with a verdict in the cache (:mod:`gradbook.verdicts`) starts no worker, unless
    ``fresh``.
    """

    def __init__(
        self, jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT, fresh: bool = False
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
        jobs = default_jobs() if jobs is None else jobs
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, got {jobs!r}")
        self.timeout = timeout
        self.fresh = fresh
        self._executor = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="gradbook-worker")
        self._running: set[subprocess.Popen] = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._folder = tempfile.TemporaryDirectory(prefix="gradbook-check-")

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info) -> None:
        self._stopping.set()
        self._executor.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            for process in self._running:
                _stop_group(process)
        self._executor.shutdown(wait=True)
        self._folder.cleanup()

    def submit(self, path: Path, render: str | None = None) -> Future[ScriptReport]:
        """Check ``path`` in a worker as soon as one is free; its report, in time."""
        return self._executor.submit(self.check, path, render)

    def check(self, path: Path, render: str | None = None) -> ScriptReport:
        """The verdict on ``path`` kept in the cache, else check it in a worker now and wait."""
        content = _read(path)
        if not self.fresh and content is not None:
            kept = kept_report(path, content, render)
            if kept is not None:
                return kept
        return self._run_worker(path, render)

    def _run_worker(self, path: Path, render: str | None) -> ScriptReport:
        """The script's report, written by the worker or saying why it wrote none."""
        folder = Path(tempfile.mkdtemp(prefix=f"{path.stem}-", dir=self._folder.name))
        report_file = folder / "report.json"
        command = [sys.executable, "-m", "gradbook.worker", str(path), "--report", str(report_file)]
        command += ["--render", render] if render else []
        started = time.perf_counter()
        with open(folder / "stderr", "wb") as err:
            process = self._start(command, err)
            if process is None:
                stopped = Failure(path, "not checked", "the check was stopped")
                return ScriptReport(path, failure=stopped)
            timed_out = self._wait(process)
        seconds = time.perf_counter() - started
        if timed_out:
            kind = f"timed out after {self.timeout:g} s"
            detail = "the worker was stopped, with every process the script had started"
            return ScriptReport(path, failure=Failure(path, kind, detail), seconds=seconds)
        try:
            return report_from_json(report_file.read_text(encoding="utf-8"), path, seconds)
        except (OSError, ValueError, KeyError, TypeError) as error:
            failure = _no_report(error, path, process.returncode, folder / "stderr")
            return ScriptReport(path, failure=failure, seconds=seconds)

    def _start(self, command: list[str], stderr: BinaryIO) -> subprocess.Popen | None:
        """Start a worker, unless the pool is being stopped; what the script prints is dropped.

        Its stderr is kept in a file, for the last words of a worker that crashes.
        """
        with self._lock:
            if self._stopping.is_set():
                return None
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
                env=worker_environment(), start_new_session=os.name == "posix",
            )
            self._running.add(process)
            return process

    def _wait(self, process: subprocess.Popen) -> bool:
        """Wait for ``process`` within the time limit; whether it had to be stopped."""
        try:
            process.wait(timeout=self.timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            timed_out = True
        with self._lock:
            _stop_group(process)  # on time too: what the script started must not outlive it
            self._running.discard(process)
        process.wait()
        return timed_out


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def worker_environment() -> dict[str, str]:
    """This process's environment, with hashing fixed and this copy of gradbook importable.

    A worker must check with the same gradbook as the command that started it, even when that
    one was found through ``sys.path`` rather than ``PYTHONPATH``.
    """
    environment = dict(os.environ)
    environment["PYTHONHASHSEED"] = "0"
    package_parent = str(Path(__file__).resolve().parent.parent)
    inherited = environment.get("PYTHONPATH")
    environment["PYTHONPATH"] = package_parent + (os.pathsep + inherited if inherited else "")
    return environment


def _stop_group(process: subprocess.Popen) -> None:
    """Kill ``process`` and everything in its process group (its session, on POSIX)."""
    if os.name == "posix":
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    elif process.poll() is None:
        process.kill()


def _no_report(error: Exception, path: Path, status: int, stderr: Path) -> Failure:
    """Why the worker for ``path`` gave no report: how it ended, and its last words."""
    if isinstance(error, FileNotFoundError):
        detail = f"{_how_it_ended(status)} before writing its report (os._exit, a crash or a kill)"
    else:
        detail = f"{_how_it_ended(status)}, and its report could not be read ({error})"
    last = _last_line(stderr)
    if last:
        detail += f"; the last line on stderr was: {last}"
    return Failure(path, "the worker ended without a report", detail)


def _how_it_ended(status: int) -> str:
    if status < 0:
        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = f"signal {-status}"
        return f"the worker was killed by {name}"
    return f"the worker exited with status {status}"


def _last_line(path: Path, limit: int = 300) -> str:
    """The last non-empty line of a file, shortened to ``limit`` characters."""
    try:
        with open(path, "rb") as file:
            file.seek(max(0, file.seek(0, os.SEEK_END) - 4096))
            lines = file.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return ""
    last = next((line.strip() for line in reversed(lines) if line.strip()), "")
    return last if len(last) <= limit else last[: limit - 1] + "…"


if __name__ == "__main__":
    main()
