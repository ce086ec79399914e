"""The gradient of softmax regression.

Softmax regression (multinomial logistic regression) classifies a point into one of K classes.
Each class c has its own column of weights in an n × K matrix W; point i gets the scores
Z_ic = Σ_k X_ik W_kc, one per class, and the softmax turns its row of scores into probabilities
P_ic. The model is scored by the mean cross-entropy J(W) = −(1/m) Σᵢ Σ_c Y_ic ln P_ic against
label rows Y that sum to one. Since each point's loss depends on W only through its scores, the
softmax cross-entropy gradient p − y does most of the work: ∂J/∂W_jc = (1/m) Σᵢ X_ij (P_ic − Y_ic),
which for all weights at once is ∇J = (1/m) Xᵀ(P − Y), the logistic-regression gradient with
one column per class.
"""

from fractions import Fraction

import mpmath
import numpy as np
from sympy import Derivative, KroneckerDelta, Sum, exp, log

from gradbook import Derivation, domains, sigmoid
from gradbook.examples import (
    CheckInput,
    ExtremeTable,
    Formula,
    GradientCheck,
    Public,
    Usage,
    WorkedExample,
    WorkedValue,
    extreme_row,
)

d = Derivation("softmax_regression", __doc__, uses=["softmax_cross_entropy"], source=__file__)
# Each size is checked at these values only: the derivative of the cost written out for m = n =
# K = 8 has thousands of terms and would take minutes to check.
m = d.size("m", checked_at=(1, 2, 3), only=True, meaning="the number of data points")
n = d.size("n", checked_at=(1, 2, 3, 4), only=True, meaning="the number of features")
K = d.size("K", checked_at=(2, 3, 4, 5), only=True, meaning="the number of classes")
i = d.index("i", m, "a data point, summed over")
j = d.index("j", n, "the feature of the weight we differentiate by")
k = d.index("k", n, "a feature, summed over")
c = d.index("c", K, "the class of the weight we differentiate by")
c2 = d.index("c'", K, "a class, summed over")
X = d.matrix("X", m, n, meaning="the data, one point per row")
W = d.matrix("W", n, K, meaning="the weights, one column per class")
Y = d.matrix("Y", m, K, domains.SIMPLEX, "the labels: one-hot or probability rows")
Z = d.define("Z", Sum(X[i, k] * W[k, c], (k, 1, n)), "the scores, Z = XW: the score of point i for class c",
             index=(i, c))
P = d.define(
    "P", exp(Z[i, c]) / Sum(exp(Z[i, c2]), (c2, 1, K)),
    "the probability of class c for point i: the softmax of the scores of point i", index=(i, c),
)
L = d.define(
    "L", -Sum(Y[i, c2] * log(P[i, c2]), (c2, 1, K)),
    "the cross-entropy loss of point i; the cost J is their mean, (1/m) Σᵢ L_i", index=i,
)
d.assume(Sum(Y[i, c2], (c2, 1, K)), 1, "Σ_c' Y_ic' = 1")

with d.chain("The gradient, one weight at a time"):
    d.start(Derivative((1 / m) * Sum(L[i], (i, 1, m)), W[j, c]))
    d.step(
        (1 / m) * Sum(Sum((P[i, c2] - Y[i, c2]) * Derivative(Z[i, c2], W[j, c]), (c2, 1, K)), (i, 1, m)),
        "differentiate under the sum over points; by the chain rule, L_i depends on W only "
        "through the scores Z_i1, …, Z_iK of point i, and ∂L_i/∂Z_ic' = P_ic' − Y_ic' is the "
        "softmax cross-entropy gradient",
    )
    d.step(
        (1 / m) * Sum(Sum((P[i, c2] - Y[i, c2]) * X[i, j] * KroneckerDelta(c2, c), (c2, 1, K)), (i, 1, m)),
        "Z_ic' = Σ_k X_ik W_kc' contains W_jc only when c' = c, in the term k = j, with factor X_ij",
    )
    d.step(
        (1 / m) * Sum(X[i, j] * (P[i, c] - Y[i, c]), (i, 1, m)),
        "the Kronecker delta keeps only the term c' = c of the sum over classes",
    )
d.result("softmax_regression_grad")

