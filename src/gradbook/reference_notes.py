"""The reference notes the shipped derivations grew from, and every error found in them.

Five sets of lecture and blog notes teach the same chain of ideas as this site (error functions,
the sigmoid and the softmax, maximum likelihood and cross-entropy, the gradients of logistic and
linear regression, gradient descent). Their worked numbers are reused on the pages, always
recomputed; their mistakes are listed here, each with the page that gets it right, and the ones
that are a single wrong step are also refuted by the checker on the page of mistakes
(:data:`gradbook.mistakes.MISTAKES`). The page "The reference notes" is made from this module.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    """One set of notes: a short name the error list uses, and what the notes are."""

    key: str
    title: str
    about: str


@dataclass(frozen=True)
class NotesError:
    """One error: where it is, what the notes say, what is right, and the page that shows it.

    ``page`` is a derivation's name, or ``"mistakes"`` with ``mistake`` naming the entry of
    :data:`gradbook.mistakes.MISTAKES` that refutes it step by step.
    """

    note: str
    where: str
    kind: str
    says: str
    right: str
    page: str
    mistake: str = ""


NOTES: tuple[Note, ...] = (
    Note("A", "The gradient of the error of one point",
         "A transcript of a video lesson: σ′ = σ(1 − σ), the mean binary cross-entropy of m points "
         "and the gradient −(y − ŷ)(x₁, …, xₙ, 1) of one point's error. Most of its displayed "
         "formulas were images and are lost."),
    Note("B", "Error functions, from the sigmoid to the mean squared error",
         "A blog summary of a lesson on error functions: gradient descent as walking downhill, the "
         "sigmoid, the softmax and its two-class case, one-hot labels, maximum likelihood, "
         "cross-entropy, and the sum and mean of squared errors."),
    Note("C", "Neural networks: from probabilities to gradient descent",
         "Study notes that run through the whole chain with worked numbers: the softmax of the "
         "scores (2, 1, 0), the line 4x₁ + 5x₂ − 9 = 0, NumPy code for the softmax and the "
         "cross-entropy, the likelihoods of two models, the three doors, the error functions, the "
         "gradient, the gradient-descent step and algorithm, and the perceptron."),
    Note("D", "Differentiating the sigmoid, the cross-entropy and the regression costs",
         "A course blog post that works derivatives out line by line: σ at three points, σ′ by "
         "the quotient rule, entropy, the binary cross-entropy and its derivative, and the "
         "gradients of the linear-regression and logistic-regression costs."),
    Note("E", "Where the cross-entropy loss comes from",
         "A short blog post: the product of the probabilities of the true classes, logarithms to "
         "turn it into a sum, a minus sign, the binary loss and a sketch of the multi-class one."),
)

ERRORS: tuple[NotesError, ...] = (
    # -- statements
    NotesError("A", "key points", "statement",
               "Cross-entropy is inversely proportional to the total probability of an outcome.",
               "The cross-entropy of an outcome is −ln P: it falls as P grows, but it is not "
               "proportional to 1/P. Halving P = 0.504 adds ln 2 ≈ 0.693 (0.685 → 1.378); it "
               "does not double the cross-entropy.",
               "entropy_cross_entropy"),
    NotesError("C", "multi-class cross-entropy", "statement",
               "The same claim: cross-entropy is inversely proportional to the probability.",
               "As above: it is −ln P, decreasing and 0 at P = 1.", "entropy_cross_entropy"),
    NotesError("B", "softmax", "statement",
               "With two classes the softmax is just the sigmoid.",
               "With two scores the first probability is σ(z₁ − z₂), the sigmoid of the "
               "difference; it is σ(z₁) only when z₂ = 0. softmax(2, 1) gives σ(1) = 0.731, not "
               "σ(2) = 0.881.",
               "softmax_two_classes"),
    NotesError("B", "other error functions", "statement",
               "The sum of squared errors could be huge when μ is high.",
               "μ indexes the data points; its value does not matter. The sum grows with the "
               "number of points m, which is why the mean divides by m.",
               "linear_regression_mse"),
    NotesError("C", "minimizing the error function", "statement",
               "The weights are σ(Wx + b) and the separating line is σ(W′x + b′).",
               "σ(Wx + b) is the prediction; the weights are W and b. The line is W′x + b′ = 0, "
               "where the prediction is 1/2.",
               "unit_error_gradient"),
    NotesError("C", "cross-entropy example", "statement",
               "Outcomes have entropies: a likely outcome has a low entropy.",
               "What each outcome has is a cross-entropy, −ln P(outcome). The entropy belongs to "
               "the whole distribution, the same for every outcome.",
               "entropy_cross_entropy"),
    NotesError("C", "perceptron and gradient descent", "statement",
               "The perceptron works by creating a probability function.",
               "The perceptron predicts with the step function, a hard 0 or 1; probabilities "
               "appear only when the step is replaced by the sigmoid.",
               "gradient_descent"),
    NotesError("D", "the gradient of the linear-regression cost", "statement",
               "The superscript i's refer to a particular feature.",
               "In x⁽ⁱ⁾ and y⁽ⁱ⁾ the superscript numbers the data points (the rows of X); a "
               "feature is the subscript j of xⱼ⁽ⁱ⁾.",
               "linear_regression_mse"),
    # -- formulas
    NotesError("D", "the derivative of the sigmoid, by the quotient rule", "formula",
               "The denominator of σ′ is (1 − e⁻ˣ)².",
               "The quotient rule squares the denominator of σ, 1 + e⁻ˣ: σ′ = e⁻ˣ/(1 + e⁻ˣ)². "
               "With the minus sign σ′ would not exist at x = 0.",
               "mistakes", "sigmoid_denominator"),
    NotesError("D", "the derivative of the sigmoid, second derivation", "formula",
               "σ · (1 + e⁻ˣ)/(1 + e⁻ˣ) − 1/(1 + e⁻ˣ), then σ · 1 − 1/(1 + e⁻ˣ), without brackets.",
               "As written this is σ − σ = 0 for every x. The bracket must hold both terms: "
               "σ · [1 − 1/(1 + e⁻ˣ)] = σ(1 − σ).",
               "sigmoid_prime"),
    NotesError("D", "the derivative of the binary cross-entropy", "formula",
               "−(t/ŷ − (1 − t)/(1 − ŷ)) = t/ŷ + (1 − t)/(1 − ŷ).",
               "The minus sign flips both terms: −t/ŷ + (1 − t)/(1 − ŷ). At t = 1 and ŷ = σ(0.4) "
               "the slope is −1.67, not +1.67.",
               "mistakes", "bce_derivative_sign"),
    NotesError("D", "the gradient of the linear-regression cost, the chain rule", "formula",
               "∂/∂stuff (stuff)² = 2(stuff) · ∂/∂stuff stuff.",
               "The chain rule differentiates by the parameter: ∂(stuff)²/∂θⱼ = 2(stuff) · "
               "∂stuff/∂θⱼ; with respect to the stuff itself the last factor would be 1.",
               "linear_regression_mse"),
    NotesError("D", "the logistic-regression cost", "formula",
               "J(θ) = −(1/m) Σ y log h + (1 − y) log(1 − h), without brackets.",
               "The −1/m and the sum cover both terms: −(1/m) Σᵢ [yᵢ ln hᵢ + (1 − yᵢ) ln(1 − hᵢ)]. "
               "The notes' next line has the brackets.",
               "logistic_cost_gradient"),
    NotesError("C", "cross-entropy example", "formula",
               "Cross-entropy = −Σ yᵢ ln pᵢ + (1 − yᵢ) ln(1 − pᵢ), without brackets.",
               "The minus sign covers both terms. The notes' own 0.69 comes from the bracketed "
               "form: −ln 0.8 − ln 0.7 − ln 0.9 = 0.685.",
               "mistakes", "cross_entropy_second_sign"),
    NotesError("C", "the error function of binary classification", "formula",
               "−(1/m) Σ (1 − yᵢ) ln(1 − ŷᵢ) + yᵢ ln ŷᵢ, without brackets (twice).",
               "The same missing bracket: −(1/m) Σᵢ [(1 − yᵢ) ln(1 − ŷᵢ) + yᵢ ln ŷᵢ].",
               "logistic_cost_gradient"),
    NotesError("C", "gradient descent, the gradient at a point", "formula",
               "The first component of the gradient is −(y − ŷx₁).",
               "The bracket closes after ŷ: −(y − ŷ)x₁, as in the summary "
               "∇E = −(y − ŷ)(x₁, …, xₙ, 1) that follows.",
               "unit_error_gradient"),
    NotesError("C", "the gradient-descent step", "formula",
               "wᵢ′ ← wᵢ + α(y + ŷ)xᵢ.",
               "The error y − ŷ scales the step: wᵢ + α(y − ŷ)xᵢ. The notes' own algorithm has it "
               "right.",
               "mistakes", "weight_update_sign"),
    NotesError("C", "the gradient-descent step and the algorithm", "formula",
               "b′ ← b + α(y + ŷ)xᵢ, and in the algorithm b′ ← b − α(ŷ − y)xᵢ inside the loop over "
               "the features.",
               "∂E/∂b = −(y − ŷ) has no feature in it: b′ ← b + α(y − ŷ), once per point, outside "
               "the loop over the features.",
               "mistakes", "bias_update_feature"),
    NotesError("E", "the loss of two classes", "formula",
               "Loss = −y ln p(y) − (1 − y) ln p(1 − y).",
               "For y = 0 the second term is −ln p(1), the probability of the wrong class. With "
               "p the probability of class 1: −y ln p − (1 − y) ln(1 − p).",
               "log_loss"),
    # -- numbers
    NotesError("D", "the sigmoid at three points", "number",
               "σ(−5.5) = 0.0040.", "σ(−5.5) = 0.0040701…, 0.0041 to four places: truncated.",
               "sigmoid_prime"),
    NotesError("D", "the sigmoid at three points", "number",
               "σ(6.5) = 0.9984.", "σ(6.5) = 0.9984988…, 0.9985 to four places: truncated.",
               "sigmoid_prime"),
    NotesError("D", "the sigmoid at three points", "number",
               "σ(0.4) = 0.5986.", "σ(0.4) = 0.5986877…, 0.5987 to four places: truncated.",
               "sigmoid_prime"),
    # -- code
    NotesError("C", "cross-entropy in NumPy", "code",
               "Y = np.float_(Y) and P = np.float_(P).",
               "np.float_ was removed in NumPy 2.0 and raises AttributeError; write "
               "np.asarray(Y, dtype=float).",
               "log_loss"),
    NotesError("C", "softmax in NumPy", "code",
               "A for loop over the exponentials with no body before the return.",
               "The code does not run. The whole function is np.exp(L) / np.sum(np.exp(L)), and "
               "the largest score should be subtracted first.",
               "softmax_cross_entropy"),
    NotesError("C", "softmax in NumPy", "code",
               "The exponentials of the raw scores.",
               "np.exp overflows for large scores: the softmax of (1000, 999) comes out NaN "
               "instead of (0.731, 0.269). Subtracting the largest score changes nothing and "
               "cannot overflow.",
               "softmax_cross_entropy"),
    NotesError("C", "cross-entropy in NumPy", "code",
               "−np.sum(Y * np.log(P) + (1 − Y) * np.log(1 − P)).",
               "A prediction of exactly 0 or 1 gives 0 · ln 0 = 0 · (−∞) = NaN: a perfect "
               "prediction returns NaN instead of 0. Compute the loss from the logits.",
               "log_loss"),
    # -- notation
    NotesError("C", "multi-class cross-entropy and the error function", "notation",
               "−Σᵢ₌₁ⁿ Σⱼ₌₁ᵐ yᵢⱼ ln pᵢⱼ, then −(1/m) Σᵢ₌₁ᵐ Σⱼ₌₁ⁿ yᵢⱼ ln ŷᵢⱼ.",
               "The indices swap roles between the two and are never defined. One convention: "
               "i over the m points, the class index over the K classes.",
               "softmax_cross_entropy"),
    NotesError("D", "the elements of linear regression", "notation",
               "θ is 1 × n, x is m × n and h = θᵀx.",
               "The shapes do not fit. With θ a column of n parameters, the predictions of all "
               "points are Xθ, and one point's is θᵀx⁽ⁱ⁾.",
               "linear_regression_mse"),
    NotesError("D", "the last line of both regression gradients", "notation",
               "∂/∂θⱼ = (1/m) Σ (h − y)xⱼ.",
               "The derivative has nothing to act on: ∂J(θ)/∂θⱼ = (1/m) Σᵢ (hᵢ − yᵢ)xᵢⱼ. The "
               "formula itself is right.",
               "linear_regression_mse"),
    NotesError("D", "the hypothesis of logistic regression", "notation",
               "h(x⁽ⁱ⁾) = 1/(1 + e^(−θᵀx)).",
               "The point's index is lost on the right: e^(−θᵀx⁽ⁱ⁾), as the derivation below it "
               "uses.",
               "logistic_cost_gradient"),
    NotesError("D", "the binary cross-entropy", "notation",
               "E = −[tₙ ln ŷ + (1 − t) ln(1 − ŷ)].",
               "tₙ and t are the same label; the subscript n, the number of classes just above, "
               "does not belong: −[t ln ŷ + (1 − t) ln(1 − ŷ)].",
               "bce_derivative"),
)

#: The order of the kinds on the page.
KINDS: tuple[tuple[str, str], ...] = (
    ("formula", "Wrong formulas and steps"),
    ("statement", "Wrong statements"),
    ("number", "Wrong numbers"),
    ("code", "Code that fails"),
    ("notation", "Notation that changes the meaning"),
)


def pages_named() -> set[str]:
    """The derivations whose pages the error list links to."""
    return {error.page for error in ERRORS if error.page != "mistakes"}
