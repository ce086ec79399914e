"""The ``gradbook`` command line: list, show, check and export derivations; generate; build the site.

It works in a book (:mod:`gradbook.book`), found from the current folder upwards or given by
``--root``; ``gradbook new`` makes one. Outside a book, ``list`` and ``derive`` show the
derivations shipped with gradbook, and the other commands say that they need a book.

Every command that loads derivation scripts runs each one in a fresh Python process of its own
(:mod:`gradbook.worker`), with a time limit, so that no script can change, stop or hang the
checking of another; a broken script is reported as one paragraph naming its file, derivation and
step (:mod:`gradbook.scripts`), and the other scripts are still checked. A script whose verdict
is kept on disk (:mod:`gradbook.verdicts`) is not checked again, and the output says so;
``--fresh`` checks it anyway.
Run ``gradbook --help`` or ``gradbook COMMAND --help``: neither imports SymPy (the engine is
imported by the commands that need it), so both answer at once.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gradbook import __version__, book
from gradbook.errors import GradbookError

if TYPE_CHECKING:
    from gradbook.scripts import Failure, Loaded
    from gradbook.worker import DerivationSummary, ScriptReport

DESCRIPTION = "Machine-checked derivations of machine-learning gradients."
#: ``--timeout`` unless given: the time one script may take, start-up included (the same as
#: gradbook.worker.DEFAULT_TIMEOUT, which is not imported here because it imports SymPy).
DEFAULT_TIMEOUT = 120.0


class UsageError(Exception):
    """A command line that names something that does not exist; exit status 2."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); the exit status."""
    arguments = parser().parse_args(argv)
    try:
        return arguments.run(arguments)
    except (UsageError, book.BookError) as error:
        print(f"gradbook: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # The workers were stopped on the way out (WorkerPool.__exit__).
        print("\ngradbook: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped reading (``gradbook derive x | head``): not an error.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stdout at exit
        return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="gradbook", description=DESCRIPTION)
    top.add_argument("--version", action="version", version=f"gradbook {__version__}")
    top.add_argument(
        "--root", type=Path, default=None,
        help="the book (a folder with derivations/, and mkdocs.yml for its site); found from the "
        "current folder upwards by default",
    )
    commands = top.add_subparsers(title="commands", required=True, metavar="COMMAND")
    new = _command(commands, "new", run_new, "make a new book: derivations, site config, a first derivation")
    new.add_argument("folder", type=Path, metavar="FOLDER", help="the book's folder (must not exist yet)")
    listing = _command(commands, "list", run_list, "list the derivations, their titles and check status")
    _worker_options(listing)

    derive = _command(commands, "derive", run_derive, "show the checked steps of a derivation")
    derive.add_argument("target", metavar="NAME|PATH", help="a derivation name or a script path")
    _worker_options(derive, jobs=False)

    check = _command(commands, "check", run_check, "check every step of derivations (all by default)")
    check.add_argument(
        "targets", metavar="NAME|PATH", nargs="*",
        help="derivation names (the book's, else shipped ones) or paths of derivation scripts",
    )
    check.add_argument("-v", "--verbose", action="store_true", help="also show each step's check")
    _worker_options(check)

    export = _command(commands, "export", run_export, "write a derivation's steps as JSON or LaTeX")
    export.add_argument("target", metavar="NAME|PATH", help="a derivation name or a script path")
    export.add_argument("--format", choices=("json", "latex"), default="json", help="default: json")
    export.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
    _worker_options(export, jobs=False)

    generate = _command(commands, "generate", run_generate, "regenerate src/gradbook/kernels.py")
    generate.add_argument(
        "--check", action="store_true", help="only report whether the file is up to date (exit 1 if not)"
    )
    generate.add_argument("--output", type=Path, default=None, help="write here instead (for testing)")

    build = _command(commands, "build", run_build, "generate the pages and build the site with MkDocs")
    build.add_argument("--strict", action="store_true", help="fail on MkDocs warnings")
    build.add_argument("-d", "--site-dir", type=Path, help="where to write the site (default: site/)")

    serve = _command(commands, "serve", run_serve, "serve the site, rebuilding on changes")
    serve.add_argument("-a", "--dev-addr", metavar="IP:PORT", help="default: 127.0.0.1:8000")
    return top


def _command(commands, name: str, run: Callable[[argparse.Namespace], int], help: str):
    command = commands.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".")
    command.set_defaults(run=run)
    return command


