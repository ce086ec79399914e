"""Examples of the learning path's second part, the sigmoid: σ′, its stable forms, two-class
softmax, and the log loss on probabilities and on logits."""

from __future__ import annotations

import mpmath
import numpy as np

from gradbook.examples.extremes import ExtremeTable, extreme_row
from gradbook.examples.gradient_checks import CheckInput, GradientCheck
from gradbook.examples.page import PageExamples
from gradbook.examples.usage import Usage
from gradbook.examples.values import Formula, Public, notes, number
from gradbook.examples.worked import WorkedExample, WorkedValue, notes_figure


def sigmoid_prime_examples() -> PageExamples:
    sigmoid, sigmoid_prime = Public("sigmoid"), Public("sigmoid_prime")
    figures = notes().sigmoid_figures()
    rows = [WorkedValue(rf"\sigma({z:g})", sigmoid(z), figure) for z, figure in figures.items()]
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
    """e⁻ᶻ/(1 + e⁻ᶻ)², as the textbook writes it (overflows for z below about −355)."""
    # Evaluated as written on purpose: the overflow is what the page shows.
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(-np.float64(z))
        return float(e / (1 + e) ** 2)


def _exact_sigmoid_prime(z: float) -> mpmath.mpf:
    with mpmath.workdps(30):
        return mpmath.exp(-z) / (1 + mpmath.exp(-z)) ** 2


def _exact_sigmoid(z: float) -> mpmath.mpf:
    with mpmath.workdps(30):
        return 1 / (1 + mpmath.exp(-z))


def _textbook_sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


TEXTBOOK_SIGMOID = Formula("1 / (1 + np.exp(-z))", _textbook_sigmoid)


def _naive_sigmoid_table() -> ExtremeTable:
    sigmoid = Public("sigmoid")
    return ExtremeTable(
        "Naive and stable σ at extreme inputs",
        f"The textbook σ written in NumPy, `{TEXTBOOK_SIGMOID}`, computes \\(e^{{800}}\\) on the "
        "way to a number near 0: the exponential overflows to infinity, NumPy warns, and "
        "\\(1/\\infty\\) happens to give the right float, 0. gradbook's σ never forms a positive "
        "exponent and returns the same 0 without a warning. The exact values, from 30-digit "
        "mpmath, are far below the smallest float64.",
        tuple(extreme_row(r"\sigma(z)", TEXTBOOK_SIGMOID, sigmoid, _exact_sigmoid, {"z": z})
              for z in (-800.0, -1000.0)),
    )


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
    return PageExamples((worked,), (check,), usage, (_naive_sigmoid_table(),))


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
            notes_figure(r"\operatorname{softmax}(2, 1, 0)", "softmax_of_scores"),
            WorkedValue(r"\operatorname{softmax}(2, 1)", softmax(np.array([2.0, 1.0]))),
            WorkedValue(r"(\sigma(2 - 1), \sigma(1 - 2))", sigmoid(np.array([1.0, -1.0]))),
            notes_figure(r"4x_1 + 5x_2 - 9\ \text{at}\ (1, 1), (-4, 5)", "line_scores"),
            notes_figure(r"\sigma(4x_1 + 5x_2 - 9)\ \text{at both points}", "sigmoid_on_the_line"),
            WorkedValue(r"\operatorname{softmax}(4x_1 + 5x_2 - 9, 0)_1\ \text{at both points}",
                        softmax(two)[:, 0]),
        ),
    )
    return PageExamples((worked,))



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
    return PageExamples((worked,), (), usage, (_naive_log_loss_table(),))



def _textbook_log_loss(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    p = 1 / (1 + np.exp(-z))
    return -y * np.log(p) - (1 - y) * np.log(1 - p)


LOG_LOSS_LATEX = r"-y \log \sigma(z) - (1 - y) \log(1 - \sigma(z))"
TEXTBOOK_LOG_LOSS = Formula("p = 1 / (1 + np.exp(-z)); -y * np.log(p) - (1 - y) * np.log(1 - p)",
                            _textbook_log_loss)


def _naive_log_loss_table() -> ExtremeTable:
    with_logits = Public("log_loss_with_logits")
    return ExtremeTable(
        "Naive and stable log loss at extreme logits",
        "The textbook loss written in NumPy, first σ and then the two logarithms: "
        f"`{TEXTBOOK_LOG_LOSS}`. At \\(z = 800\\) the probability is exactly 1 in float64 and "
        "\\(\\log(1 - p) = \\log 0\\); at \\(z = -800\\) the exponential overflows and "
        "\\(p = 0\\), and for the label 0 the product \\(0 \\cdot \\log 0\\) is NaN. "
        "gradbook's `log_loss_with_logits` works on the logit and returns the exact value, "
        "from mpmath at 400 digits, rounded to float64; the last one, about \\(e^{-800}\\), "
        "is below the smallest positive float64 and rounds to 0.",
        tuple(extreme_row(LOG_LOSS_LATEX, TEXTBOOK_LOG_LOSS, with_logits, _exact_log_loss, {"y": y, "z": z})
              for y, z in ((0.0, 800.0), (1.0, -800.0), (0.0, -800.0))),
    )
