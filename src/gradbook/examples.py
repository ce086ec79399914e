"""Numbers for the derivation pages, computed from ``gradbook.functions`` at every build.

A derivation page proves a formula; the numbers here show the compiled function agrees with it:

* a **worked example** evaluates the functions at the points the reference notes use and sets
  each result beside the figure printed in the notes, saying whether the notes rounded or
  truncated it (they do both);
* a **gradient check** compares a public gradient function with central finite differences of
  the function it is the gradient of, at a few inputs;
* a **usage example** is a short script that is run during the build; the page shows its code
  and what it printed, and a warning raised while it runs fails the build.

:data:`EXAMPLES` maps a derivation name to the function that builds its :class:`PageExamples`;
a derivation without an entry shows none of these sections. Nothing runs at import time: the
functions of :mod:`gradbook.functions` are looked up when a page is built, so that a missing one
fails with a message naming it.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import math
import textwrap
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal, InvalidOperation
from fractions import Fraction
from typing import TYPE_CHECKING

import mpmath
import numpy as np

from gradbook.errors import GradbookError

if TYPE_CHECKING:
    from types import ModuleType

#: Step of the central differences: each entry v is moved to v ± FD_STEP.
FD_STEP = 1e-5
#: Significant digits of the numbers shown in the tables.
DIGITS = 6


class ExampleError(GradbookError):
    """A page's examples could not be computed: a missing function, a failing usage script."""


# -- looking up the public functions -------------------------------------------------------


@dataclass(frozen=True)
class Public:
    """The function ``name`` of :mod:`gradbook.functions`, looked up when it is called."""

    name: str

    def __call__(self, *args: object, **kwargs: object) -> object:
        return public_function(self.name)(*args, **kwargs)

    def __str__(self) -> str:
        return f"gradbook.functions.{self.name}"


@dataclass(frozen=True)
class Formula:
    """A derived formula written out in NumPy, shown on the page as ``code``."""

    code: str
    function: Callable[..., object]

    def __call__(self, *args: object, **kwargs: object) -> object:
        return self.function(*args, **kwargs)

    def __str__(self) -> str:
        return self.code


def notes() -> ModuleType:
    """:mod:`gradbook.notes_examples`, imported when a page is built (it imports the functions)."""
    return importlib.import_module("gradbook.notes_examples")


def public_function(name: str) -> Callable[..., object]:
    """``gradbook.functions.<name>``, or an :class:`ExampleError` saying it is missing."""
    module = importlib.import_module("gradbook.functions")
    try:
        return getattr(module, name)
    except AttributeError:
        raise ExampleError(f"gradbook.functions has no function {name!r}") from None


# -- formatting numbers --------------------------------------------------------------------


def number(value: object) -> str:
    """A number with :data:`DIGITS` significant digits and a real minus sign; tuples as (a, b)."""
    if isinstance(value, mpmath.mpf):
        text = mpmath.nstr(value, DIGITS)
    elif np.ndim(value) > 0:
        return "(" + ", ".join(number(entry) for entry in np.asarray(value).tolist()) + ")"
    else:
        text = f"{float(value):.{DIGITS}g}"
    return text.replace("-", "−")


def arguments_text(arguments: Mapping[str, object]) -> str:
    """``z = 0.4, y = (1, 0)``: the inputs of a check, as the input column shows them."""
    return ", ".join(f"{name} = {number(value)}" for name, value in arguments.items())


# -- worked examples -----------------------------------------------------------------------


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


# -- gradient checks -----------------------------------------------------------------------


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


# -- usage examples ------------------------------------------------------------------------


@dataclass(frozen=True)
class Usage:
    """A short script that uses the public functions; ``run`` gives what it prints."""

    code: str

    @property
    def source(self) -> str:
        return textwrap.dedent(self.code).strip() + "\n"

    def run(self, name: str) -> str:
        """Run the script with warnings as errors and return its output."""
        output = io.StringIO()
        with warnings.catch_warnings(), contextlib.redirect_stdout(output):
            warnings.simplefilter("error")
            try:
                exec(compile(self.source, f"<usage example of {name}>", "exec"), {})
            except Exception as error:
                raise ExampleError(f"the usage example of {name} failed: {error!r}") from error
        return output.getvalue()


# -- what a page shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class PageExamples:
    """Everything numeric on one derivation page; each part may be empty."""

    worked: tuple[WorkedExample, ...] = ()
    checks: tuple[GradientCheck, ...] = ()
    usage: Usage | None = None


def page_examples(name: str) -> PageExamples | None:
    """The examples of the derivation ``name``, computed now; ``None`` if it has none."""
    build = EXAMPLES.get(name)
    return build() if build is not None else None


