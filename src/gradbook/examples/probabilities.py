"""Examples of the learning path's first part, error functions and probabilities: the notes'
products of probabilities, a million of them, and the three doors."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import mpmath

from gradbook.examples.page import PageExamples
from gradbook.examples.values import notes, number
from gradbook.examples.worked import WorkedExample, WorkedValue, notes_figure

if TYPE_CHECKING:
    from types import ModuleType


def _product_latex(factors: tuple[float, ...]) -> str:
    return r" \times ".join(f"{factor:g}" for factor in factors)


def maximum_likelihood_examples() -> PageExamples:
    n = notes()
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
            notes_figure(_product_latex(n.FIRST_MODEL), "first_model_likelihood"),
            notes_figure(_product_latex(n.SECOND_MODEL), "second_model_likelihood"),
            WorkedValue(r"-\sum_i \ln p_i,\ \text{first model}", n.first_model_cross_entropy()),
            WorkedValue(r"-\sum_i \ln p_i,\ \text{second model}", n.second_model_cross_entropy()),
            notes_figure(_product_latex(n.TWO_POINTS), "two_points_likelihood"),
            notes_figure(_product_latex(n.TWO_POINTS_LESS_CONFIDENT), "less_confident_two_points_likelihood"),
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
            notes_figure(rf"P(y = {outcome(likeliest)})", "likeliest_doors_probability"),
            notes_figure(rf"\mathrm{{CE}}[{outcome(likeliest)}, p]", "likeliest_doors_cross_entropy"),
            WorkedValue(rf"-\ln P(y = {outcome(likeliest)})", -math.log(table[likeliest][0])),
            WorkedValue(rf"P(y = {outcome(least)}),\ \text{{the least likely outcome}}", table[least][0]),
            WorkedValue(rf"\mathrm{{CE}}[{outcome(least)}, p]", table[least][1]),
            WorkedValue(r"\text{sum of } P \text{ over all 8 outcomes}",
                        math.fsum(probability for probability, _ce in table.values())),
        ),
    )
    return PageExamples((worked,))

