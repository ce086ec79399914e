"""From maximum likelihood to the cross-entropy loss.

A model that gives each of m independent points the probability pᵢ of its observed label gives
the whole data set the probability Πᵢ pᵢ, its likelihood; the best model is the one with the
largest likelihood. A product of m numbers below one soon underflows and is awkward to
differentiate, so we take −ln: it turns the product into the sum Σᵢ −ln pᵢ, and because −ln
is decreasing, maximising the likelihood is the same as minimising that sum. For labels
y ∈ {0, 1} predicted with probability ŷ, the per-point term −ln P(y | ŷ) is exactly the binary
cross-entropy.
"""

import math

import mpmath
import numpy as np
from sympy import Derivative, Product, Rational, Sum, exp, log, pi, sqrt

from gradbook import Derivation, binary_cross_entropy, domains, numbers
from gradbook.examples import WorkedExample, WorkedValue, number

d = Derivation("maximum_likelihood", __doc__, source=__file__)
m = d.size("m", checked_at=(1, 2, 3, 4), meaning="the number of data points")
i = d.index("i", m, "a data point")
p = d.vector("p", m, domains.PROBABILITY, "the probability the model gives the label of point i")
yhat = d.vector("yhat", m, domains.PROBABILITY, "the predicted probability that point i has label 1")
y = d.vector("y", m, domains.LABEL, "the label of point i")
q = d.scalar("q", domains.PROBABILITY, "in the exercises: the probability of label 1 that a constant "
             "model gives every point")
t = d.vector("t", m, meaning="in the exercises: the real-valued target of point i")
h = d.vector("h", m, meaning="in the exercises: a regression model's prediction for point i")


def bernoulli(label, prediction):
    """P(label | prediction) for a label in {0, 1}, in one formula."""
    return prediction**label * (1 - prediction) ** (1 - label)


with d.chain("Minus the log-likelihood is a sum"):
    d.start(-log(Product(p[i], (i, 1, m))))
    d.step(-Sum(log(p[i]), (i, 1, m)), "ln(ab) = ln a + ln b for a, b > 0, once per factor")
    d.step(Sum(-log(p[i]), (i, 1, m)), "take the minus sign into the sum")
d.result("negative_log_likelihood")

with d.chain("The probability of one label in one formula"):
    d.start(bernoulli(y[i], yhat[i]))
    d.step(
        y[i] * yhat[i] + (1 - y[i]) * (1 - yhat[i]),
        r"\(y_i \in \{0, 1\}\): one factor is raised to the power 0, the other to the power 1, "
        r"so the formula is \(\hat{y}_i\) for a label 1 and \(1 - \hat{y}_i\) for a label 0",
    )

with d.chain("Minus the logarithm of the power form is the binary cross-entropy"):
    d.start(-log(bernoulli(y[i], yhat[i])))
    d.step(
        -(log(yhat[i] ** y[i]) + log((1 - yhat[i]) ** (1 - y[i]))),
        "ln(ab) = ln a + ln b, both factors positive",
    )
    d.step(-(y[i] * log(yhat[i]) + (1 - y[i]) * log(1 - yhat[i])), "ln(aᵇ) = b ln a for a > 0")
    d.step(-y[i] * log(yhat[i]) - (1 - y[i]) * log(1 - yhat[i]), "take the minus sign into the bracket")
    d.step(
        binary_cross_entropy(y[i], yhat[i]),
        "the binary cross-entropy BCE(y, ŷ) = −y ln ŷ − (1 − y) ln(1 − ŷ)",
    )
d.result("bernoulli_negative_log")

with d.chain("For m labelled points: the total cross-entropy"):
    d.start(-log(Product(bernoulli(y[i], yhat[i]), (i, 1, m))))
    d.step(
        Sum(-log(bernoulli(y[i], yhat[i])), (i, 1, m)),
        "minus the logarithm of a product of probabilities is the sum of their minus logs",
    )
    d.step(Sum(binary_cross_entropy(y[i], yhat[i]), (i, 1, m)), "the previous chain, for each point i")
d.result("cross_entropy_likelihood")

p_1, p_2, p_3, p_4 = numbers(0.6, 0.2, 0.1, 0.7)
with d.chain("A worked example: four points given probabilities 0.6, 0.2, 0.1 and 0.7"):
    d.start(-log(p_1 * p_2 * p_3 * p_4))
    d.step(-log(p_1) - log(p_2) - log(p_3) - log(p_4), "ln(ab) = ln a + ln b, for each factor")

