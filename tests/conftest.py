"""Shared fixtures: the repository layout and the derivations, loaded (and checked) once.

The whole session, its worker processes and the commands it runs share one cache of verdicts
(``$GRADBOOK_CACHE``), made empty for the session unless it is already set: each derivation is
checked once per run, by a worker, and every later load replays that verdict.

The suite runs in several processes (pytest-xdist, one test file per process), which inherit
that cache from the process that starts them. The first of them to need the derivations checks
them, side by side in worker processes, while holding a lock on the cache; another that needs
them meanwhile waits for the lock and then replays the verdicts instead of checking again.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from paths import DERIVATIONS

from gradbook.verdicts import CACHE_ENV

_SESSION_CACHE = None if os.environ.get(CACHE_ENV) else tempfile.mkdtemp(prefix="gradbook-test-cache-")
if _SESSION_CACHE is not None:
    os.environ[CACHE_ENV] = _SESSION_CACHE


def pytest_unconfigure(config):
    if _SESSION_CACHE is not None:
        shutil.rmtree(_SESSION_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def derivations():
    """Every derivation, loaded once per session (checked by workers, replayed here)."""
    from gradbook.scripts import load_all

    with _cache_lock():
        return {d.name: d for d in load_all(DERIVATIONS)}


@contextmanager
def _cache_lock():
    """An exclusive lock on the session's cache of verdicts, shared by the test processes."""
    with open(Path(os.environ[CACHE_ENV]) / ".test-session.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
