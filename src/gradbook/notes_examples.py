"""The worked numbers of the reference notes, computed with gradbook's functions.

The notes illustrate maximum likelihood, cross-entropy, the sigmoid and the softmax with small
numerical examples. Each function here computes one of those numbers from its inputs, so that a
page can show the value next to the figure the notes print (:data:`NOTES_FIGURES`) and say
whether the notes rounded it, truncated it or got it wrong. Where the notes' inputs come from is
noted beside each constant, by the part of the notes that uses them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np

from gradbook.functions import log_loss, sigmoid, softmax

#: Notes on maximum likelihood (and on gradient descent, in the order 0.1, 0.6, 0.7, 0.2): the
#: probability a first model gives each of four points of having the colour it has.
FIRST_MODEL = (0.6, 0.2, 0.1, 0.7)
#: A second model of the same four points. The notes give only the product, 0.3024, not its
#: factors (they are in a figure the text does not reproduce); these four give exactly that product.
SECOND_MODEL = (0.7, 0.9, 0.8, 0.6)
#: Notes on gradient descent, three doors: the probability of a gift behind each door, and the
#: likeliest outcome (gift, gift, no gift).
DOOR_GIFT_PROBABILITIES = (0.8, 0.7, 0.1)
DOOR_LIKELIEST_OUTCOME = (1, 1, 0)
#: Notes on the shape of the cross-entropy: a red point classified red with probability 0.6, a
#: blue point blue with 0.7, and the less confident model that gives the red point only 0.3.
TWO_POINTS = (0.6, 0.7)
TWO_POINTS_LESS_CONFIDENT = (0.3, 0.7)
#: Notes on gradient descent: the scores of three classes A, B, C.
SOFTMAX_SCORES = (2.0, 1.0, 0.0)
#: Notes on differentiating the sigmoid: the points where the notes evaluate σ.
SIGMOID_POINTS = (-5.5, 6.5, 0.4)
#: Notes on gradient descent: the line 4x₁ + 5x₂ − 9 = 0 and two points on it.
LINE_WEIGHTS, LINE_BIAS = (4.0, 5.0), -9.0
LINE_POINTS = ((1.0, 1.0), (-4.0, 5.0))
#: Notes on maximum likelihood: a million points, each given probability 0.9.
MANY_POINTS, EACH_PROBABILITY = 1_000_000, 0.9

#: The figures as the notes print them, by the name of the function that computes them.
NOTES_FIGURES: dict[str, str] = {
    "first_model_likelihood": "0.0084",
    "second_model_likelihood": "0.3024",
    "likeliest_doors_probability": "0.504",
    "likeliest_doors_cross_entropy": "0.69",
    "two_points_likelihood": "0.42",
    "less_confident_two_points_likelihood": "0.21",
    "softmax_of_scores": "(0.67, 0.24, 0.09)",
    "sigmoid_at_notes_points": "(0.0040, 0.9984, 0.5986)",
    "line_scores": "(0, 0)",
    "sigmoid_on_the_line": "(0.5, 0.5)",
}


def printed_figures(name: str) -> tuple[str, ...]:
    """The entries of ``NOTES_FIGURES[name]`` one by one: ``("0.0040", "0.9984", "0.5986")``."""
    return tuple(NOTES_FIGURES[name].strip("()").split(", "))


def sigmoid_figures() -> dict[float, str]:
    """σ at each of :data:`SIGMOID_POINTS` as the notes print it: ``{-5.5: "0.0040", ...}``."""
    return dict(zip(SIGMOID_POINTS, printed_figures("sigmoid_at_notes_points"), strict=True))


def likelihood(probabilities: Sequence[float]) -> float:
    """The probability of all the points together, Πᵢ pᵢ, for independent points."""
    return math.prod(probabilities)


def negative_log_likelihood(probabilities: Sequence[float]) -> float:
    """Σᵢ −log pᵢ, which equals −log Πᵢ pᵢ (derivation ``maximum_likelihood``) without underflow."""
    return float(np.sum(-np.log(np.asarray(probabilities, dtype=float))))


def first_model_likelihood() -> float:
    return likelihood(FIRST_MODEL)


def second_model_likelihood() -> float:
    return likelihood(SECOND_MODEL)


def first_model_cross_entropy() -> float:
    return negative_log_likelihood(FIRST_MODEL)


def second_model_cross_entropy() -> float:
    return negative_log_likelihood(SECOND_MODEL)


def outcome_probability(outcome: Sequence[int], gift_probabilities: Sequence[float]) -> float:
    """The probability of one outcome (1 = gift) when door i has a gift with probability pᵢ."""
    return likelihood([p if y else 1 - p for y, p in zip(outcome, gift_probabilities, strict=True)])


def outcome_cross_entropy(outcome: Sequence[int], gift_probabilities: Sequence[float]) -> float:
    """−Σᵢ [yᵢ log pᵢ + (1 − yᵢ) log(1 − pᵢ)], the binary cross-entropy summed over the doors."""
    y = np.asarray(outcome, dtype=float)
    return float(np.sum(log_loss(y, np.asarray(gift_probabilities, dtype=float))))


def likeliest_doors_probability() -> float:
    return outcome_probability(DOOR_LIKELIEST_OUTCOME, DOOR_GIFT_PROBABILITIES)


def likeliest_doors_cross_entropy() -> float:
    return outcome_cross_entropy(DOOR_LIKELIEST_OUTCOME, DOOR_GIFT_PROBABILITIES)


def doors_table() -> dict[tuple[int, ...], tuple[float, float]]:
    """Every outcome of the three doors → (its probability, its cross-entropy).

    The probabilities add up to 1, and the more probable an outcome, the lower its
    cross-entropy: the cross-entropy is −log of the probability.
    """
    outcomes = itertools.product((1, 0), repeat=len(DOOR_GIFT_PROBABILITIES))
    return {
        outcome: (
            outcome_probability(outcome, DOOR_GIFT_PROBABILITIES),
            outcome_cross_entropy(outcome, DOOR_GIFT_PROBABILITIES),
        )
        for outcome in outcomes
    }


def two_points_likelihood() -> float:
    return likelihood(TWO_POINTS)


def less_confident_two_points_likelihood() -> float:
    return likelihood(TWO_POINTS_LESS_CONFIDENT)


def two_points_cross_entropy() -> float:
    """−ln P(red) − ln P(blue), the loss the notes build from the product 0.6 × 0.7."""
    return negative_log_likelihood(TWO_POINTS)


def softmax_of_scores() -> np.ndarray:
    return softmax(np.array(SOFTMAX_SCORES))


def sigmoid_at_notes_points() -> np.ndarray:
    return sigmoid(np.array(SIGMOID_POINTS))


def line_scores() -> np.ndarray:
    """4x₁ + 5x₂ − 9 at the two points of the notes; both lie on the line."""
    return np.array(LINE_POINTS) @ np.array(LINE_WEIGHTS) + LINE_BIAS


def sigmoid_on_the_line() -> np.ndarray:
    """σ of the scores on the line: the unit is undecided there, ŷ = 1/2."""
    return sigmoid(line_scores())


def likelihood_of_many_points() -> float:
    """0.9 multiplied a million times, one factor after the other, in float64.

    The true value is about 10^(−45 757). The running product falls below the smallest normal
    number after about 6 700 factors and then sticks at 2.5 · 10^(−323), five times the smallest
    subnormal (0.9 times it rounds back to it): a number with no relation to the answer.
    """
    return likelihood([EACH_PROBABILITY] * MANY_POINTS)


def log_likelihood_of_many_points() -> float:
    """The logarithm of the same likelihood as a sum of logs, 10⁶ · ln 0.9 ≈ −105 360.5: no underflow."""
    return float(np.sum(np.log(np.full(MANY_POINTS, EACH_PROBABILITY))))
