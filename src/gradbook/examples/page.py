"""What a derivation page shows besides its derivation: every numeric section, possibly empty."""

from __future__ import annotations

from dataclasses import dataclass

from gradbook.examples.extremes import ExtremeTable
from gradbook.examples.gradient_checks import GradientCheck
from gradbook.examples.usage import Usage
from gradbook.examples.worked import WorkedExample


@dataclass(frozen=True)
class PageExamples:
    """Everything numeric on one derivation page; each part may be empty."""

    worked: tuple[WorkedExample, ...] = ()
    checks: tuple[GradientCheck, ...] = ()
    usage: Usage | None = None
    extremes: tuple[ExtremeTable, ...] = ()