# -- the derivations' examples -------------------------------------------------------------

# The reference notes print σ to four decimals (seed 003: g(−5.5) = 0.0040, g(6.5) = 0.9984,
# g(0.4) = 0.5986) and the three-class softmax to two (seed 002).
NOTES_SIGMOID = {-5.5: "0.0040", 6.5: "0.9984", 0.4: "0.5986"}
NOTES_SOFTMAX = "(0.67, 0.24, 0.09)"


def sigmoid_prime_examples() -> PageExamples:
    sigmoid, sigmoid_prime = Public("sigmoid"), Public("sigmoid_prime")
    rows = [WorkedValue(rf"\sigma({z:g})", sigmoid(z), notes) for z, notes in NOTES_SIGMOID.items()]
    rows += [
        WorkedValue(r"\sigma'(0.4) = \sigma(0.4)\,(1 - \sigma(0.4))", sigmoid_prime(0.4)),
        WorkedValue(r"\sigma'(0)", sigmoid_prime(0.0), "0.25"),
    ]
    worked = WorkedExample(
        "The notes evaluate \\(\\sigma\\) at three points; the derivative at 0 is the largest "
        "value \\(\\sigma'\\) takes, \\(\\tfrac{1}{2} \\cdot \\tfrac{1}{2} = \\tfrac{1}{4}\\).",
        tuple(rows),
    )
    check = GradientCheck(
        sigmoid_prime, sigmoid, r"\sigma(z)", ("z",),
        tuple(CheckInput({"z": z}) for z in (-5.5, -1.0, 0.0, 0.4, 2.0, 6.5)),
    )
    usage = Usage("""
        import numpy as np
        from gradbook.functions import sigmoid, sigmoid_prime

        z = np.array([-5.5, 0.0, 0.4, 6.5])
        s = sigmoid(z)
        print(s)
        print(sigmoid_prime(z))
        print(np.allclose(sigmoid_prime(z), s * (1 - s)))
    """)
    return PageExamples((worked,), (check,), usage)


def _textbook_sigmoid_prime(z: float) -> float:
    """e^{−z}/(1 + e^{−z})², as the textbook writes it (overflows for z below about −355)."""
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(-np.float64(z))
        return float(e / (1 + e) ** 2)


def _exact_sigmoid_prime(z: float) -> mpmath.mpf:
    with mpmath.workdps(30):
        return mpmath.exp(-z) / (1 + mpmath.exp(-z)) ** 2


def stable_sigmoid_examples() -> PageExamples:
    sigmoid, sigmoid_prime = Public("sigmoid"), Public("sigmoid_prime")
    rows = []
    for z in (-700.0, -710.0):
        exact = number(_exact_sigmoid_prime(z))
        rows += [
            WorkedValue(rf"\text{{textbook}}\ e^{{-z}}/(1 + e^{{-z}})^2,\ z = {z:g}",
                        _textbook_sigmoid_prime(z), exact),
            WorkedValue(rf"\text{{gradbook}}\ \sigma'({z:g})", sigmoid_prime(z), exact),
        ]
    worked = WorkedExample(
        "Far out on the negative side the textbook form of \\(\\sigma'\\) squares \\(e^{-z}\\): "
        "at \\(z = -700\\) the square overflows to infinity and the quotient comes out as 0, at "
        "\\(z = -710\\) \\(e^{-z}\\) itself overflows and the quotient is NaN. The stable form "
        "never forms a number above 2. The reference column is the exact value, computed with "
        "30-digit mpmath.",
        tuple(rows),
        reference_label="exact value",
    )
    check = GradientCheck(
        sigmoid_prime, sigmoid, r"\sigma(z)", ("z",),
        tuple(CheckInput({"z": z}) for z in (-700.0, -100.0, -30.0, -5.5, 0.0, 5.5)),
    )
    usage = Usage("""
        import numpy as np
        from gradbook.functions import sigmoid, sigmoid_prime

        z = np.array([-800.0, -30.0, 0.0, 30.0, 800.0])
        print(sigmoid(z))        # no overflow warning, even at ±800
        print(sigmoid_prime(z))
    """)
    return PageExamples((worked,), (check,), usage)


# The notes' example line: score 4x₁ + 5x₂ − 9, zero at the points (1, 1) and (−4, 5).
NOTES_WEIGHTS, NOTES_BIAS = (4.0, 5.0), -9.0
NOTES_POINTS = ((1.0, 1.0), (-4.0, 5.0))