def _worker_options(command: argparse.ArgumentParser, jobs: bool = True) -> None:
    """``--timeout``, ``--fresh`` (and ``--jobs``) for a command that checks scripts in workers."""
    command.add_argument(
        "--timeout", type=positive_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
        help=f"stop a script that takes longer than this and report it (default: {DEFAULT_TIMEOUT:g})",
    )
    command.add_argument(
        "--fresh", action="store_true",
        help="check again in a worker, ignoring the verdicts kept in the cache (and keep the new ones)",
    )
    if jobs:
        command.add_argument(
            "-j", "--jobs", type=positive_count, default=None, metavar="N",
            help="check up to N scripts at a time (default: 2, or 1 on a single processor)",
        )


def positive_seconds(text: str) -> float:
    """``--timeout``: a positive, finite number of seconds."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return seconds


def positive_count(text: str) -> int:
    """``--jobs``: a whole number, at least 1."""
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return count


# -- finding the scripts ---------------------------------------------------------------------


def book_root(arguments: argparse.Namespace) -> Path:
    """The book the command works in: ``--root``, else the one around the current folder."""
    return book.require_book(arguments.root, Path.cwd())


def derivations_dir(arguments: argparse.Namespace) -> Path:
    return book_root(arguments) / book.DERIVATIONS


def derivations_or_shipped(arguments: argparse.Namespace) -> Path:
    """The book's derivations; outside a book (and without ``--root``), the shipped ones."""
    if arguments.root is None and book.find_book(Path.cwd()) is None:
        print("(not in a book: the derivations shipped with gradbook)", file=sys.stderr)
        return book.shipped_derivations()
    return derivations_dir(arguments)


def script_paths(targets: Sequence[str], directory: Path) -> list[Path]:
    """The scripts named by ``targets`` (all of ``directory`` if there are none)."""
    if not targets:
        return sorted(path for path in directory.glob("*.py") if not path.name.startswith("_"))
    return [script_path(target, directory) for target in targets]


def script_path(target: str, directory: Path | None) -> Path:
    """A script path as given, or the script of the derivation called ``target``.

    A name is looked up in ``directory`` (the book's derivations; None outside a book), then
    among the shipped derivations.
    """
    if target.endswith(".py") or "/" in target or "\\" in target:
        path = Path(target)
        if not path.is_file():
            raise UsageError(f"no such file: {target}")
        return path
    folders = [folder for folder in (directory, book.shipped_derivations()) if folder is not None]
    for folder in folders:
        path = folder / f"{target}.py"
        if path.is_file():
            return path
    places = " or ".join(str(folder) for folder in folders)
    known = ", ".join(dict.fromkeys(name for folder in folders for name in _names(folder)))
    raise UsageError(f"no derivation named {target!r} in {places}; the derivations are: {known}")


def _names(folder: Path) -> list[str]:
    return [path.stem for path in script_paths([], folder)]


def book_derivations_if_any(arguments: argparse.Namespace) -> Path | None:
    """The book's derivations folder, or None when run outside a book without ``--root``."""
    if arguments.root is None and book.find_book(Path.cwd()) is None:
        return None
    return derivations_dir(arguments)


def check_one(target: str, arguments: argparse.Namespace, render: str) -> ScriptReport:
    """Check the script of ``target`` in a worker that also renders it (text, json or latex)."""
    from gradbook.worker import WorkerPool

    path = script_path(target, book_derivations_if_any(arguments))
    with WorkerPool(jobs=1, timeout=arguments.timeout, fresh=arguments.fresh) as pool:
        return pool.check(path, render)


def report_failures(loaded: Sequence[Loaded | ScriptReport], extra: Sequence[Failure] = ()) -> None:
    """Every failure, one paragraph each, on stderr."""
    failures = [item.failure for item in loaded if item.failure is not None] + list(extra)
    if failures:
        count = f"{len(failures)} failure" + ("s" if len(failures) > 1 else "")
        paragraphs = "\n\n".join(failure.describe() for failure in failures)
        print(f"\n{count}:\n\n{paragraphs}", file=sys.stderr)


# -- the commands ----------------------------------------------------------------------------


def run_new(arguments: argparse.Namespace) -> int:
    """Make a book in FOLDER and say what to do next."""
    written = book.new_book(arguments.folder)
    folder = arguments.folder
    print(f"made the book {folder.name!r} in {folder.resolve()}:")
    for path in written:
        print(f"  {path.relative_to(folder).as_posix()}")
    print(f"next: cd {folder}; gradbook check; gradbook serve")
    return 0


