"""Where things are in the repository, for the tests."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DERIVATIONS = ROOT / "derivations"