def unit_error(x: np.ndarray, y: float, w: np.ndarray, b: float) -> float:
    """E = −y ln ŷ − (1 − y) ln(1 − ŷ) with ŷ = σ(w·x + b), straight from the definition."""
    y_hat = 1 / (1 + math.exp(-(float(np.dot(w, x)) + b)))
    return -y * math.log(y_hat) - (1 - y) * math.log(1 - y_hat)


def unit_error_gradient_examples() -> PageExamples:
    sigmoid, grad = Public("sigmoid"), Public("unit_error_grad")
    w = np.array(NOTES_WEIGHTS)
    rows = []
    for point in NOTES_POINTS:
        x = np.array(point)
        score = float(w @ x + NOTES_BIAS)
        at = f"x = ({point[0]:g}, {point[1]:g})"
        rows += [
            WorkedValue(rf"w \cdot x + b,\ {at}", score, "0"),
            WorkedValue(rf"\hat{{y}} = \sigma(w \cdot x + b),\ {at}", sigmoid(score), "0.5"),
        ]
    dw, db = grad(np.array(NOTES_POINTS[0]), 1.0, w, NOTES_BIAS)
    rows += [
        WorkedValue(r"\partial E/\partial w,\ x = (1, 1),\ y = 1", dw),
        WorkedValue(r"\partial E/\partial b,\ x = (1, 1),\ y = 1", db),
    ]
    worked = WorkedExample(
        "The notes' line \\(4x_1 + 5x_2 - 9 = 0\\) (so \\(w = (4, 5)\\), \\(b = -9\\)) passes "
        "through \\((1, 1)\\) and \\((-4, 5)\\); there the unit is undecided, \\(\\hat{y} = "
        "0.5\\) (the notes: “a 50% probability”). If \\((1, 1)\\) is labelled 1, the gradient is "
        "\\(-(1 - 0.5)\\,x\\).",
        tuple(rows),
    )
    cases = (
        CheckInput({"x": (1.0, 1.0), "y": 1.0, "w": NOTES_WEIGHTS, "b": NOTES_BIAS}),
        CheckInput({"x": (-4.0, 5.0), "y": 0.0, "w": NOTES_WEIGHTS, "b": NOTES_BIAS}),
        CheckInput({"x": (0.5, -1.2, 2.0), "y": 1.0, "w": (0.3, -0.8, 0.1), "b": 0.2}),
        CheckInput({"x": (3.0, -2.0), "y": 0.0, "w": (1.5, 0.5), "b": -0.5}),
    )
    check = GradientCheck(grad, unit_error, r"E(w, b)", ("w", "b"), cases)
    usage = Usage("""
        import numpy as np
        from gradbook.functions import unit_error_grad

        x, y = np.array([1.0, 1.0]), 1.0          # a point labelled 1
        w, b = np.array([4.0, 5.0]), -9.0          # the line 4x₁ + 5x₂ − 9 = 0 through it
        dE_dw, dE_db = unit_error_grad(x, y, w, b)
        print(dE_dw, dE_db)

        learning_rate = 0.1                        # one gradient-descent step
        w, b = w - learning_rate * dE_dw, b - learning_rate * dE_db
        print(w, b, w @ x + b)                     # the score at x is now positive
    """)
    return PageExamples((worked,), (check,), usage)


def logistic_cost_gradient_examples() -> PageExamples:
    cost, grad, sigmoid = Public("logistic_cost"), Public("logistic_cost_grad"), Public("sigmoid")
    X = np.array([[1.0, *NOTES_POINTS[0]], [1.0, *NOTES_POINTS[1]]])
    theta, y = np.array([NOTES_BIAS, *NOTES_WEIGHTS]), np.array([1.0, 0.0])
    worked = WorkedExample(
        "The notes' two points as a data set, with a column of ones for the bias: "
        "\\(X = \\begin{pmatrix} 1 & 1 & 1 \\\\ 1 & -4 & 5 \\end{pmatrix}\\), "
        "\\(\\theta = (-9, 4, 5)\\), labels \\(y = (1, 0)\\). Both points sit on the line, so "
        "\\(h = (0.5, 0.5)\\) and the cost is \\(\\ln 2\\).",
        (
            WorkedValue(r"h = \sigma(X\theta)", sigmoid(X @ theta), "(0.5, 0.5)"),
            WorkedValue(r"J(\theta)", cost(theta, X, y)),
            WorkedValue(r"\nabla J(\theta) = \tfrac{1}{m} X^{\top}(h - y)", grad(theta, X, y)),
        ),
    )
    rng = np.random.default_rng(0)
    random_X = np.column_stack([np.ones(5), rng.normal(size=(5, 2))])
    cases = (
        CheckInput({"theta": theta, "X": X, "y": y}, "the notes' two points, θ = (−9, 4, 5)"),
        CheckInput(
            {"theta": rng.normal(size=3), "X": random_X, "y": rng.integers(0, 2, size=5)},
            "5 random points with a bias column, random θ (NumPy seed 0)",
        ),
        CheckInput(
            {"theta": (0.5, -2.0), "X": ((1.0, 3.0), (1.0, -1.0), (1.0, 0.5)), "y": (1.0, 0.0, 1.0)}
        ),
    )
    check = GradientCheck(grad, cost, r"J(\theta)", ("theta",), cases)
    usage = Usage("""
        import numpy as np
        from gradbook.functions import logistic_cost, logistic_cost_grad

        X = np.array([[1.0, 1.0, 1.0], [1.0, -4.0, 5.0], [1.0, 2.0, 3.0], [1.0, -1.0, -2.0]])
        y = np.array([1.0, 0.0, 1.0, 0.0])
        theta = np.zeros(3)
        for step in range(201):                    # plain gradient descent
            if step % 50 == 0:
                print(step, round(float(logistic_cost(theta, X, y)), 4))
            theta -= 0.5 * logistic_cost_grad(theta, X, y)
    """)
    return PageExamples((worked,), (check,), usage)


