"""Mistakes in the reference notes, and the counterexamples the checker finds for them.

Each :class:`Mistake` is one wrong line of the notes, rewritten as a step of a derivation: the
line before it (``before``), the line the notes should have written (``correct``) and the one
they did write (``wrong``), in a small setting of its own. :meth:`Mistake.caught` runs the wrong
step through the checker and returns the :class:`~gradbook.errors.StepNotEquivalentError` it
raises, whose counterexample point and two values are computed by the checker, not typed here.
A page can list :data:`MISTAKES` with their LaTeX and the caught errors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sympy as sp
from sympy import Derivative, Sum, exp, log

from gradbook import domains
from gradbook.derivation import Derivation, Step, tidy
from gradbook.errors import GradbookError, StepNotEquivalentError
from gradbook.latex import to_latex
from gradbook.notation import sigmoid


class MistakeNotCaughtError(GradbookError):
    """A step recorded as a mistake passed the checker: either the step or the checker is wrong."""


@dataclass(frozen=True)
class Case:
    """A mistake written out in its own derivation: the step before, the right and the wrong one.

    ``rule`` is the justification the wrong step claims; the correct step claims it too.
    """

    derivation: Derivation
    before: sp.Expr
    correct: sp.Expr
    wrong: sp.Expr
    rule: str


@dataclass(frozen=True)
class Mistake:
    """One wrong line of the reference notes.

    ``where`` says where the notes have it, ``explanation`` what went wrong, and ``write`` builds
    a fresh :class:`Case` (a derivation accumulates steps, so each check gets its own).
    ``in_notes`` is False for a common slip that the notes themselves avoid: the page then does
    not call the wrong step the notes'.
    """

    name: str
    title: str
    where: str
    explanation: str
    write: Callable[[], Case]
    in_notes: bool = True

    def case(self) -> Case:
        with sp.evaluate(False):
            return self.write()

    def take_wrong_step(self) -> Step:
        """Write the wrong step after the one before it; raises ``StepNotEquivalentError``."""
        return self._take(lambda case: case.wrong)

    def take_correct_step(self) -> Step:
        """Write the correct step instead; it passes, and the returned step says how it was verified."""
        return self._take(lambda case: case.correct)

    def caught(self) -> StepNotEquivalentError:
        """The checker's error for the wrong step: the counterexample and both values."""
        try:
            step = self.take_wrong_step()
        except StepNotEquivalentError as error:
            return error
        raise MistakeNotCaughtError(
            f"mistake {self.name!r}: the wrong step passed the checker ({step.verification.summary})"
        )

    def latex(self) -> dict[str, str]:
        """The LaTeX of the step before, the correct step and the wrong step, as a page shows steps."""
        case = self.case()
        with sp.evaluate(False):
            parts = {part: tidy(getattr(case, part)) for part in ("before", "correct", "wrong")}
        return {part: to_latex(expr) for part, expr in parts.items()}

    def _take(self, choose: Callable[[Case], sp.Expr]) -> Step:
        case = self.case()
        with sp.evaluate(False):
            case.derivation.start(case.before)
            return case.derivation.step(choose(case), case.rule)


def _derivation(name: str, title: str) -> Derivation:
    return Derivation(name, f"{title}.\n\nA mistake of the reference notes.", source=Path(__file__))


def _bce(label: sp.Expr, prediction: sp.Expr) -> sp.Expr:
    return -label * log(prediction) - (1 - label) * log(1 - prediction)


def sigmoid_denominator() -> Case:
    d = _derivation("sigmoid_denominator", "The sigmoid's derivative with 1 − e⁻ˣ below")
    x = d.real("x", "the input of the sigmoid")
    return Case(
        d,
        Derivative(1 / (1 + exp(-x)), x),
        exp(-x) / (1 + exp(-x)) ** 2,
        exp(-x) / (1 - exp(-x)) ** 2,
        "the quotient rule (u/v)′ = (vu′ − uv′)/v² with u = 1, v = 1 + e⁻ˣ",
    )