d.note(
    "The four probabilities multiply to 0.0084, and minus the logarithm of that is about 4.78; a "
    "second model that gives the same four points 0.7, 0.9, 0.8 and 0.6 has likelihood 0.3024 "
    "and a sum of minus logs of about 1.20. The larger likelihood is the smaller sum."
)
d.note(
    "Both forms of P(yᵢ | ŷᵢ) give ŷᵢ for a label 1 and 1 − ŷᵢ for a label 0, but only the power "
    "form ŷᵢ^yᵢ (1 − ŷᵢ)^(1 − yᵢ) is a product, and the logarithm turns a product into a sum: "
    "that is why the chain after it starts from the power form, and why the cross-entropy has "
    "two logarithms rather than the logarithm of a sum. The two forms agree only for "
    "yᵢ ∈ {0, 1}, where they are checked; at yᵢ = 1/2 they differ. For soft labels the "
    "cross-entropy is still a sensible loss, but no longer minus the logarithm of a probability "
    "of this form."
)


def gaussian(target, prediction):
    """The density of a target under Gaussian noise of variance 1 around the prediction."""
    return (1 / sqrt(2 * pi)) * exp(-((target - prediction) ** 2) / 2)


with d.exercise(
    "A model that ignores the inputs gives every point the same probability q of the label 1. "
    "Show that the derivative of the total cross-entropy Σᵢ BCE(yᵢ, q) with respect to q is "
    "(m/(q(1 − q)))(q − (1/m) Σᵢ yᵢ). It is negative below the fraction of points labelled 1 and "
    "positive above it, so the maximum-likelihood q is exactly that fraction."
):
    d.start(Derivative(Sum(binary_cross_entropy(y[i], q), (i, 1, m)), q))
    d.step(
        Sum(-y[i] / q + (1 - y[i]) / (1 - q), (i, 1, m)),
        "differentiate under the sum: (ln q)′ = 1/q and (ln(1 − q))′ = −1/(1 − q)",
    )
    d.step(
        Sum((q - y[i]) / (q * (1 - q)), (i, 1, m)),
        "a common denominator q(1 − q); the numerator −yᵢ(1 − q) + (1 − yᵢ)q is q − yᵢ",
    )
    d.step(
        (1 / (q * (1 - q))) * (m * q - Sum(y[i], (i, 1, m))),
        "the denominator does not depend on i, and the m terms q add up to mq",
    )
    d.step((m / (q * (1 - q))) * (q - (1 / m) * Sum(y[i], (i, 1, m))), "factor out m")

with d.exercise(
    "A regression model predicts hᵢ for a real target tᵢ and assumes Gaussian noise of variance "
    "1, so that P(tᵢ | hᵢ) = (1/√(2π)) exp(−(tᵢ − hᵢ)²/2). Show that minus the log-likelihood of "
    "m independent points is (m/2) ln(2π) + (1/2) Σᵢ (tᵢ − hᵢ)²: maximising the likelihood is "
    "minimising the sum of squared errors, as the cross-entropy is for labels."
):
    d.start(-log(Product(gaussian(t[i], h[i]), (i, 1, m))))
    d.step(
        Sum(-log(gaussian(t[i], h[i])), (i, 1, m)),
        "minus the logarithm of a product is the sum of minus the logs, as in the first chain",
    )
    d.step(
        Sum(-log(1 / sqrt(2 * pi)) - log(exp(-((t[i] - h[i]) ** 2) / 2)), (i, 1, m)),
        "ln(ab) = ln a + ln b",
    )
    d.step(
        Sum(Rational(1, 2) * log(2 * pi) + Rational(1, 2) * (t[i] - h[i]) ** 2, (i, 1, m)),
        "−ln(1/√(2π)) = (1/2) ln(2π), and ln eᵘ = u",
    )
    d.step(
        (m / 2) * log(2 * pi) + Rational(1, 2) * Sum((t[i] - h[i]) ** 2, (i, 1, m)),
        "split the sum: its first term is the same for all m points",
    )

# -- the page -------------------------------------------------------------------------------

page = d.page(part=1, section="Error functions and probabilities", order=1)

