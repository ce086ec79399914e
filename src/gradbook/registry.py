"""Finding and loading the derivation scripts.

A derivation script is a plain Python file that builds a :class:`~gradbook.derivation.Derivation`
at module level (so ``python derivations/x.py`` works on its own). Loading a script runs it with
a run name other than ``__main__``, then collects the derivations it made.
"""

from __future__ import annotations

import runpy
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from gradbook.derivation import Derivation
from gradbook.errors import DerivationError

DERIVATIONS_DIR = Path("derivations")


def script_paths(directory: Path = DERIVATIONS_DIR) -> list[Path]:
    """Every derivation script in ``directory``, by name."""
    return sorted(path for path in directory.glob("*.py") if not path.name.startswith("_"))


def load_script(path: Path) -> list[Derivation]:
    """Run one script and return the derivations it built."""
    namespace = runpy.run_path(str(path), run_name=f"gradbook_derivation_{path.stem}")
    found = [value for value in namespace.values() if isinstance(value, Derivation)]
    if not found:
        raise DerivationError(f"{path}: the script builds no Derivation")
    for derivation in found:
        derivation.source = derivation.source or path
    return found


def load_all(directory: Path = DERIVATIONS_DIR) -> list[Derivation]:
    """Every derivation in ``directory``, ordered so that each comes after those it uses."""
    derivations = [d for path in script_paths(directory) for d in load_script(path)]
    return in_dependency_order(derivations)


def in_dependency_order(derivations: list[Derivation]) -> list[Derivation]:
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