X_, P_, Y_ = d.as_matrix(X), d.as_matrix(P), d.as_matrix(Y)
with d.chain("The same gradient in matrix form"):
    d.start((1 / m) * Sum(X[i, j] * (P[i, c] - Y[i, c]), (i, 1, m)))
    d.step(
        X_.T * (P_ - Y_) / m,
        "with R = P − Y, Σᵢ X_ij R_ic is the entry (j, c) of XᵀR: row j of Xᵀ is column j of X",
    )
d.result("softmax_regression_grad_matrix")

d.note(
    "P is the m × K matrix of the probabilities, the softmax of each row of the scores XW; so "
    "the whole gradient costs two matrix products, XW forwards and Xᵀ(P − Y) backwards, and "
    "has the shape n × K of W."
)
d.note(
    "Each row of P − Y sums to zero, because the rows of P and of Y both sum to one. With two "
    "classes and the second column of W fixed at zero, P_i1 = σ(Z_i1) and the cost is the "
    "logistic-regression cost of θ = W_:1: softmax regression is its generalisation to K classes."
)
d.note(
    "gradbook computes each row's loss and P − Y from the scores shifted by the row's largest "
    "score, the stable forms derived for the softmax cross-entropy, so scores of ±1000 (or "
    "±10³⁰⁰) do not overflow."
)

z_1 = d.real("z_1", "in the exercises: the score of the first class of a point")

with d.exercise(
    "Softmax regression with two classes and the second column of W fixed at 0 gives the second "
    "class the score 0. Show that the first class's probability is then σ(z₁), the prediction of "
    "logistic regression with θ the first column of W."
):
    d.start(exp(z_1) / (exp(z_1) + exp(0)))
    d.step(exp(z_1) / (exp(z_1) + 1), "e⁰ = 1")
    d.step(1 / (1 + exp(-z_1)), "divide the numerator and the denominator by e^z₁")
    d.step(sigmoid(z_1), "the definition of σ")

with d.exercise(
    "Spot the mistake. For a point of class 1 in that two-class model the loss is −ln σ(z₁). A "
    "student differentiates it by the score z₁; which line is wrong?"
):
    d.start(Derivative(-log(sigmoid(z_1)), z_1))
    d.step(-(sigmoid(z_1) * (1 - sigmoid(z_1))) / sigmoid(z_1), "(ln u)′ = u′/u, with σ′ = σ(1 − σ)")
    d.step(-(1 - sigmoid(z_1)), "cancel σ(z₁)", wrong=1 - sigmoid(z_1))
    d.step(sigmoid(z_1) - 1, "take the minus sign into the bracket: the gradient is P − Y with Y = 1")

# -- the page -------------------------------------------------------------------------------

page = d.page(
    part=3, section="Gradients", order=5,
    documents=["softmax_regression_cost", "softmax_regression_grad", "softmax_regression_cost_and_grad"],
)

#: Three points with a column of ones for the bias, one point per class.
EXAMPLE_X = ((1.0, 2.0), (1.0, -1.0), (1.0, 0.0))
EXAMPLE_Y = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
#: Weights for the second worked example, one column per class.
EXAMPLE_W = ((0.5, 0.0, -0.5), (1.0, -1.0, 0.0))


def exact_probabilities(W, X):
    """P = softmax(XW) row by row, in 30-digit mpmath with plain loops."""
    with mpmath.workdps(30):
        rows = []
        for point in X:
            scores = [mpmath.fsum(mpmath.mpf(x) * w_row[c] for x, w_row in zip(point, W, strict=True))
                      for c in range(len(W[0]))]
            exps = [mpmath.exp(score) for score in scores]
            rows.append([e / mpmath.fsum(exps) for e in exps])
        return rows


def exact_cost(W, X, Y):
    """J = −(1/m) Σᵢ Σ_c Y_ic ln P_ic, in 30-digit mpmath."""
    with mpmath.workdps(30):
        P = exact_probabilities(W, X)
        terms = (y * mpmath.log(p) for p_row, y_row in zip(P, Y, strict=True)
                 for p, y in zip(p_row, y_row, strict=True) if y != 0)
        return -mpmath.fsum(terms) / len(X)


