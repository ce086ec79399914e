"""The numeric sections of a derivation page, computed from ``gradbook.functions`` at every build.

A derivation page proves a formula; the numbers here show the compiled function agrees with it.
A derivation declares them in its own script, in the function its page decorates with
``@page.examples`` (see :mod:`gradbook.page`), which returns a list of:

* :class:`WorkedExample`: a table of :class:`WorkedValue` rows, each a computed value beside the
  figure a reference prints for it, saying whether the reference rounded or truncated it
  (:mod:`.worked`);
* :class:`GradientCheck`: a public gradient function against central finite differences of the
  function it is the gradient of, at a few :class:`CheckInput` points (:mod:`.gradient_checks`);
* :class:`ExtremeTable`: rows made by :func:`extreme_row`, a textbook :class:`Formula` evaluated
  as written at an input where it overflows, beside gradbook's function and the exact value
  (:mod:`.extremes`);
* :class:`Usage`: a short script run during the build; the page shows its code and what it
  printed, and a warning raised while it runs fails the build (:mod:`.usage`).

:class:`Public` names a function of :mod:`gradbook.functions` that is looked up when it is
called, so that the page can show its name and a missing one fails with a message naming it.
"""

from __future__ import annotations

from gradbook.examples.extremes import ExtremeRow, ExtremeTable, extreme_row
from gradbook.examples.gradient_checks import (
    FD_STEP,
    CheckInput,
    CheckRow,
    GradientCheck,
    central_differences,
    step_latex,
)
from gradbook.examples.page import PageExamples
from gradbook.examples.usage import Usage
from gradbook.examples.values import ExampleError, Formula, Public, number, tuple_text
from gradbook.examples.worked import WorkedExample, WorkedValue, relation

__all__ = [
    "FD_STEP",
    "CheckInput",
    "CheckRow",
    "ExampleError",
    "ExtremeRow",
    "ExtremeTable",
    "Formula",
    "GradientCheck",
    "PageExamples",
    "Public",
    "Usage",
    "WorkedExample",
    "WorkedValue",
    "central_differences",
    "extreme_row",
    "number",
    "relation",
    "step_latex",
    "tuple_text",
]
