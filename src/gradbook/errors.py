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

    ``point`` is a counterexample (every coordinate → value) and ``before`` / ``after`` are the
    two sides evaluated there, with ``difference`` their difference, so the message alone is
    enough to reproduce the failure. ``note`` explains a refusal that is not about values (two
    shapes, a constant difference). The file and line of the step are where the exception was
    raised from the script: Python's traceback shows them, and the loader's report names them.
    """

    def __init__(
        self,
        derivation: str,
        step_number: int,
        justification: str,
        point: Mapping[str, str],
        before: str,
        after: str,
        difference: str = "",
        note: str = "",
    ) -> None:
        self.derivation = derivation
        self.step_number = step_number
        self.justification = justification
        self.point = dict(point)
        self.before = before
        self.after = after
        self.difference = difference
        self.note = note
        super().__init__(f"{derivation}: step {step_number} ({justification!r}) {self.detail}")

    @property
    def detail(self) -> str:
        """What is wrong, without saying where: the note, the point and the two values."""
        parts = ["does not follow from the step before it"]
        if self.note:
            parts.append(f": {self.note}")
        if self.point or self.before:
            where = ", ".join(f"{name} = {value}" for name, value in self.point.items())
            parts.append(f". Counterexample: {where or 'any point'}; previous step = {self.before}, "
                         f"this step = {self.after}")
            if self.difference:
                parts.append(f" (difference {self.difference})")
        return "".join(parts) + "."


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
