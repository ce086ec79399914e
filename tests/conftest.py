"""Shared fixtures: the repository layout and the derivations, loaded (and checked) once.

The whole session, its worker processes and the commands it runs share one cache of verdicts
(``$GRADBOOK_CACHE``), made empty for the session unless it is already set: each derivation is
checked once per run, by a worker, and every later load replays that verdict.

The suite runs in several processes (pytest-xdist, one test file per process), which inherit
that cache from the process that starts them. The first of them to need the derivations checks
them, side by side in worker processes, while holding a lock on the cache; another that needs
them meanwhile waits for the lock and then replays the verdicts instead of checking again.

A test that starts a process which loads the derivations itself (``mkdocs build``) asks for
:func:`checked_scripts` first, so that process replays the verdicts too. The site builds of
``mkdocs.yml`` take turns (:func:`site_build_lock`): they write the same generated pages into
``site_src/``, and the later one finds them up to date (the build record is in the same cache).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
from paths import DERIVATIONS

from gradbook.verdicts import CACHE_ENV

_SESSION_CACHE = None if os.environ.get(CACHE_ENV) else tempfile.mkdtemp(prefix="gradbook-test-cache-")
if _SESSION_CACHE is not None:
    os.environ[CACHE_ENV] = _SESSION_CACHE


#: The test files that take longest, longest first. xdist hands out whole files (``--dist
#: loadfile``), by default those with the most tests first; that would leave these files, which
#: have few tests but long ones, to the end of the run, one worker busy while the other waits.
#: Started first, they run beside the many short files instead (``--no-loadscope-reorder``).
SLOWEST_FILES = (
    "test_determinism.py",
    "test_site.py",
    "test_display.py",
    "test_site_browser.py",
    "test_cli.py",
    "test_corpus.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slowest files first (:data:`SLOWEST_FILES`), then the others, most tests first."""
    tests_in = Counter(item.path for item in items)

    def rank(item: pytest.Item) -> tuple[int, int]:
        name = item.path.name
        if name in SLOWEST_FILES:
            return SLOWEST_FILES.index(name), 0
        return len(SLOWEST_FILES), -tests_in[item.path]

    items.sort(key=rank)


def pytest_unconfigure(config):
    if _SESSION_CACHE is not None:
        shutil.rmtree(_SESSION_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def derivations():
    """Every derivation, loaded once per session (checked by workers, replayed here)."""
    from gradbook.scripts import load_all

    with _cache_lock():
        return {d.name: d for d in load_all(DERIVATIONS)}


@pytest.fixture(scope="session")
def checked_scripts() -> None:
    """Every derivation script's verdict in the session's cache, checked once, none replayed here.

    For a test whose own subprocess loads the derivations: without it, a process started while
    the scripts are being checked elsewhere would check them all a second time.
    """
    from gradbook.scripts import script_paths
    from gradbook.worker import WorkerPool

    with _cache_lock(), WorkerPool() as pool:
        pending = [pool.submit(path) for path in script_paths(DERIVATIONS)]
        for report in pending:
            report.result()


@pytest.fixture(scope="session")
def site_build_lock(checked_scripts):
    """A lock to hold while building the repository's site, with the verdicts already on disk."""
    return lambda: _exclusive(".site-build.lock")


@contextmanager
def _cache_lock():
    """An exclusive lock on the session's cache of verdicts, shared by the test processes."""
    with _exclusive(".test-session.lock"):
        yield


@contextmanager
def _exclusive(name: str):
    """An exclusive lock on the file ``name`` in the session's cache folder."""
    folder = Path(os.environ[CACHE_ENV])
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / name, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
