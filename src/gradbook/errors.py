"""The errors gradbook raises, one base class and a few specific ones.

Every message names the derivation and, where there is one, the step, so that a reader who
runs a derivation script sees at once which line of which file to look at.
"""

from __future__ import annotations

from collections.abc import Mapping


class GradbookError(Exception):
    """Base class of every error gradbook raises on purpose."""


class DerivationError(GradbookError):
    """A derivation is malformed: an undeclared symbol, a step before ``start``, a bad name.

    These are mistakes in how a derivation file is written, not in its mathematics.
    """


class StepNotEquivalentError(GradbookError):
    """A step is not equal to the step before it: the mathematics is wrong.

    ``point`` is a counterexample (symbol → value) and ``before`` / ``after`` are the two sides
    evaluated there, so the message alone is enough to reproduce the failure.
    """

    def __init__(
        self,
        derivation: str,
        step_number: int,
        justification: str,
        point: Mapping[str, str],
        before: str,
        after: str,
    ) -> None:
        self.derivation = derivation
        self.step_number = step_number
        self.justification = justification
        self.point = dict(point)
        self.before = before
        self.after = after
        where = ", ".join(f"{name} = {value}" for name, value in self.point.items())
        super().__init__(
            f"{derivation}: step {step_number} ({justification!r}) does not follow from the "
            f"step before it. Counterexample: {where}; previous step = {before}, "
            f"this step = {after}."
        )


class StepNotEvaluableError(GradbookError):
    """A step could not be evaluated numerically (an undefined function, a free symbol, ...)."""


class CodegenError(GradbookError):
    """A kernel cannot be generated, or the generated kernel is wrong.

    Raised by ``Derivation.implement`` for an expression the generator does not support (a
    matrix product, a second free index, a symbol that is not an argument, ...), and by
    ``gradbook generate`` for a kernel that does not compute its checked expression, writes
    into an input or uses a name it does not define. The message names the derivation and the
    kernel.
    """
