"""Shared fixtures: the repository layout and the derivations, loaded (and checked) once.

The whole session, its worker processes and the commands it runs share one cache of verdicts
(``$GRADBOOK_CACHE``), made empty for the session unless it is already set: each derivation is
checked once per run, by a worker, and every later load replays that verdict.
"""

from __future__ import annotations

import os
import shutil
import tempfile

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

    return {d.name: d for d in load_all(DERIVATIONS)}