def run_list(arguments: argparse.Namespace) -> int:
    from gradbook.worker import WorkerPool

    paths = script_paths([], derivations_or_shipped(arguments))
    width = max((len(path.stem) for path in paths), default=0)
    outcomes = []
    with WorkerPool(arguments.jobs, arguments.timeout, arguments.fresh) as pool:
        for pending in [pool.submit(path) for path in paths]:
            report = pending.result()
            outcomes.append(report)
            status = "ok" if report.ok else "failed"
            print(f"{report.name:<{width}}  {status:<6}  {report.title}", flush=True)
    print(_cache_note(outcomes), file=sys.stderr)
    report_failures(outcomes)
    return 0


def run_derive(arguments: argparse.Namespace) -> int:
    report = check_one(arguments.target, arguments, render="text")
    if not report.ok:
        report_failures([report])
        return 1
    print("\n\n".join(d.rendered or "" for d in report.derivations))
    return 0


def run_check(arguments: argparse.Namespace) -> int:
    """Check each script in a worker, printing each result in order as soon as it is known.

    Without targets, every derivation of the book; named targets may also be shipped ones.
    """
    from gradbook.worker import WorkerPool

    directory = derivations_dir(arguments) if not arguments.targets else book_derivations_if_any(arguments)
    paths = script_paths(arguments.targets, directory)
    width = max((len(path.stem) for path in paths), default=0)
    started = time.perf_counter()
    outcomes = []
    with WorkerPool(arguments.jobs, arguments.timeout, arguments.fresh) as pool:
        for path, pending in zip(paths, [pool.submit(path) for path in paths], strict=True):
            print(f"{path.stem:<{width}}  ", end="", flush=True)
            report = pending.result()
            outcomes.append(report)
            print(_check_line(report), flush=True)
            if arguments.verbose and report.ok:
                print(_step_lines(report), flush=True)
    extra = [] if arguments.targets or directory is None else _consistency_failures(outcomes, directory)
    failed = sum(not item.ok for item in outcomes)
    total = time.perf_counter() - started
    print(f"\n{len(outcomes)} checked in {total:.1f} s: {len(outcomes) - failed} ok, {failed} failed")
    print(_cache_note(outcomes))
    report_failures(outcomes, extra)
    return 1 if failed or extra else 0


def _consistency_failures(outcomes: Sequence[ScriptReport], directory: Path) -> list[Failure]:
    """When every script loads: do the names they ``use`` exist, without cycles or duplicates?

    A name the book does not define may be a shipped derivation's. Those only use each other,
    so they cannot close a cycle with the book's; they take part as names that use nothing.
    """
    from gradbook.scripts import Failure, in_dependency_order

    if not all(item.ok for item in outcomes):
        return []
    summaries = [d for item in outcomes for d in item.derivations]
    own = {d.name for d in summaries}
    shipped = [_ShippedName(name) for name in book.shipped_names() if name not in own]
    try:
        # Only the names and ``uses`` matter here, which the summaries carry.
        in_dependency_order([*summaries, *shipped])
    except GradbookError as error:
        return [Failure(directory, "the derivations do not fit together", str(error))]
    return []