def softmax_cross_entropy_examples() -> PageExamples:
    softmax, loss = Public("softmax"), Public("softmax_cross_entropy")
    grad = Public("softmax_cross_entropy_grad")
    z, y = np.array([2.0, 1.0, 0.0]), np.array([1.0, 0.0, 0.0])
    worked = WorkedExample(
        "The notes' three classes A, B, C with scores \\(z = (2, 1, 0)\\); take A as the true "
        "class, \\(y = (1, 0, 0)\\). Adding 1000 to every score changes nothing, and the stable "
        "form computes it without overflow.",
        (
            WorkedValue(r"\operatorname{softmax}(2, 1, 0)", softmax(z), NOTES_SOFTMAX),
            WorkedValue(r"\operatorname{softmax}(1002, 1001, 1000)", softmax(z + 1000), NOTES_SOFTMAX),
            WorkedValue(r"L = -\log p_A", loss(z, y)),
            WorkedValue(r"\partial L/\partial z = p - y", grad(z, y)),
        ),
    )
    cases = (
        CheckInput({"z": z, "y": y}),
        CheckInput({"z": (-1.0, 0.5, 3.0), "y": (0.2, 0.5, 0.3)}),
        CheckInput({"z": (1000.0, 1001.0, 999.0, 1000.5), "y": (0.0, 1.0, 0.0, 0.0)}),
    )
    check = GradientCheck(grad, loss, r"L(z)", ("z",), cases)
    usage = Usage("""
        import numpy as np
        from gradbook.functions import softmax, softmax_cross_entropy, softmax_cross_entropy_grad

        z = np.array([[2.0, 1.0, 0.0], [0.0, 0.0, 5.0]])   # two points, three classes
        y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])   # one-hot labels
        print(softmax(z).round(4))
        print(softmax_cross_entropy(z, y))                 # one loss per row
        g = softmax_cross_entropy_grad(z, y)
        print(g.round(4), g.sum(axis=-1))                  # each row of p − y sums to 0
    """)
    return PageExamples((worked,), (check,), usage)


def _exact_log_loss(y: float, z: float) -> mpmath.mpf:
    # 1 − σ(800) is about 1e−348: the textbook formula needs more than 348 digits to see it.
    with mpmath.workdps(400):
        p = 1 / (1 + mpmath.exp(-z))
        return -y * mpmath.log(p) - (1 - y) * mpmath.log(1 - p)


def log_loss_examples() -> PageExamples:
    log_loss, with_logits, sigmoid = Public("log_loss"), Public("log_loss_with_logits"), Public("sigmoid")
    rows = []
    for y, z in ((0.0, 800.0), (1.0, -800.0), (1.0, 0.4)):
        exact = number(_exact_log_loss(y, z))
        at = rf"y = {y:g},\ z = {z:g}"
        rows += [
            WorkedValue(rf"\text{{from }} \sigma(z):\ {at}", log_loss(y, sigmoid(z)), exact),
            WorkedValue(rf"\text{{from }} z:\ {at}", with_logits(y, z), exact),
        ]
    worked = WorkedExample(
        "A confidently wrong prediction: at \\(z = 800\\) the probability \\(\\sigma(z)\\) "
        "rounds to exactly 1 in float64, so the loss computed from it for the label 0 is "
        "\\(-\\log 0 = \\infty\\); computed from the logit it is the true value, 800. "
        "The reference column is the textbook formula evaluated with mpmath at 400 digits.",
        tuple(rows),
        reference_label="exact value",
    )
    usage = Usage("""
        import numpy as np
        from gradbook.functions import log_loss, log_loss_with_logits, sigmoid

        z = np.array([-800.0, -2.0, 0.0, 2.0, 800.0])
        y = np.zeros(5)                            # every point labelled 0
        print(log_loss_with_logits(y, z))          # finite everywhere: 800 at z = 800
        print(log_loss(y, sigmoid(z)))             # from probabilities: inf at z = 800
    """)
    return PageExamples((worked,), (), usage)


