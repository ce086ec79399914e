"""Naive against stable: a textbook formula evaluated as written, at an input where it breaks.

Issue 5 asks that a page show the naive and the stable form of a function and what each
returns at an extreme input. An :class:`ExtremeRow` evaluates the textbook formula in NumPy
exactly as written, records the floating-point warnings NumPy raised on the way, and sets the
result beside gradbook's function and the exact value from mpmath.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from gradbook.examples.values import Formula, arguments_text, number


@dataclass(frozen=True)
class ExtremeRow:
    """One quantity at one input: the naive NumPy value (and its warnings), gradbook's, the exact one."""

    quantity: str
    input: str
    naive: object
    naive_warnings: tuple[str, ...]
    gradbook: object
    exact: object

    @property
    def naive_shown(self) -> str:
        if not self.naive_warnings:
            return number(self.naive)
        *first, last = self.naive_warnings
        kinds = f"{', '.join(first)} and {last} warnings" if first else f"{last} warning"
        return f"{number(self.naive)} ({kinds})"

    @property
    def gradbook_shown(self) -> str:
        return number(self.gradbook)

    @property
    def exact_shown(self) -> str:
        return number(self.exact)


@dataclass(frozen=True)
class ExtremeTable:
    """Rows of :class:`ExtremeRow` under a heading; ``intro`` is Markdown above the table."""

    title: str
    intro: str
    rows: tuple[ExtremeRow, ...]


def extreme_row(
    quantity: str,
    naive: Formula,
    stable: Callable[..., object],
    exact: Callable[..., object],
    arguments: Mapping[str, object],
) -> ExtremeRow:
    """Evaluate the naive formula, gradbook's function and the exact value at ``arguments``."""
    inputs = {name: _as_array(value) for name, value in arguments.items()}
    value, raised = naive_value(naive, inputs)
    return ExtremeRow(
        quantity, arguments_text(arguments), value, raised, stable(**inputs), exact(**arguments)
    )


def naive_value(naive: Formula, inputs: Mapping[str, object]) -> tuple[object, tuple[str, ...]]:
    """The naive formula's value and the kinds of floating-point error NumPy signalled, in order."""
    raised: list[str] = []

    def record(kind: str, _flag: int) -> None:
        # Underflow to 0 is an exact-enough answer that NumPy does not warn about by default.
        if kind != "underflow" and kind not in raised:
            raised.append(kind)

    # The naive formula is evaluated here on purpose, at inputs where it overflows: its NaN and
    # inf are what the page demonstrates. NumPy's warnings are recorded for the table instead of
    # being printed, and only for this one evaluation.
    with np.errstate(all="call", call=record):
        value = naive(**inputs)
    return value, tuple(raised)


def _as_array(value: object) -> object:
    return np.float64(value) if np.ndim(value) == 0 else np.asarray(value, dtype=float)
