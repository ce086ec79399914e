"""Shared fixtures: the repository layout and the derivations, loaded (and checked) once."""

from __future__ import annotations

import pytest
from paths import DERIVATIONS


@pytest.fixture(scope="session")
def derivations():
    """Every derivation, loaded once per session; loading runs all their checks."""
    from gradbook.registry import load_all

    return {d.name: d for d in load_all(DERIVATIONS)}
