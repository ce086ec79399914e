"""The log loss on a logit, without overflow.

The binary cross-entropy of a sigmoid unit, −y ln σ(z) − (1 − y) ln(1 − σ(z)), is usually
computed from the probability σ(z). For a confident wrong prediction (z = 800, y = 0) that
probability rounds to 1 and the loss comes out infinite, although its true value is 800.
Written with softplus, the loss is y·softplus(−z) + (1 − y)·softplus(z): two non-negative terms,
no cancellation and no overflow for any finite z.
"""

import mpmath
import numpy as np
from sympy import Abs, Derivative, Max, exp, log
from sympy.codegen.cfunctions import log1p

from gradbook import Derivation, binary_cross_entropy, domains, sigmoid, softplus
from gradbook.examples import (
    ExtremeTable,
    Formula,
    Public,
    Usage,
    WorkedExample,
    WorkedValue,
    extreme_row,
    number,
)

d = Derivation("log_loss", __doc__, uses=["stable_sigmoid"], source=__file__)
z = d.real("z", "the logit")
y = d.scalar("y", domains.SOFT_LABEL, "the label, 0 or 1 (or a soft label in between)")

with d.chain("The loss on the logit"):
    d.start(binary_cross_entropy(y, sigmoid(z)))
    d.step(
        -y * log(sigmoid(z)) - (1 - y) * log(1 - sigmoid(z)),
        "the definition BCE(y, ŷ) = −y ln ŷ − (1 − y) ln(1 − ŷ), with ŷ = σ(z)",
    )
    d.step(-y * log(sigmoid(z)) - (1 - y) * log(sigmoid(-z)), "1 − σ(z) = σ(−z)")
    d.step(y * softplus(-z) + (1 - y) * softplus(z), "−ln σ(u) = ln(1 + e⁻ᵘ) = softplus(−u)")
d.result("log_loss_with_logits")
with d.chain("One exponential for both terms"):
    d.start(y * softplus(-z) + (1 - y) * softplus(z))
    d.step(
        y * (Max(-z, 0) + log1p(exp(-Abs(z)))) + (1 - y) * (Max(z, 0) + log1p(exp(-Abs(z)))),
        r"the overflow-free form \(\operatorname{softplus}(u) = \max(u, 0) + \ln(1 + e^{-|u|})\), "
        r"at \(u = -z\) and \(u = z\), where \(|-z| = |z|\)",
    )
    d.step(
        y * Max(-z, 0) + (1 - y) * Max(z, 0) + log1p(exp(-Abs(z))),
        "collect the two logarithms: y + (1 − y) = 1",
    )
d.note(
    "The last form computes one exponential and one logarithm per point, where the two softplus "
    "terms compute two of each, and it adds three non-negative numbers: no cancellation."
)
d.implement(
    "log_loss_logit", (y, z),
    "The binary cross-entropy −y ln σ(z) − (1 − y) ln(1 − σ(z)), elementwise, from logits.",
)

with d.exercise("Show that the derivative of softplus(z) = ln(1 + eᶻ) is σ(z)."):
    d.start(Derivative(softplus(z), z))
    d.step(exp(z) / (1 + exp(z)), "the definition of softplus, and (ln u)′ = u′/u with u = 1 + eᶻ")
    d.step(1 / (exp(-z) + 1), "divide the numerator and the denominator by eᶻ")
    d.step(sigmoid(z), "the definition σ(z) = 1/(1 + e⁻ᶻ)")

with d.exercise(
    "Differentiate the loss in its softplus form, y·softplus(−z) + (1 − y)·softplus(z), with "
    "respect to the logit z, and show that the slope is σ(z) − y, as it is for the textbook form."
):
    d.start(Derivative(y * softplus(-z) + (1 - y) * softplus(z), z))
    d.step(
        y * (-sigmoid(-z)) + (1 - y) * sigmoid(z),
        "softplus′ = σ (Exercise 1); the chain rule gives softplus(−z) the factor −1",
    )
    d.step(-y * (1 - sigmoid(z)) + (1 - y) * sigmoid(z), "σ(−z) = 1 − σ(z)")
    d.step(sigmoid(z) - y, "multiply out: the terms in yσ(z) cancel")