def bce_derivative_sign() -> Case:
    d = _derivation("bce_derivative_sign", "The binary cross-entropy's derivative with a plus")
    y = d.scalar("y", domains.LABEL, "the label (t in the notes)")
    yhat = d.scalar("yhat", domains.PROBABILITY, "the predicted probability")
    return Case(
        d,
        -(y / yhat - (1 - y) / (1 - yhat)),
        -y / yhat + (1 - y) / (1 - yhat),
        y / yhat + (1 - y) / (1 - yhat),
        "take the minus sign into the bracket",
    )


def _unit(name: str, title: str) -> tuple[Derivation, dict[str, sp.Expr]]:
    """One sigmoid unit with one feature j: ŷ = σ(wⱼxⱼ + b), as in the notes' update rules."""
    d = _derivation(name, title)
    symbols = {
        "w": d.real("w_j", "the weight of feature j"),
        "x": d.real("x_j", "feature j of the point"),
        "b": d.real("b", "the bias"),
        "y": d.scalar("y", domains.LABEL, "the label"),
        "alpha": d.scalar("alpha", domains.POSITIVE, "the learning rate"),
    }
    symbols["yhat"] = d.define("yhat", sigmoid(symbols["w"] * symbols["x"] + symbols["b"]), "the prediction")
    return d, symbols


def weight_update_sign() -> Case:
    d, s = _unit("weight_update_sign", "The weight update with y + ŷ")
    w, x, y, yhat, alpha = s["w"], s["x"], s["y"], s["yhat"], s["alpha"]
    return Case(
        d,
        w - alpha * Derivative(_bce(y, yhat), w),
        w + alpha * (y - yhat) * x,
        w + alpha * (y + yhat) * x,
        "∂E/∂wⱼ = −(y − ŷ)xⱼ, and the two minus signs cancel",
    )


def bias_update_feature() -> Case:
    d, s = _unit("bias_update_feature", "The bias update with a feature in it")
    b, x, y, yhat, alpha = s["b"], s["x"], s["y"], s["yhat"], s["alpha"]
    return Case(
        d,
        b - alpha * Derivative(_bce(y, yhat), b),
        b + alpha * (y - yhat),
        b + alpha * (y - yhat) * x,
        "∂E/∂b = −(y − ŷ), and the two minus signs cancel",
    )


def cross_entropy_second_sign() -> Case:
    d = _derivation("cross_entropy_second_sign", "The cross-entropy with + on its second term")
    y = d.scalar("y", domains.LABEL, "the outcome of one event, 1 if it happened")
    p = d.scalar("p", domains.PROBABILITY, "the probability the model gives the event")
    return Case(
        d,
        -(y * log(p) + (1 - y) * log(1 - p)),
        -y * log(p) - (1 - y) * log(1 - p),
        -y * log(p) + (1 - y) * log(1 - p),
        "take the minus sign into the bracket",
    )


def mean_gradient_without_1_over_m() -> Case:
    d = _derivation("mean_gradient_without_1_over_m", "The gradient of a mean cost without 1/m")
    # With m = 1 the mistake changes nothing; the check draws m from 2, 3 and 4.
    m = d.size("m", checked_at=(2, 3, 4), meaning="the number of data points")
    n = d.size("n", checked_at=(1, 2), meaning="the number of features")
    i, j, k = d.index("i", m), d.index("j", n), d.index("k", n)
    X = d.matrix("X", m, n, meaning="the data")
    y = d.vector("y", m, meaning="the targets")
    theta = d.vector("theta", n, meaning="the parameters")
    h = d.define("h", Sum(theta[j] * X[i, j], (j, 1, n)), "the prediction for point i", index=i)
    return Case(
        d,
        Derivative(Sum((h[i] - y[i]) ** 2, (i, 1, m)) / (2 * m), theta[k]),
        Sum((h[i] - y[i]) * X[i, k], (i, 1, m)) / m,
        Sum((h[i] - y[i]) * X[i, k], (i, 1, m)),
        "differentiate under the sum; the 2 of the square cancels the 1/2",
    )


