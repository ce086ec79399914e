"""Verdicts kept on disk, so that a derivation script is checked once until it or the checker changes.

A *verdict* is the report of a worker (:mod:`gradbook.worker`) that checked a script in a fresh
process: whether it stands (or the failure, with its counterexample), its derivations' names and
titles, and for every checked step the digests of the two expressions compared and how the
comparison was verified. It is stored as JSON under a key made of

* the script's file name and bytes (the name is the module's and the source a page names),
* the versions of gradbook, Python, SymPy, mpmath and NumPy,
* a digest of the engine's own source files: in a development checkout the version stays the
  same when the checker changes, and a changed checker must check again.

Never the time: a file touched but unchanged keeps its verdict, an edited one misses.

Only a worker writes verdicts. A process that loads scripts itself (the site build, the tests)
only reads them: a script run there shares its process with everything else and could change the
checker, so what it computes there is never stored. Such a process *replays* a script: the script
runs again, and each step takes its verification from the verdict once the step's expressions
are confirmed to be the ones that were checked (:class:`Replay`).

The cache folder is ``$GRADBOOK_CACHE`` if set (the test suite points its processes at one
folder), else ``.gradbook-cache/`` in the book that holds the script, else gradbook's folder in
the user's cache directory. Files are written whole or not at all.

This module imports neither SymPy nor NumPy (``gradbook list`` reads verdicts through it); the
parts of :class:`Replay` that need SymPy import it when they run.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import os
import platform
import re
import tempfile
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gradbook import __version__, book
from gradbook.errors import GradbookError

if TYPE_CHECKING:
    import sympy as sp

    from gradbook.checking import Verification

#: Names the cache folder instead of the book's (or the user's) one.
CACHE_ENV = "GRADBOOK_CACHE"
#: The cache folder inside a book.
BOOK_FOLDER = ".gradbook-cache"
#: Bumped when the stored document changes shape; older files then simply miss.
FORMAT = 1
#: The libraries whose versions are part of the key: what checks a step, and what a kernel runs on.
LIBRARIES = ("sympy", "mpmath", "numpy")


class StaleVerdictError(GradbookError):
    """A replayed step is not the one that was checked: its verdict is refused.

    Raised while a script is replayed when a step's expressions, number or rule differ from the
    record (a script that builds its steps from something other than its own text, such as
    random numbers or another file). Such a script is reported as failing, never passed on the
    strength of a verdict about other expressions.
    """


# -- the key ------------------------------------------------------------------------------------


@functools.cache
def engine_digest() -> str:
    """A digest of the engine's source files: a changed checker must not reuse old verdicts."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def environment() -> dict[str, str]:
    """What, besides the script, decides a verdict: versions, and the engine's digest."""
    versions = {"gradbook": __version__, "python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions | {"engine": engine_digest()}


def verdict_key(name: str, content: bytes) -> str:
    """The key of the verdict on a script with this file name and these bytes, in this environment."""
    digest = hashlib.sha256(json.dumps([name, environment()], sort_keys=True).encode() + b"\0")
    digest.update(content)
    return digest.hexdigest()


def expression_digest(expr: sp.Basic) -> str:
    """What identifies a step's expression in a verdict: a digest of its ``srepr``.

    ``srepr`` names every node and its arguments in order, so two expressions with one digest
    are built the same way; it is also what the JSON export carries to rebuild a step. The one
    part of it that differs between processes, the serial number SymPy gives each ``Dummy``
    (as in ``Lambda(d, σ(d))``), is replaced by the order in which the dummies first appear.
    """
    import sympy as sp

    numbering: dict[str, str] = {}

    def renumber(match: re.Match[str]) -> str:
        return f"dummy_index=#{numbering.setdefault(match.group(1), str(len(numbering)))}"

    text = _DUMMY_INDEX.sub(renumber, sp.srepr(expr))
    return hashlib.sha256(text.encode()).hexdigest()


_DUMMY_INDEX = re.compile(r"dummy_index=(\d+)")


# -- the folder and its files -------------------------------------------------------------------


def cache_folder(script: Path) -> Path:
    """Where the verdicts on ``script`` are kept (see the module docstring)."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen)
    around = book.find_book(script.parent)
    if around is not None:
        return around / BOOK_FOLDER
    user_cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(user_cache) / "gradbook"


def entry_path(script: Path, content: bytes) -> Path:
    return cache_folder(script) / "verdicts" / f"{verdict_key(script.name, content)}.json"


def read_verdict(script: Path, content: bytes) -> dict[str, Any] | None:
    """The stored verdict on ``script`` with ``content``, or None if there is none (or unreadable)."""
    try:
        document = json.loads(entry_path(script, content).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return None
    return document


def write_verdict(script: Path, content: bytes, document: Mapping[str, Any]) -> Path | None:
    """Store ``document`` as the verdict on ``script`` with ``content``; where, or None if it failed.

    Written to a temporary file beside the target and renamed over it, so a reader sees the old
    verdict or the new one, never half of one. A cache that cannot be written is not an error:
    the verdict is simply not kept.
    """
    target = entry_path(script, content)
    text = json.dumps({**document, "format": FORMAT, "environment": environment()}, sort_keys=True)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=target.parent, prefix=target.stem, suffix=".partial", delete=False
        ) as partial:
            partial.write(text)
        os.replace(partial.name, target)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(partial.name)
        return None
    return target


# -- replaying a script from its verdict --------------------------------------------------------


class Replay:
    """The recorded checks of one script's steps, handed out as the script writes them again.

    ``steps`` maps a derivation's name to its checked steps as the worker recorded them: each a
    mapping with ``number``, ``justification``, ``before`` and ``after`` (expression digests)
    and ``verification`` (the fields of :class:`gradbook.checking.Verification`).
    """

    def __init__(self, steps: Mapping[str, list[Mapping[str, Any]]]) -> None:
        self._steps = {
            name: {record["number"]: record for record in records} for name, records in steps.items()
        }

    def verification(
        self, derivation: str, number: int, justification: str, before: sp.Basic, after: sp.Basic
    ) -> Verification:
        """The recorded verification of this step, once it is confirmed to be the step checked."""
        from gradbook.checking import Verification

        record = self._steps.get(derivation, {}).get(number)
        if record is None:
            raise StaleVerdictError(f"{derivation}: step {number} was not checked when the verdict was made")
        if record["justification"] != justification:
            raise StaleVerdictError(f"{derivation}: step {number} has another rule than the one checked")
        for side, expr in (("before", before), ("after", after)):
            if record[side] != expression_digest(expr):
                raise StaleVerdictError(
                    f"{derivation}: step {number} compares other expressions than the ones checked"
                )
        fields = dict(record["verification"])
        fields["used_assumptions"] = tuple(fields["used_assumptions"])
        fields["sizes"] = tuple((name, tuple(at)) for name, at in fields["sizes"])
        return Verification(**fields)


_replaying: ContextVar[Replay | None] = ContextVar("gradbook_replay", default=None)


def replaying() -> Replay | None:
    """The replay in progress in this context (:func:`replay`), or None: steps are checked."""
    return _replaying.get()


@contextlib.contextmanager
def replay(recorded: Replay) -> Iterator[None]:
    """While the block runs, a derivation takes each step's verification from ``recorded``."""
    token = _replaying.set(recorded)
    try:
        yield
    finally:
        _replaying.reset(token)