with d.exercise(
    "Spot the mistake. For a point labelled 0 the loss is −ln(1 − σ(z)). A student rewrites it "
    "with softplus as below. Which line is wrong, and what should it say? Hint: a confident wrong "
    "prediction, with z large and positive, must cost a lot."
):
    d.start(-log(1 - sigmoid(z)))
    d.step(-log(sigmoid(-z)), "1 − σ(z) = σ(−z)")
    d.step(softplus(z), "−ln σ(u) = ln(1 + e⁻ᵘ) = softplus(−u)", wrong=softplus(-z))

# -- the page -------------------------------------------------------------------------------

page = d.page(part=2, section="The sigmoid", order=4, documents=["log_loss_with_logits", "logistic_cost"])


def exact_log_loss(y, z):
    # 1 − σ(800) is about 1e−348: the textbook formula needs more than 348 digits to see it.
    with mpmath.workdps(400):
        p = 1 / (1 + mpmath.exp(-z))
        return -y * mpmath.log(p) - (1 - y) * mpmath.log(1 - p)


def textbook_log_loss(y, z):
    p = 1 / (1 + np.exp(-z))
    return -y * np.log(p) - (1 - y) * np.log(1 - p)


LOG_LOSS_LATEX = r"-y \log \sigma(z) - (1 - y) \log(1 - \sigma(z))"
TEXTBOOK_LOG_LOSS = Formula("p = 1 / (1 + np.exp(-z)); -y * np.log(p) - (1 - y) * np.log(1 - p)",
                            textbook_log_loss)


@page.examples
def examples():
    log_loss, with_logits, sigmoid = Public("log_loss"), Public("log_loss_with_logits"), Public("sigmoid")
    rows = []
    for y, z in ((0.0, 800.0), (1.0, -800.0), (1.0, 0.4)):
        exact = number(exact_log_loss(y, z))
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
    naive = ExtremeTable(
        "Naive and stable log loss at extreme logits",
        "The textbook loss written in NumPy, first σ and then the two logarithms: "
        f"`{TEXTBOOK_LOG_LOSS}`. At \\(z = 800\\) the probability is exactly 1 in float64 and "
        "\\(\\log(1 - p) = \\log 0\\); at \\(z = -800\\) the exponential overflows and "
        "\\(p = 0\\), and for the label 0 the product \\(0 \\cdot \\log 0\\) is NaN. "
        "gradbook's `log_loss_with_logits` works on the logit and returns the exact value, "
        "from mpmath at 400 digits, rounded to float64; the last one, about \\(e^{-800}\\), "
        "is below the smallest positive float64 and rounds to 0.",
        tuple(extreme_row(LOG_LOSS_LATEX, TEXTBOOK_LOG_LOSS, with_logits, exact_log_loss, {"y": y, "z": z})
              for y, z in ((0.0, 800.0), (1.0, -800.0), (0.0, -800.0))),
    )
    usage = Usage("""
        import numpy as np
        from gradbook.functions import log_loss, log_loss_with_logits, sigmoid

        z = np.array([-800.0, -2.0, 0.0, 2.0, 800.0])
        y = np.zeros(5)                            # every point labelled 0
        print(log_loss_with_logits(y, z))          # finite everywhere: 800 at z = 800
        print(log_loss(y, sigmoid(z)))             # from probabilities: inf at z = 800
    """)
    return [worked, naive, usage]


@page.figure(
    "log-loss.svg",
    alt="The log loss as a function of the prediction: for y = 1 it falls from infinity at 0 to 0 at 1; "
    "for y = 0 it mirrors that.",
    caption="The loss of one prediction, gradbook.functions.log_loss, for each label. A confident "
    "wrong prediction costs without bound; a confident right one costs almost nothing.",
)
def draw_log_loss(drawing):
    import gradbook.functions as gb

    y_hat = np.linspace(0.001, 0.999, 400)
    ax = drawing.subplots()
    ax.plot(y_hat, gb.log_loss(np.ones_like(y_hat), y_hat), label="y = 1: −ln ŷ")
    ax.plot(y_hat, gb.log_loss(np.zeros_like(y_hat), y_hat), label="y = 0: −ln(1 − ŷ)")
    ax.set_xlabel("prediction ŷ")
    ax.set_ylabel("loss")
    ax.set_ylim(0, 7)
    ax.legend(loc="upper center")
    ax.grid(alpha=0.3)


if __name__ == "__main__":
    d.main()