def exact_grad(W, X, Y):
    """∂J/∂W_jc = (1/m) Σᵢ X_ij (P_ic − Y_ic), in 30-digit mpmath, as an n × K list of rows."""
    with mpmath.workdps(30):
        P = exact_probabilities(W, X)
        return [
            [mpmath.fsum(X[i][j] * (P[i][c] - Y[i][c]) for i in range(len(X))) / len(X)
             for c in range(len(W[0]))]
            for j in range(len(W))
        ]


def fractions_text(values) -> str:
    """Exact fractions as the 6-decimal figures a hand calculation writes down."""
    return "(" + ", ".join(f"{float(value):.6f}".replace("-", "−") for value in values) + ")"


def hand_gradient_at_zero():
    """∇J at W = 0 by hand: every P_ic is 1/K, so ∇J = (1/m) Xᵀ(1/K − Y), in fractions."""
    m_, classes = len(EXAMPLE_X), len(EXAMPLE_Y[0])
    return [
        [sum(Fraction(row[j]) * (Fraction(1, classes) - Fraction(labels[c]))
             for row, labels in zip(EXAMPLE_X, EXAMPLE_Y, strict=True)) / m_
         for c in range(classes)]
        for j in range(len(EXAMPLE_X[0]))
    ]


def mp_text(values) -> str:
    """mpmath numbers to 6 digits: one as it is, several as (a, b, c)."""
    texts = [mpmath.nstr(value, 6).replace("-", "−") for value in values]
    return texts[0] if len(texts) == 1 else "(" + ", ".join(texts) + ")"


def textbook_cost(W, X, Y):
    scores = X @ W
    P = np.exp(scores) / np.sum(np.exp(scores), axis=1, keepdims=True)
    return -np.mean(np.sum(Y * np.log(P), axis=1))


def textbook_grad(W, X, Y):
    scores = X @ W
    P = np.exp(scores) / np.sum(np.exp(scores), axis=1, keepdims=True)
    return X.T @ (P - Y) / X.shape[0]


TEXTBOOK_COST = Formula(
    "P = np.exp(X @ W) / np.sum(np.exp(X @ W), axis=1, keepdims=True); "
    "-np.mean(np.sum(Y * np.log(P), axis=1))",
    textbook_cost,
)
TEXTBOOK_GRAD = Formula("X.T @ (P - Y) / X.shape[0]", textbook_grad)