class _ShippedName:
    """A shipped derivation as the check of the ``uses`` sees it: a name that uses nothing."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.uses: tuple[str, ...] = ()


def _check_line(report: ScriptReport) -> str:
    when = "  cached" if report.cached else f"{report.seconds:6.1f} s"
    if not report.ok:
        return f"FAILED             {when}"
    steps = sum(d.steps for d in report.derivations)
    proved = sum(d.proved for d in report.derivations)
    return f"ok  {steps:3d} steps ({proved:2d} proved)  {when}"


def _cache_note(outcomes: Sequence[ScriptReport]) -> str:
    """Where the verdicts came from: checked now, or kept from an earlier check."""
    cached = sum(report.cached for report in outcomes)
    if not cached:
        return "every script was checked now, each in a worker of its own"
    return (f"{cached} of {len(outcomes)} verdicts from the cache of earlier checks "
            "(same script, same checker); --fresh checks again")


def _step_lines(report: ScriptReport) -> str:
    return "\n".join(
        f"    step {check.number:2d}  {check.seconds:5.2f} s  {check.summary}"
        for d in report.derivations for check in d.checks
    )


def run_export(arguments: argparse.Namespace) -> int:
    report = check_one(arguments.target, arguments, render=arguments.format)
    if not report.ok:
        report_failures([report])
        return 1
    text = _the_derivation(report, arguments.target).rendered or ""
    if arguments.output is None:
        sys.stdout.write(text)
    else:
        arguments.output.write_text(text, encoding="utf-8")
        print(f"wrote {arguments.output}", file=sys.stderr)
    return 0


def _the_derivation(report: ScriptReport, target: str) -> DerivationSummary:
    named = [d for d in report.derivations if d.name == target]
    if len(report.derivations) == 1 or named:
        return (named or report.derivations)[0]
    names = ", ".join(d.name for d in report.derivations)
    raise UsageError(f"{report.path} builds several derivations ({names}); name the one to export")


def run_generate(arguments: argparse.Namespace) -> int:
    """Regenerate (or with ``--check``, compare) the kernels module.

    Without ``--output`` the target is ``src/gradbook/kernels.py`` of the project root, and only
    if that is the running gradbook's own module; every kernel is checked before anything is
    written (see :mod:`gradbook.kernel_check`).
    """
    from gradbook import kernel_file

    directory = derivations_dir(arguments)
    try:
        target = arguments.output or kernel_file.checkout_target(directory.parent)
    except GradbookError as error:
        raise UsageError(str(error)) from error
    try:
        if arguments.check:
            current = target.read_text(encoding="utf-8") if target.exists() else ""
            changed = kernel_file.kernels_source(directory) != current
        else:
            changed = kernel_file.generate_kernels(directory, target)
    except Exception as error:
        # Load every script through the loader, which says which step of which file failed.
        return _diagnose(directory, error)
    if arguments.check:
        print(f"{target} is {'out of date' if changed else 'up to date'}")
        return 1 if changed else 0
    print(f"{target} {'regenerated' if changed else 'unchanged'}")
    return 0


def _diagnose(directory: Path, error: Exception) -> int:
    from gradbook.scripts import in_dependency_order, load_outcomes

    outcomes = load_outcomes(script_paths([], directory))
    if all(item.ok for item in outcomes):
        # The scripts load, so the problem is in how they fit together or in code generation.
        try:
            in_dependency_order([d for item in outcomes for d in item.derivations])
        except Exception as order_error:
            error = order_error
        print(f"gradbook: could not generate the kernels: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print("gradbook: could not generate the kernels: some derivations fail to load", file=sys.stderr)
    report_failures(outcomes)
    return 1


def run_build(arguments: argparse.Namespace) -> int:
    options = ["--strict"] if arguments.strict else []
    if arguments.site_dir is not None:
        options += ["--site-dir", str(arguments.site_dir.resolve())]
    return mkdocs("build", options, arguments)


def run_serve(arguments: argparse.Namespace) -> int:
    options = ["--dev-addr", arguments.dev_addr] if arguments.dev_addr else []
    return mkdocs("serve", options, arguments)


def mkdocs(command: str, options: list[str], arguments: argparse.Namespace) -> int:
    """Run ``mkdocs COMMAND`` on the book's mkdocs.yml; its gradbook plugin generates the pages."""
    root = arguments.root or book.require_book(None, Path.cwd())
    config = root / book.SITE_CONFIG
    if not config.is_file():
        raise UsageError(f"no {book.SITE_CONFIG} in {root}; run gradbook in a book or pass --root")
    if importlib.util.find_spec("mkdocs") is None:
        raise UsageError('building the site needs the site extra: pip install "gradbook[site]"')
    run = [sys.executable, "-m", "mkdocs", command, "--config-file", str(config), *options]
    try:
        with _terminated_as_exit():
            return subprocess.run(run, cwd=root).returncode
    except KeyboardInterrupt:
        return 130


@contextlib.contextmanager
def _terminated_as_exit() -> Iterator[None]:
    """Turn SIGTERM into ``SystemExit`` while MkDocs runs.

    By default SIGTERM ends Python at once, and ``mkdocs serve`` would go on serving with no
    parent; as an exception it reaches :func:`subprocess.run`, which kills MkDocs first.
    """
    previous = signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _exit_on_signal(number: int, frame: object) -> None:
    raise SystemExit(128 + number)


if __name__ == "__main__":
    sys.exit(main())