def linear_regression_mse_examples() -> PageExamples:
    cost, grad = Public("mse_cost"), Public("mse_cost_grad")
    X, y = np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]]), np.array([1.0, 2.0, 2.0])
    start, fit = np.zeros(2), np.array([2.0 / 3.0, 0.5])  # the least-squares line y = 2/3 + x/2
    worked = WorkedExample(
        "Three points \\((1, 1), (2, 2), (3, 2)\\) with a column of ones for the intercept. "
        "From \\(\\theta = (0, 0)\\) every residual is \\(-y_i\\), so \\(J = (1 + 4 + 4)/6 = 1.5\\) "
        "and \\(\\nabla J = -\\tfrac{1}{3} X^{\\top} y = -\\tfrac{1}{3}(5, 11)\\). At the least-squares "
        "line \\(\\theta = (2/3, 1/2)\\) the gradient vanishes.",
        (
            WorkedValue(r"J(0, 0)", cost(start, X, y), "1.5"),
            WorkedValue(r"\nabla J(0, 0)", grad(start, X, y), "(−1.6667, −3.6667)"),
            WorkedValue(r"\nabla J(2/3, 1/2)", grad(fit, X, y), "(0, 0)"),
        ),
        reference_label="by hand",
    )
    rng = np.random.default_rng(1)
    cases = (
        CheckInput({"theta": start, "X": X, "y": y}, "the three points, θ = (0, 0)"),
        CheckInput(
            {"theta": rng.normal(size=3), "X": rng.normal(size=(6, 3)), "y": rng.normal(size=6)},
            "6 random points, 3 features, random θ (NumPy seed 1)",
        ),
    )
    check = GradientCheck(grad, cost, r"J(\theta)", ("theta",), cases)
    usage = Usage("""
        import numpy as np
        from gradbook.functions import mse_cost, mse_cost_grad

        X = np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]])   # intercept column, then x
        y = np.array([1.0, 2.0, 2.0])
        theta = np.zeros(2)
        for step in range(2001):                             # plain gradient descent
            if step % 500 == 0:
                print(step, theta.round(4), round(float(mse_cost(theta, X, y)), 6))
            theta -= 0.1 * mse_cost_grad(theta, X, y)
    """)
    return PageExamples((worked,), (check,), usage)


# -- the curriculum: the notes' own numbers ------------------------------------------------


def _product_latex(factors: tuple[float, ...]) -> str:
    return r" \times ".join(f"{factor:g}" for factor in factors)


def maximum_likelihood_examples() -> PageExamples:
    n = notes()
    figures = n.NOTES_FIGURES
    products = WorkedExample(
        "The notes compare two models of the same four points by the probability each gives the "
        "colours the points really have. The first model's four probabilities multiply to "
        "0.0084; the notes print only the product for the second, 0.3024, and the factors below "
        "are read off their figure. The second model is far more likely, and its sum of minus "
        "logarithms, the cross-entropy, is correspondingly smaller. The two-point example of "
        "the notes (a red point red with 0.6, a blue point blue with 0.7) follows, with a less "
        "confident model that gives the red point only 0.3.",
        (
            WorkedValue(_product_latex(n.FIRST_MODEL), n.first_model_likelihood(),
                        figures["first_model_likelihood"]),
            WorkedValue(_product_latex(n.SECOND_MODEL), n.second_model_likelihood(),
                        figures["second_model_likelihood"]),
            WorkedValue(r"-\sum_i \ln p_i,\ \text{first model}", n.first_model_cross_entropy()),
            WorkedValue(r"-\sum_i \ln p_i,\ \text{second model}", n.second_model_cross_entropy()),
            WorkedValue(_product_latex(n.TWO_POINTS), n.two_points_likelihood(),
                        figures["two_points_likelihood"]),
            WorkedValue(_product_latex(n.TWO_POINTS_LESS_CONFIDENT),
                        n.less_confident_two_points_likelihood(),
                        figures["less_confident_two_points_likelihood"]),
            WorkedValue(r"-\ln 0.6 - \ln 0.7", n.two_points_cross_entropy()),
        ),
        title="Worked example: the notes' products of probabilities",
    )
    return PageExamples((products, _many_points_example(n)))


