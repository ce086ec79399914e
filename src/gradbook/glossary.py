"""The book's notation: every symbol with its one meaning, for the Notation page and its check.

A symbol means the same thing on every page. Each :class:`Entry` gives a symbol's one meaning
and the words a declaration of it must use (``keywords``): a derivation that declares ``theta``
as "the threshold", or ``h`` as "the finite-difference step", is refused by
:func:`conflicts`, because the Notation page says θ is the parameter vector and h a prediction.
The site's build runs the check on every derivation it shows, so a page cannot drift from the
notation without the build saying which declaration does. A book's own symbols, which the page
does not list, are shown on it with the meanings their derivations give (:func:`unlisted`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gradbook.derivation import Derivation


@dataclass(frozen=True)
class Entry:
    """One symbol: how it is declared (``names``), shown (``latex``), and what it means.

    ``keywords``: a declaration's meaning must contain one of them (case-insensitively).
    """

    names: tuple[str, ...]
    latex: str
    meaning: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    title: str
    entries: tuple[Entry, ...]


def entry(names: str, latex: str, meaning: str, *keywords: str) -> Entry:
    return Entry(tuple(names.split()), latex, meaning, keywords)


GROUPS: tuple[Group, ...] = (
    Group("Sizes and indices", (
        entry("m", "m", "the number of data points", "data points"),
        entry("n", "n", "the number of features", "features"),
        entry("K", "K", "the number of classes", "classes"),
        entry("H", "H", "the number of hidden units", "hidden units"),
        entry("B", "B", "the batch size: the number of points in a mini-batch", "batch"),
        entry("r", "r", "the number of points a mini-batch leaves out, m − B", "left out"),
        entry("i", "i", "a data point, from 1 to m", "data point"),
        entry("j k l", "j,\\ k,\\ l", "a feature, from 1 to n", "feature", "parameter", "weight"),
        entry("c c' c''", "c,\\ c',\\ c''", "a class, from 1 to K", "class"),
        entry("u u'", "u,\\ u'", "a hidden unit, from 1 to H", "hidden unit"),
    )),
    Group("Data and labels", (
        entry("x", "x", "the features of one point, a vector of n numbers", "feature"),
        entry("X", "X", "the data: one point per row, m × n (with a column of ones when θ "
              "holds the bias)", "data"),
        entry("y y_1 y_2", "y", "the label: 0 or 1 for two classes, a soft label in between; the "
              "label distribution (one-hot or probabilities) over K classes; the target of a "
              "regression", "label", "target"),
        entry("Y", "Y", "the labels of m points, one row of K per point", "label"),
        entry("t", "t", "a real-valued target, when a page also has a label y", "target"),
        entry("q", "q", "a fixed probability: a soft label, or the prediction of a constant model",
              "probabilit", "soft label"),
    )),
    Group("Parameters", (
        entry("w", "w", "the weights of a unit, one per feature", "weight"),
        entry("b", "b", "the bias of a unit", "bias"),
        entry("beta", "\\beta", "the biases of a hidden layer, one per unit", "bias"),
        entry("theta", "\\theta", "the parameter vector: (w, b) with the bias last, multiplying "
              "a feature that is always 1", "parameter"),
        entry("W", "W", "the weights of a layer or of K classes: a matrix", "weight"),
        entry("V", "V", "the weights of a hidden layer", "weight"),
        entry("alpha", "\\alpha", "the learning rate", "learning rate"),
        entry("lambda", "\\lambda", "the strength of an L2 penalty on the parameters", "penalty"),
        entry("s", "s", "a shift: any real number added to every score", "shift", "added"),
    )),
    Group("Scores, predictions and probabilities", (
        entry("z z_1 z_2 z_+ z_-", "z", "a score (logit): w·x + b, or θᵀx, before the sigmoid or "
              "softmax; z_c the score of class c", "score", "logit", "input"),
        entry("Z", "Z", "the scores of m points, one row of K per point", "score"),
        entry("yhat", "\\hat{y}", "the prediction: the probability a model gives to the label 1",
              "predict"),
        entry("yhat_step", "\\hat{y}_{step}", "the perceptron's prediction: "
              "step(z), 0 or 1", "perceptron"),
        entry("h", "h_i", "the prediction of linear or logistic regression for point i",
              "prediction"),
        entry("p p_1 p_2", "p", "a probability; p_c the probability of class c", "probabilit"),
        entry("P", "P", "the predicted probabilities of m points, one row of K per point",
              "probabilit"),
        entry("a", "a_u", "the activation of hidden unit u", "activation"),
        entry("L", "L", "the cross-entropy loss of one point over K classes", "loss"),
        entry("g g_o", "g", "a gradient of an error: gᵢ = ∇Eᵢ of point i; in a network g_o and "
              "g_u, the error signals ∂E/∂z of the output's and of hidden unit u's score", "gradient"),
    )),
)

#: The functions and conventions the Notation page explains besides the symbols.
FUNCTIONS: tuple[tuple[str, str], ...] = (
    ("\\sigma(z) = \\dfrac{1}{1 + e^{-z}}", "the sigmoid (logistic) function"),
    ("\\operatorname{softplus}(z) = \\ln(1 + e^{z})", "the softplus function, whose derivative is σ"),
    ("\\operatorname{softmax}(z)_c = \\dfrac{e^{z_c}}{\\sum_{c'} e^{z_{c'}}}",
     "the softmax of K scores: probabilities that sum to 1"),
    ("\\operatorname{BCE}(y, \\hat{y}) = -y \\ln \\hat{y} - (1 - y) \\ln(1 - \\hat{y})",
     "the binary cross-entropy of a label and a prediction"),
    ("\\operatorname{step}(z)", "the step function: 1 if z ≥ 0, else 0 (the perceptron's prediction)"),
    ("\\ln", "the natural logarithm; every log on this site is natural"),
    ("\\delta_{cc'}", "the Kronecker delta: 1 if c = c′, else 0"),
    ("\\Delta^{K-1}", "the probability simplex: vectors of K numbers in [0, 1] that sum to 1"),
    ("E,\\ J,\\ L", "E the error of one point, J the mean cost over m points, L the "
     "cross-entropy loss of one point's K classes"),
)


def entries() -> list[Entry]:
    return [item for group in GROUPS for item in group.entries]


def entry_for(name: str) -> Entry | None:
    return next((item for item in entries() if name in item.names), None)


@dataclass(frozen=True)
class Declaration:
    """A symbol as one derivation declares it."""

    derivation: str
    name: str
    meaning: str


def declarations(derivation: Derivation) -> list[Declaration]:
    """Every symbol ``derivation`` declares, with the meaning it gives."""
    setting = derivation.setting
    named = [(str(size.symbol), size.meaning) for size in setting.sizes.values()]
    named += [(str(index.symbol), index.meaning) for index in setting.indices.values()]
    named += [(variable.name, variable.meaning) for variable in setting.variables.values()]
    named += [(str(definition.symbol), definition.meaning) for definition in setting.definitions]
    return [Declaration(derivation.name, name, meaning) for name, meaning in named]


def conflicts(derivations: Iterable[Derivation]) -> list[str]:
    """Every declaration that gives a symbol of the Notation page another meaning, one line each.

    A declaration whose meaning uses none of its entry's words is a second meaning for the
    symbol: the build refuses it, whoever wrote the derivation.
    """
    problems = []
    for declared in _all_declarations(derivations):
        known = entry_for(declared.name)
        if known is not None and not any(word in declared.meaning.lower() for word in known.keywords):
            problems.append(
                f"{declared.derivation}: {declared.name!r} is declared as {declared.meaning!r}, "
                f"but the Notation page gives it as {known.meaning!r}"
            )
    return problems


def unlisted(derivations: Iterable[Derivation]) -> list[Declaration]:
    """The declarations of symbols the Notation page does not list (a book's own symbols)."""
    return [declared for declared in _all_declarations(derivations) if entry_for(declared.name) is None]


def _all_declarations(derivations: Iterable[Derivation]) -> list[Declaration]:
    return [declared for derivation in derivations for declared in declarations(derivation)]