@page.examples
def examples():
    cost, grad = Public("softmax_regression_cost"), Public("softmax_regression_grad")
    X, Y = np.array(EXAMPLE_X), np.array(EXAMPLE_Y)
    zero, weights = np.zeros((2, 3)), np.array(EXAMPLE_W)
    by_hand = hand_gradient_at_zero()
    at_zero = WorkedExample(
        "Three points \\(x = 2, -1, 0\\) with a column of ones for the bias, "
        "\\(X = \\begin{pmatrix} 1 & 2 \\\\ 1 & -1 \\\\ 1 & 0 \\end{pmatrix}\\), one in each of "
        "\\(K = 3\\) classes, so \\(Y = I\\). At \\(W = 0\\) every score is 0, every "
        "probability is \\(1/3\\) and \\(J = \\ln 3\\). Then \\(P - Y\\) has \\(-2/3\\) on the "
        "diagonal and \\(1/3\\) elsewhere, and by hand \\(\\nabla J = \\tfrac{1}{3} X^{\\top}(P - Y)\\) "
        "has the row \\((0, 0, 0)\\) for the bias (each column of \\(P - Y\\) sums to 0) and "
        "\\(\\tfrac{1}{3}(2 \\cdot (-\\tfrac{2}{3}) - \\tfrac{1}{3},\\ \\tfrac{2}{3} + \\tfrac{2}{3},"
        "\\ \\tfrac{2}{3} - \\tfrac{1}{3}) = (-\\tfrac{5}{9}, \\tfrac{4}{9}, \\tfrac{1}{9})\\) for "
        "the feature. gradbook's bias row is 0 up to rounding: 1/3 has no exact binary form.",
        (
            WorkedValue(r"J(0) = \ln 3", cost(zero, X, Y), f"{np.log(3):.6f}"),
            WorkedValue(r"\partial J/\partial W_{1c}", grad(zero, X, Y)[0], fractions_text(by_hand[0])),
            WorkedValue(r"\partial J/\partial W_{2c}", grad(zero, X, Y)[1], fractions_text(by_hand[1])),
        ),
        reference_label="by hand",
        title="Worked example: W = 0",
    )
    exact = exact_grad(EXAMPLE_W, EXAMPLE_X, EXAMPLE_Y)
    P = exact_probabilities(EXAMPLE_W, EXAMPLE_X)
    at_weights = WorkedExample(
        "The same points with \\(W = \\begin{pmatrix} 0.5 & 0 & -0.5 \\\\ 1 & -1 & 0 "
        "\\end{pmatrix}\\): the scores of the first point are \\(XW = (2.5, -2, -0.5)\\), so it "
        "leans towards its class 1. The references are the formulas of this page evaluated "
        "with plain loops in 30-digit mpmath.",
        (
            WorkedValue(r"P_{1c}", Public("softmax")(np.array(EXAMPLE_X) @ weights)[0], mp_text(P[0])),
            WorkedValue(r"J(W)", cost(weights, X, Y), mp_text([exact_cost(EXAMPLE_W, EXAMPLE_X, EXAMPLE_Y)])),
            WorkedValue(r"\partial J/\partial W_{1c}", grad(weights, X, Y)[0], mp_text(exact[0])),
            WorkedValue(r"\partial J/\partial W_{2c}", grad(weights, X, Y)[1], mp_text(exact[1])),
        ),
        reference_label="mpmath, 30 digits",
        title="Worked example: W ≠ 0",
    )
    rng = np.random.default_rng(3)
    soft = rng.dirichlet(np.ones(4), size=6)
    cases = (
        CheckInput({"W": weights, "X": X, "Y": Y}, "the three points, W as above"),
        CheckInput(
            {"W": rng.normal(size=(3, 4)), "X": rng.normal(size=(6, 3)), "Y": soft},
            "6 random points, 3 features, 4 classes, soft labels (NumPy seed 3)",
        ),
        CheckInput(
            {"W": ((2.0, -1.0),), "X": ((1.0,), (-0.5,), (3.0,)), "Y": ((1.0, 0.0), (0.0, 1.0), (0.3, 0.7))},
            "two classes, one feature",
        ),
    )
    check = GradientCheck(grad, cost, r"J(W)", ("W",), cases)
    usage = Usage("""
        import numpy as np
        from gradbook.functions import softmax, softmax_regression_cost, softmax_regression_grad

        rng = np.random.default_rng(0)
        centres = np.array([[0.0, 2.0], [-2.0, -1.0], [2.0, -1.0]])     # three classes
        labels = np.repeat([0, 1, 2], 20)
        points = centres[labels] + rng.normal(scale=0.8, size=(60, 2))
        X = np.column_stack([np.ones(60), points])                      # bias column first
        Y = np.eye(3)[labels]                                           # one-hot rows
        W = np.zeros((3, 3))
        for step in range(301):                                         # plain gradient descent
            if step % 100 == 0:
                print(step, round(float(softmax_regression_cost(W, X, Y)), 4))
            W -= 0.5 * softmax_regression_grad(W, X, Y)
        predicted = np.argmax(softmax(X @ W), axis=1)
        print("training accuracy", np.mean(predicted == labels))
    """)
    extreme = {
        "W": ((1000.0, 0.0, -1000.0), (0.0, 500.0, 0.0)),
        "X": ((1.0, 0.0), (1.0, 1.0)),
        "Y": ((0.0, 1.0, 0.0), (1.0, 0.0, 0.0)),
    }
    naive = ExtremeTable(
        "Naive and stable at extreme scores",
        "The cost and the gradient written in NumPy straight from the formulas, "
        f"`{TEXTBOOK_COST}` and `{TEXTBOOK_GRAD}`, at weights that give the scores "
        "\\((1000, 0, -1000)\\) and \\((1000, 500, -1000)\\): \\(e^{1000}\\) overflows to "
        "infinity and \\(\\infty/\\infty\\) is NaN. gradbook shifts each row of scores by its "
        "largest, so no exponent is positive. The exact values are from 30-digit mpmath.",
        (
            extreme_row("J(W)", TEXTBOOK_COST, cost, exact_cost, extreme),
            extreme_row(r"\nabla J(W)", TEXTBOOK_GRAD, grad, exact_grad, extreme),
        ),
    )
    return [at_zero, at_weights, check, usage, naive]


if __name__ == "__main__":
    d.main()