def _many_points_example(n: ModuleType) -> WorkedExample:
    count, p = n.MANY_POINTS, n.EACH_PROBABILITY
    with mpmath.workdps(30):
        exact_product = mpmath.mpf(str(p)) ** count
        exact_log = count * mpmath.log(mpmath.mpf(str(p)))
        exact_log10 = exact_log / mpmath.log(10)
    log_sum = n.log_likelihood_of_many_points()
    power = rf"{p:g}^{{{count:,}}}".replace(",", r"\,")
    return WorkedExample(
        f"The notes' warning made concrete: {f'{count:,}'.replace(',', ' ')} points, each given "
        f"probability {p:g}. "
        "Multiplied one factor after another in float64 the likelihood sinks below the smallest "
        "normal number after a few thousand factors and ends on a tiny subnormal that has "
        "nothing to do with the true value, about \\(3 \\times 10^{-45758}\\). The sum of the "
        "logarithms "
        "has no such trouble; it also gives the true order of magnitude. The reference column "
        "is computed with 30-digit mpmath.",
        (
            WorkedValue(rf"{power}\ \text{{as a running product}}",
                        n.likelihood_of_many_points(), number(exact_product)),
            WorkedValue(rf"\ln {power} = \sum_{{i}} \ln {p:g}", log_sum, number(float(exact_log))),
            WorkedValue(rf"\log_{{10}} {power} = \tfrac{{1}}{{\ln 10}} \sum_{{i}} \ln {p:g}",
                        log_sum / math.log(10), number(float(exact_log10))),
        ),
        reference_label="exact value",
        title="Worked example: a million probabilities",
    )


def entropy_cross_entropy_examples() -> PageExamples:
    n = notes()
    table = n.doors_table()
    likeliest, least = n.DOOR_LIKELIEST_OUTCOME, min(table, key=lambda outcome: table[outcome][0])
    p = ", ".join(f"{q:g}" for q in n.DOOR_GIFT_PROBABILITIES)

    def outcome(y: tuple[int, ...]) -> str:
        return "(" + ", ".join(map(str, y)) + ")"

    worked = WorkedExample(
        f"The notes' three doors hide a gift with probabilities \\(p = ({p})\\). An outcome "
        "\\(y\\) says which doors had one. The likeliest outcome, gifts behind the first two "
        "doors, has probability \\(0.8 \\times 0.7 \\times 0.9\\), and its cross-entropy is minus "
        "its logarithm, so likely outcomes have a small cross-entropy and unlikely ones a large "
        "one. The cross-entropy is computed with `gradbook.functions.log_loss`, one door at a "
        "time, and summed.",
        (
            WorkedValue(rf"P(y = {outcome(likeliest)})", n.likeliest_doors_probability(),
                        n.NOTES_FIGURES["likeliest_doors_probability"]),
            WorkedValue(rf"\mathrm{{CE}}[{outcome(likeliest)}, p]", n.likeliest_doors_cross_entropy(),
                        n.NOTES_FIGURES["likeliest_doors_cross_entropy"]),
            WorkedValue(rf"-\ln P(y = {outcome(likeliest)})", -math.log(table[likeliest][0])),
            WorkedValue(rf"P(y = {outcome(least)}),\ \text{{the least likely outcome}}", table[least][0]),
            WorkedValue(rf"\mathrm{{CE}}[{outcome(least)}, p]", table[least][1]),
            WorkedValue(r"\text{sum of } P \text{ over all 8 outcomes}",
                        math.fsum(probability for probability, _ce in table.values())),
        ),
    )
    return PageExamples((worked,))


def softmax_two_classes_examples() -> PageExamples:
    n = notes()
    softmax, sigmoid = Public("softmax"), Public("sigmoid")
    scores = n.line_scores()
    two = np.column_stack([scores, np.zeros_like(scores)])
    worked = WorkedExample(
        "The notes' three scores \\((2, 1, 0)\\) for the classes A, B, C, then only A and B: with "
        "two classes the softmax is \\(\\sigma\\) of the score difference. Last, the notes' line "
        "\\(4x_1 + 5x_2 - 9\\) as the score of a class whose rival scores 0: at the points "
        "\\((1, 1)\\) and \\((-4, 5)\\) the score is 0 and both classes get one half.",
        (
            WorkedValue(r"\operatorname{softmax}(2, 1, 0)", n.softmax_of_scores(),
                        n.NOTES_FIGURES["softmax_of_scores"]),
            WorkedValue(r"\operatorname{softmax}(2, 1)", softmax(np.array([2.0, 1.0]))),
            WorkedValue(r"(\sigma(2 - 1), \sigma(1 - 2))", sigmoid(np.array([1.0, -1.0]))),
            WorkedValue(r"4x_1 + 5x_2 - 9\ \text{at}\ (1, 1), (-4, 5)", scores,
                        n.NOTES_FIGURES["line_scores"]),
            WorkedValue(r"\sigma(4x_1 + 5x_2 - 9)\ \text{at both points}", n.sigmoid_on_the_line(),
                        n.NOTES_FIGURES["sigmoid_on_the_line"]),
            WorkedValue(r"\operatorname{softmax}(4x_1 + 5x_2 - 9, 0)_1\ \text{at both points}",
                        softmax(two)[:, 0]),
        ),
    )
    return PageExamples((worked,))