#: The notes on maximum likelihood: the probability a first model gives each of four points of
#: having the colour it has, and the product the notes print.
FIRST_MODEL, FIRST_PRODUCT = (0.6, 0.2, 0.1, 0.7), "0.0084"
#: A second model of the same four points. The notes give only the product, 0.3024, not its
#: factors (they are in a figure the text does not reproduce); these four give exactly that product.
SECOND_MODEL, SECOND_PRODUCT = (0.7, 0.9, 0.8, 0.6), "0.3024"
#: The notes on the shape of the cross-entropy: a red point classified red with probability 0.6,
#: a blue point blue with 0.7, and the less confident model that gives the red point only 0.3.
TWO_POINTS, TWO_POINTS_PRODUCT = (0.6, 0.7), "0.42"
LESS_CONFIDENT, LESS_CONFIDENT_PRODUCT = (0.3, 0.7), "0.21"
#: The notes' warning: a million points, each given probability 0.9.
MANY_POINTS, EACH_PROBABILITY = 1_000_000, 0.9


def product_latex(factors):
    return r" \times ".join(f"{factor:g}" for factor in factors)


def minus_log_likelihood(probabilities):
    """Σᵢ −ln pᵢ, which equals −ln Πᵢ pᵢ (this page's first chain) without underflow."""
    return float(np.sum(-np.log(np.asarray(probabilities, dtype=float))))


@page.examples
def examples():
    products = WorkedExample(
        "The notes compare two models of the same four points by the probability each gives the "
        "colours the points really have. The first model's four probabilities multiply to "
        "0.0084; the notes print only the product for the second, 0.3024, and the factors below "
        "are one set that gives exactly that product (the notes show them only in a figure). "
        "The second model is far more likely, and its sum of minus "
        "logarithms, the cross-entropy, is correspondingly smaller. The two-point example of "
        "the notes (a red point red with 0.6, a blue point blue with 0.7) follows, with a less "
        "confident model that gives the red point only 0.3.",
        (
            WorkedValue(product_latex(FIRST_MODEL), math.prod(FIRST_MODEL), FIRST_PRODUCT),
            WorkedValue(product_latex(SECOND_MODEL), math.prod(SECOND_MODEL), SECOND_PRODUCT),
            WorkedValue(r"-\sum_i \ln p_i,\ \text{first model}", minus_log_likelihood(FIRST_MODEL)),
            WorkedValue(r"-\sum_i \ln p_i,\ \text{second model}", minus_log_likelihood(SECOND_MODEL)),
            WorkedValue(product_latex(TWO_POINTS), math.prod(TWO_POINTS), TWO_POINTS_PRODUCT),
            WorkedValue(product_latex(LESS_CONFIDENT), math.prod(LESS_CONFIDENT), LESS_CONFIDENT_PRODUCT),
            WorkedValue(r"-\ln 0.6 - \ln 0.7", minus_log_likelihood(TWO_POINTS)),
        ),
        title="Worked example: the notes' products of probabilities",
    )
    return [products, many_points_example()]


def many_points_example():
    count, q = MANY_POINTS, EACH_PROBABILITY
    with mpmath.workdps(30):
        exact_product = mpmath.mpf(str(q)) ** count
        exact_log = count * mpmath.log(mpmath.mpf(str(q)))
        exact_log10 = exact_log / mpmath.log(10)
    # 0.9 multiplied a million times, one factor after the other, in float64: the running
    # product falls below the smallest normal number after about 6 700 factors and then sticks
    # at 2.5 · 10^(−323), five times the smallest subnormal (0.9 times it rounds back to it).
    running_product = math.prod([q] * count)
    log_sum = float(np.sum(np.log(np.full(count, q))))
    power = rf"{q:g}^{{{count:,}}}".replace(",", r"\,")
    return WorkedExample(
        f"The notes' warning made concrete: {f'{count:,}'.replace(',', ' ')} points, each given "
        f"probability {q:g}. "
        "Multiplied one factor after another in float64 the likelihood sinks below the smallest "
        "normal number after a few thousand factors and ends on a tiny subnormal that has "
        "nothing to do with the true value, about \\(3 \\times 10^{-45758}\\). The sum of the "
        "logarithms "
        "has no such trouble; it also gives the true order of magnitude. The reference column "
        "is computed with 30-digit mpmath.",
        (
            WorkedValue(rf"{power}\ \text{{as a running product}}", running_product, number(exact_product)),
            WorkedValue(rf"\ln {power} = \sum_{{i}} \ln {q:g}", log_sum, number(float(exact_log))),
            WorkedValue(rf"\log_{{10}} {power} = \tfrac{{1}}{{\ln 10}} \sum_{{i}} \ln {q:g}",
                        log_sum / math.log(10), number(float(exact_log10))),
        ),
        reference_label="exact value",
        title="Worked example: a million probabilities",
    )


if __name__ == "__main__":
    d.main()
