"""Gradient checks: a public gradient function against central finite differences."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from gradbook.examples.values import ExampleError, arguments_text, number

#: Step of the central differences: each entry v is moved to v ± FD_STEP.
FD_STEP = 1e-5


@dataclass(frozen=True)
class CheckInput:
    """The arguments of one row of a gradient check; ``label`` replaces the generated text."""

    arguments: Mapping[str, object]
    label: str = ""

    @property
    def text(self) -> str:
        return self.label or arguments_text(self.arguments)


@dataclass(frozen=True)
class CheckRow:
    """One computed row: the gradient function's value and the central differences."""

    input: str
    analytic: np.ndarray
    numeric: np.ndarray

    @property
    def relative_error(self) -> float:
        """‖analytic − numeric‖∞ / max(‖analytic‖∞, ‖numeric‖∞); 0 when both are zero."""
        scale = max(np.max(np.abs(self.analytic)), np.max(np.abs(self.numeric)))
        if scale == 0:
            return 0.0
        return float(np.max(np.abs(self.analytic - self.numeric)) / scale)

    @property
    def analytic_shown(self) -> str:
        return number(_scalar_or_vector(self.analytic))

    @property
    def numeric_shown(self) -> str:
        return number(_scalar_or_vector(self.numeric))

    @property
    def error_shown(self) -> str:
        return f"{self.relative_error:.1e}".replace("-", "−")


@dataclass(frozen=True)
class GradientCheck:
    """A public gradient function against central differences of ``objective``.

    ``gradient`` and ``objective`` take the same keyword arguments; ``wrt`` names the arguments
    the gradient is taken with respect to, in the order the gradient returns its parts.
    ``objective_latex`` names the differentiated function on the page.
    """

    gradient: Callable[..., object]
    objective: Callable[..., object]
    objective_latex: str
    wrt: tuple[str, ...]
    inputs: tuple[CheckInput, ...]

    def rows(self) -> list[CheckRow]:
        return [self._row(case) for case in self.inputs]

    def _row(self, case: CheckInput) -> CheckRow:
        arguments = {name: _as_float(value) for name, value in case.arguments.items()}
        analytic = _flatten(self.gradient(**arguments))
        numeric = np.concatenate(
            [central_differences(self.objective, arguments, name) for name in self.wrt]
        )
        if analytic.shape != numeric.shape:
            raise ExampleError(
                f"{self.gradient} returned {analytic.size} numbers at {case.text}; the "
                f"derivatives with respect to {', '.join(self.wrt)} are {numeric.size}"
            )
        return CheckRow(case.text, analytic, numeric)


def central_differences(
    objective: Callable[..., object], arguments: Mapping[str, object], name: str
) -> np.ndarray:
    """(f(v + h) − f(v − h)) / ((v + h) − (v − h)) for every entry v of ``name``, flattened.

    Dividing by the difference of the two points as stored, rather than by 2h, removes the
    rounding of v ± h from the quotient.
    """
    base = np.asarray(arguments[name], dtype=float)
    result = np.empty(base.size)
    for position in range(base.size):
        up, down = base.copy(), base.copy()
        up.flat[position] += FD_STEP
        down.flat[position] -= FD_STEP
        high = float(objective(**{**arguments, name: up.reshape(base.shape)}))
        low = float(objective(**{**arguments, name: down.reshape(base.shape)}))
        result[position] = (high - low) / (up.flat[position] - down.flat[position])
    return result


def step_latex() -> str:
    """:data:`FD_STEP` as LaTeX, e.g. ``10^{-5}``."""
    mantissa, exponent = f"{FD_STEP:.0e}".split("e")
    power = f"10^{{{int(exponent)}}}"
    return power if mantissa == "1" else rf"{mantissa} \times {power}"


def _as_float(value: object) -> object:
    return value if np.ndim(value) == 0 else np.asarray(value, dtype=float)


def _scalar_or_vector(values: np.ndarray) -> object:
    return values[0] if values.size == 1 else values


def _flatten(value: object) -> np.ndarray:
    parts = value if isinstance(value, tuple) else (value,)
    return np.concatenate([np.ravel(np.asarray(part, dtype=float)) for part in parts])