def _bce_slope(y: float, y_hat: float) -> float:
    return (y_hat - y) / (y_hat * (1 - y_hat))


def _bce_logit_slope(y: float, z: float) -> float:
    return float(public_function("sigmoid")(z)) - y


def bce_derivative_examples() -> PageExamples:
    sigmoid = Public("sigmoid")
    y_hat = float(sigmoid(0.4))
    worked = WorkedExample(
        "The notes' \\(\\sigma(0.4)\\) as the prediction for a point labelled 1. The slope in "
        "\\(\\hat{y}\\) is negative, so a step downhill raises the prediction towards the label; "
        "on the logit the slope is just \\(\\hat{y} - y\\). The last row is the notes' slip "
        "(see [Mistakes the checker catches](../generated/mistakes.md)): with a plus sign the "
        "slope would be positive and push the prediction away from the label.",
        (
            WorkedValue(r"\hat{y} = \sigma(0.4)", y_hat, NOTES_SIGMOID[0.4]),
            WorkedValue(r"\frac{\hat{y} - y}{\hat{y}(1 - \hat{y})},\ y = 1", _bce_slope(1.0, y_hat)),
            WorkedValue(r"\hat{y} - y,\ y = 1", _bce_logit_slope(1.0, 0.4)),
            WorkedValue(r"\frac{y}{\hat{y}} + \frac{1 - y}{1 - \hat{y}},\ y = 1\ \text{(the notes)}",
                        1.0 / y_hat),
        ),
    )
    probability = GradientCheck(
        Formula("(y_hat - y) / (y_hat * (1 - y_hat))", _bce_slope),
        Public("log_loss"), r"\texttt{log\_loss}(y, \hat{y})", ("y_hat",),
        tuple(CheckInput({"y": y, "y_hat": p}) for y, p in
              ((1.0, y_hat), (0.0, 0.2), (1.0, 0.05), (0.3, 0.9), (0.5, 0.7))),
    )
    logit = GradientCheck(
        Formula("sigmoid(z) - y", _bce_logit_slope),
        Public("log_loss_with_logits"), r"\texttt{log\_loss\_with\_logits}(y, z)", ("z",),
        tuple(CheckInput({"y": y, "z": z}) for y, z in
              ((1.0, 0.4), (0.0, 0.4), (1.0, -6.0), (0.0, 30.0), (0.3, 2.0))),
    )
    return PageExamples((worked,), (probability, logit))


