"""Worked examples: computed values beside the figure a reference prints for them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal, InvalidOperation

import numpy as np

from gradbook.examples.values import number


@dataclass(frozen=True)
class WorkedValue:
    """One computed quantity, and the figure a reference gives for it (if any).

    ``quantity`` is LaTeX; ``value`` a float, a tuple or array of floats, or an mpmath number;
    ``reference`` is the figure exactly as the reference prints it, e.g. ``"0.5986"``.
    """

    quantity: str
    value: object
    reference: str = ""

    @property
    def shown(self) -> str:
        return number(self.value)

    @property
    def relation(self) -> str:
        """How the reference figure relates to the computed value; blank without a reference."""
        return relation(self.value, self.reference) if self.reference else ""


@dataclass(frozen=True)
class WorkedExample:
    """A table of computed values; ``intro`` is Markdown (with ``\\( \\)`` math) above it."""

    intro: str
    rows: tuple[WorkedValue, ...]
    reference_label: str = "reference notes"
    title: str = "Worked example"

    @property
    def has_references(self) -> bool:
        return any(row.reference for row in self.rows)


def relation(value: object, reference: str) -> str:
    """``"same"``, ``"ours, rounded"``, ``"ours, truncated"`` or ``"different"``.

    The reference's own number of decimals decides the comparison: 0.598688 is "ours, truncated"
    against 0.5986 and "ours, rounded" against 0.5987. A value that agrees with the reference to
    12 significant digits is the "same": 0.6 × 0.2 × 0.1 × 0.7 is 0.0084 up to the rounding of
    float64, not a rounded 0.0084. Tuples are compared entry by entry.
    """
    ours = [float(entry) for entry in np.ravel(np.asarray(value, dtype=object))]
    theirs = [part.strip().replace("−", "-") for part in reference.strip("() ").split(",")]
    if len(ours) != len(theirs):
        return "different"
    try:
        pairs = [(Decimal(a), Decimal(b)) for a, b in zip(ours, theirs, strict=True)]
    except InvalidOperation:
        return "different"
    if all(_to_12_digits(a) == b for a, b in pairs):
        return "same"
    for mode, name in ((ROUND_HALF_EVEN, "ours, rounded"), (ROUND_DOWN, "ours, truncated")):
        if all(_quantized(a, b, mode) == b for a, b in pairs):
            return name
    return "different"


def _to_12_digits(value: Decimal) -> Decimal:
    return Decimal(f"{value:.12g}") if value.is_finite() else value


def _quantized(value: Decimal, like: Decimal, mode: str) -> Decimal | None:
    if not (value.is_finite() and like.is_finite()):
        return None
    try:
        return value.quantize(Decimal(1).scaleb(like.as_tuple().exponent), rounding=mode)
    except InvalidOperation:  # more digits than the context holds: far apart in any case
        return None
