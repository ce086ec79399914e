"""Regenerating ``gradbook/kernels.py`` from the derivation scripts."""

from __future__ import annotations

from pathlib import Path

from gradbook.codegen import KERNELS_PATH, module_source
from gradbook.files import write_if_changed
from gradbook.registry import DERIVATIONS_DIR, load_all


def kernels_source(directory: Path = DERIVATIONS_DIR) -> str:
    """The kernels module that the derivations in ``directory`` produce."""
    derivations = load_all(directory)
    return module_source([impl for d in derivations for impl in d.implementations])


def generate_kernels(directory: Path = DERIVATIONS_DIR, target: Path = KERNELS_PATH) -> bool:
    """Write the kernels module; whether it changed."""
    return write_if_changed(target, kernels_source(directory))
