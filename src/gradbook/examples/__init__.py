"""Numbers for the derivation pages, computed from ``gradbook.functions`` at every build.

A derivation page proves a formula; the numbers here show the compiled function agrees with it:

* a **worked example** evaluates the functions at the points the reference notes use and sets
  each result beside the figure printed in the notes, saying whether the notes rounded or
  truncated it (they do both) (:mod:`.worked`);
* a **gradient check** compares a public gradient function with central finite differences of
  the function it is the gradient of, at a few inputs (:mod:`.gradient_checks`);
* a **naive-against-stable table** evaluates a textbook formula as written at an input where it
  overflows, beside gradbook's function and the exact value (:mod:`.extremes`);
* a **usage example** is a short script that is run during the build; the page shows its code
  and what it printed, and a warning raised while it runs fails the build (:mod:`.usage`).

The examples of each derivation are built by a function in the module of its part of the
learning path: :mod:`.probabilities`, :mod:`.sigmoid`, :mod:`.gradients`, :mod:`.training`.
:data:`EXAMPLES` maps a derivation name to that function; a derivation without an entry shows
none of these sections. Nothing runs at import time: the functions of
:mod:`gradbook.functions` are looked up when a page is built, so that a missing one fails with
a message naming it.
"""

from __future__ import annotations

from collections.abc import Callable

from gradbook.examples.extremes import ExtremeRow, ExtremeTable
from gradbook.examples.gradient_checks import (
    FD_STEP,
    CheckInput,
    CheckRow,
    GradientCheck,
    central_differences,
    step_latex,
)
from gradbook.examples.gradients import (
    bce_derivative_examples,
    logistic_cost_gradient_examples,
    softmax_cross_entropy_examples,
    unit_error_gradient_examples,
)
from gradbook.examples.page import PageExamples
from gradbook.examples.probabilities import entropy_cross_entropy_examples, maximum_likelihood_examples
from gradbook.examples.sigmoid import (
    log_loss_examples,
    sigmoid_prime_examples,
    softmax_two_classes_examples,
    stable_sigmoid_examples,
)
from gradbook.examples.training import gradient_descent_examples, linear_regression_mse_examples
from gradbook.examples.usage import Usage
from gradbook.examples.values import ExampleError, Formula, Public, number
from gradbook.examples.worked import WorkedExample, WorkedValue, relation

__all__ = [
    "EXAMPLES",
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
    "number",
    "page_examples",
    "relation",
    "step_latex",
]

#: Derivation name → the function that builds its examples, in the order of the learning path.
EXAMPLES: dict[str, Callable[[], PageExamples]] = {
    "maximum_likelihood": maximum_likelihood_examples,
    "entropy_cross_entropy": entropy_cross_entropy_examples,
    "sigmoid_prime": sigmoid_prime_examples,
    "stable_sigmoid": stable_sigmoid_examples,
    "softmax_two_classes": softmax_two_classes_examples,
    "log_loss": log_loss_examples,
    "bce_derivative": bce_derivative_examples,
    "unit_error_gradient": unit_error_gradient_examples,
    "logistic_cost_gradient": logistic_cost_gradient_examples,
    "softmax_cross_entropy": softmax_cross_entropy_examples,
    "gradient_descent": gradient_descent_examples,
    "linear_regression_mse": linear_regression_mse_examples,
}


def page_examples(name: str) -> PageExamples | None:
    """The examples of the derivation ``name``, computed now; ``None`` if it has none."""
    build = EXAMPLES.get(name)
    return build() if build is not None else None