def gradient_descent_examples() -> PageExamples:
    n = notes()
    grad = Public("unit_error_grad")
    w, b, alpha = np.array(n.LINE_WEIGHTS), n.LINE_BIAS, 0.1
    rows = []
    for point, y in ((n.LINE_POINTS[0], 1.0), ((2.0, 1.0), 0.0)):
        rows += _update_rows(grad, np.array(point), y, w, b, alpha)
    worked = WorkedExample(
        "One gradient-descent step from the notes' line \\(4x_1 + 5x_2 - 9 = 0\\) with "
        "\\(\\alpha = 0.1\\), for two points in turn. The gradbook column applies "
        "\\(w \\leftarrow w - \\alpha \\nabla_w E\\) with the gradient from "
        "`gradbook.functions.unit_error_grad`; the other column is the derived update "
        "\\(w + \\alpha (y - \\hat{y}) x\\), \\(b + \\alpha (y - \\hat{y})\\) worked out by hand, "
        "in exact fractions where \\(\\hat{y} = 1/2\\). The point \\((1, 1)\\), labelled 1, sits "
        "on the line and pulls it towards itself; \\((2, 1)\\), labelled 0, is on the wrong side "
        "with \\(\\hat{y} = \\sigma(4) \\approx 0.98\\) and pushes the line away with almost the "
        "largest step there is. Where \\(\\hat{y}\\) is irrational the hand computation is shown "
        "to 12 significant digits.",
        tuple(rows),
        reference_label="by hand",
    )
    check = GradientCheck(
        grad, unit_error, r"E(w, b)", ("w", "b"),
        tuple(CheckInput({"x": point, "y": y, "w": n.LINE_WEIGHTS, "b": n.LINE_BIAS})
              for point, y in ((n.LINE_POINTS[0], 1.0), ((2.0, 1.0), 0.0), (n.LINE_POINTS[1], 0.0))),
    )
    usage = Usage("""
        import numpy as np
        from gradbook.functions import sigmoid, unit_error_grad

        X = np.array([[1.0, 2.0], [-1.0, 1.0], [0.0, 3.0],    # above the diagonal x₂ = x₁
                      [2.0, 1.0], [3.0, -1.0], [1.0, 0.0]])   # below it
        y = np.array([1.0, 1.0, 1.0, 0.0, 0.0, 0.0])
        w, b, alpha = np.array([4.0, 5.0]), -9.0, 0.1          # the notes' line
        for epoch in range(201):
            if epoch % 50 == 0:
                print(epoch, sigmoid(X @ w + b).round(2))
            for x_i, y_i in zip(X, y):                         # one point at a time
                dw, db = unit_error_grad(x_i, y_i, w, b)
                w, b = w - alpha * dw, b - alpha * db
        print(w.round(2), round(b, 2))
    """)
    return PageExamples((worked,), (check,), usage)


def _update_rows(grad: Public, x: np.ndarray, y: float, w: np.ndarray, b: float,
                 alpha: float) -> list[WorkedValue]:
    dw, db = grad(x, y, w, b)
    new_w, new_b = w - alpha * dw, b - alpha * db
    score = float(w @ x + b)
    at = rf"x = ({x[0]:g}, {x[1]:g}),\ y = {y:g}"
    if score == 0:  # ŷ = 1/2 exactly: the update is exact in fractions
        step = Fraction(str(alpha)) * (Fraction(y) - Fraction(1, 2))
        by_hand_w = tuple(Fraction(wk) + step * Fraction(xk) for wk, xk in zip(w, x, strict=True))
        by_hand_b = Fraction(b) + step
        by_hand_score = sum(bw * Fraction(xk) for bw, xk in zip(by_hand_w, x, strict=True)) + by_hand_b
        shown = (_fraction_text(by_hand_w), _fraction_text((by_hand_b,)), _fraction_text((by_hand_score,)))
    else:
        y_hat = 1 / (1 + math.exp(-score))
        hand_w = [wk + alpha * (y - y_hat) * xk for wk, xk in zip(w, x, strict=True)]
        hand_b = b + alpha * (y - y_hat)
        hand_score = math.fsum([hw * xk for hw, xk in zip(hand_w, x, strict=True)] + [hand_b])
        shown = (_digits(hand_w), _digits([hand_b]), _digits([hand_score]))
    return [
        WorkedValue(rf"w - \alpha \nabla_w E,\ {at}", new_w, shown[0]),
        WorkedValue(rf"b - \alpha\, \partial E/\partial b,\ {at}", new_b, shown[1]),
        WorkedValue(rf"\text{{new score}},\ {at}", float(new_w @ x + new_b), shown[2]),
    ]


def _digits(values: list[float]) -> str:
    texts = [f"{value:.12g}".replace("-", "−") for value in values]
    return texts[0] if len(texts) == 1 else "(" + ", ".join(texts) + ")"


def _fraction_text(values: tuple[Fraction, ...]) -> str:
    """Exact decimals (the fractions here have denominators 2^a 5^b), as a table shows them."""
    texts = [str(Decimal(value.numerator) / Decimal(value.denominator)).replace("-", "−") for value in values]
    return texts[0] if len(texts) == 1 else "(" + ", ".join(texts) + ")"


EXAMPLES: dict[str, Callable[[], PageExamples]] = {
    "sigmoid_prime": sigmoid_prime_examples,
    "stable_sigmoid": stable_sigmoid_examples,
    "log_loss": log_loss_examples,
    "unit_error_gradient": unit_error_gradient_examples,
    "logistic_cost_gradient": logistic_cost_gradient_examples,
    "linear_regression_mse": linear_regression_mse_examples,
    "softmax_cross_entropy": softmax_cross_entropy_examples,
    "maximum_likelihood": maximum_likelihood_examples,
    "entropy_cross_entropy": entropy_cross_entropy_examples,
    "softmax_two_classes": softmax_two_classes_examples,
    "bce_derivative": bce_derivative_examples,
    "gradient_descent": gradient_descent_examples,
}
