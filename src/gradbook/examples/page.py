"""What a derivation page shows besides its derivation: every numeric section, possibly empty."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gradbook.examples.extremes import ExtremeTable
from gradbook.examples.gradient_checks import GradientCheck
from gradbook.examples.usage import Usage
from gradbook.examples.values import ExampleError
from gradbook.examples.worked import WorkedExample


@dataclass(frozen=True)
class PageExamples:
    """Everything numeric on one derivation page; each part may be empty.

    The page shows the worked examples first, then the naive-against-stable tables, the
    gradient checks and the usage script, each kind in the order it was given.
    """

    worked: tuple[WorkedExample, ...] = ()
    checks: tuple[GradientCheck, ...] = ()
    usage: Usage | None = None
    extremes: tuple[ExtremeTable, ...] = ()

    @classmethod
    def of(cls, sections: Iterable[object], derivation: str) -> PageExamples:
        """The sections an examples function returned, sorted by kind; anything else is refused."""
        sections = list(sections)
        for section in sections:
            if not isinstance(section, WorkedExample | GradientCheck | Usage | ExtremeTable):
                raise ExampleError(
                    f"the examples of {derivation} returned {section!r}; expected WorkedExample, "
                    "ExtremeTable, GradientCheck or Usage objects"
                )
        usages = [s for s in sections if isinstance(s, Usage)]
        if len(usages) > 1:
            raise ExampleError(
                f"the examples of {derivation} have {len(usages)} usage scripts; a page shows one"
            )
        return cls(
            tuple(s for s in sections if isinstance(s, WorkedExample)),
            tuple(s for s in sections if isinstance(s, GradientCheck)),
            usages[0] if usages else None,
            tuple(s for s in sections if isinstance(s, ExtremeTable)),
        )
