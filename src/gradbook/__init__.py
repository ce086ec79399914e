"""gradbook: machine-checked derivations of machine-learning gradients.

The NumPy functions live in :mod:`gradbook.functions` and import without SymPy. The derivation
engine (``Derivation``, the notation ``sigmoid`` / ``softplus``) is loaded on first use, so that
``import gradbook.functions`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "Derivation": "gradbook.derivation",
    "Step": "gradbook.derivation",
    "numbers": "gradbook.derivation",
    "sigmoid": "gradbook.notation",
    "softplus": "gradbook.notation",
    "binary_cross_entropy": "gradbook.notation",
    "softmax": "gradbook.notation",
    "elementwise": "gradbook.notation",
    "domains": "gradbook.domains",
    "GradbookError": "gradbook.errors",
    "DerivationError": "gradbook.errors",
    "StepNotEquivalentError": "gradbook.errors",
    "StepNotEvaluableError": "gradbook.errors",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'gradbook' has no attribute {name!r}")
    module = importlib.import_module(_LAZY[name])
    return module if name == "domains" else getattr(module, name)