MISTAKES: tuple[Mistake, ...] = (
    Mistake(
        "sigmoid_denominator",
        "A minus sign in the denominator of σ′",
        "The notes on differentiating the sigmoid and the cross-entropy, “Derivative of Sigmoid "
        "Function”: the quotient rule written with (1 − e⁻ˣ)² below the line.",
        "The denominator of 1/(1 + e⁻ˣ) is 1 + e⁻ˣ, so the quotient rule squares "
        "1 + e⁻ˣ. With 1 − e⁻ˣ the result is not even defined at x = 0. The notes' "
        "next paragraph has the right denominator.",
        sigmoid_denominator,
    ),
    Mistake(
        "bce_derivative_sign",
        "A plus sign in the derivative of the binary cross-entropy",
        "The notes on differentiating the sigmoid and the cross-entropy, “Derivative of "
        "Cross-Entropy Function”, last line: −(t/ŷ − (1 − t)/(1 − ŷ)) = t/ŷ + (1 − t)/(1 − ŷ).",
        "Taking the minus sign into the bracket flips both terms: the result is "
        "−t/ŷ + (1 − t)/(1 − ŷ). The notes' version is positive for every ŷ, so gradient "
        "descent, which steps against the slope, would lower every prediction, whatever the "
        "label: a point labelled 1 would be pushed further from its label at every step.",
        bce_derivative_sign,
    ),
    Mistake(
        "weight_update_sign",
        "y + ŷ in the weight update",
        "The notes on neural networks and gradient descent, “Gradient Descent Step”: "
        "wⱼ′ ← wⱼ + α(y + ŷ)xⱼ (the notes number the features with i).",
        "wⱼ − α(−(y − ŷ)xⱼ) is wⱼ + α(y − ŷ)xⱼ: it is the error y − ŷ that scales the step. "
        "With y + ŷ a point labelled 0 would move the weights to raise its own score. The notes' own "
        "algorithm, wⱼ − α(ŷ − y)xⱼ, is right.",
        weight_update_sign,
    ),
    Mistake(
        "bias_update_feature",
        "A feature in the bias update",
        "The notes on neural networks and gradient descent, “Gradient Descent Step” "
        "(b′ ← b + α(y + ŷ)xⱼ) and step 2.1.2 of the algorithm (b′ ← b − α(ŷ − y)xⱼ).",
        "∂E/∂b = −(y − ŷ) has no feature in it: the bias multiplies the constant input 1, so "
        "the update is b + α(y − ŷ). The step checked here keeps the correct sign and adds "
        "only the stray xⱼ.",
        bias_update_feature,
    ),
    Mistake(
        "cross_entropy_second_sign",
        "A plus sign on the second term of the cross-entropy",
        "The notes on neural networks and gradient descent, “Cross Entropy Example”: "
        "Cross-Entropy = −Σ yᵢ ln(pᵢ) + (1 − yᵢ) ln(1 − pᵢ), without brackets.",
        "The minus sign applies to both terms: −Σ [yᵢ ln pᵢ + (1 − yᵢ) ln(1 − pᵢ)]. Read as "
        "written, an event that did not happen would lower the cross-entropy the more confidently "
        "the model predicted it; the notes' own number, 0.69, uses the bracketed formula.",
        cross_entropy_second_sign,
    ),
    Mistake(
        "mean_gradient_without_1_over_m",
        "The gradient of a mean cost without its 1/m",
        "Not in the notes, which keep the 1/m when they differentiate J(θ) = (1/(2m)) Σᵢ (hᵢ − yᵢ)² "
        "(the notes on differentiating the sigmoid and the cross-entropy); it is the slip their "
        "sum-of-squares and mean-squared-error costs invite, since the notes on error functions "
        "offer both as error functions.",
        "The 2 from the square cancels the 1/2 but not the 1/m. The sum without 1/m is the "
        "gradient of half the sum of squares, m times the gradient of J: a step size tuned "
        "on one data set would be m times too large for J on it.",
        mean_gradient_without_1_over_m,
        in_notes=False,
    ),
)
