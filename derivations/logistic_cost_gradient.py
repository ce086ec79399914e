"""The gradient of the logistic-regression cost.

Logistic regression scores m labelled points with the mean cross-entropy
J(θ) = (1/m) Σᵢ BCE(yᵢ, h(xᵢ)), where h(x) = σ(θᵀx) and
BCE(y, ŷ) = −y ln ŷ − (1 − y) ln(1 − ŷ) is the binary cross-entropy. Its gradient,
∂J/∂θₖ = (1/m) Σᵢ (h(xᵢ) − yᵢ) xᵢₖ, is the average over the data of the per-point gradient, and in
matrix form ∇J = (1/m) Xᵀ(σ(Xθ) − y): two matrix–vector products, which is how it is computed.
"""

import numpy as np
from sympy import Derivative, Sum

from gradbook import Derivation, binary_cross_entropy, domains, elementwise, sigmoid
from gradbook.examples import CheckInput, GradientCheck, Public, Usage, WorkedExample, WorkedValue

d = Derivation("logistic_cost_gradient", __doc__, uses=["unit_error_gradient"], source=__file__)
m = d.size("m", checked_at=(1, 2, 3), meaning="the number of data points")
n = d.size("n", checked_at=(1, 2, 3), meaning="the number of features")
i = d.index("i", m, "a data point, summed over")
j = d.index("j", n, "a feature, summed over")
k = d.index("k", n, "the parameter we differentiate by")
X = d.matrix("X", m, n, meaning="the data, one point per row")
y = d.vector("y", m, domains.LABEL, "the labels")
theta = d.vector("theta", n, meaning="the parameters")
h = d.define("h", sigmoid(Sum(theta[j] * X[i, j], (j, 1, n))), "the prediction for point i", index=i)
l = d.index("l", n, "in the exercises: a second parameter, for second derivatives")
lam = d.scalar("lambda", domains.POSITIVE, "in the exercises: the strength of an L2 penalty")


with d.chain("The gradient, one component at a time"):
    d.start(Derivative(Sum(binary_cross_entropy(y[i], h[i]), (i, 1, m)) / m, theta[k]))
    d.step(
        -Sum((y[i] / h[i] - (1 - y[i]) / (1 - h[i])) * Derivative(h[i], theta[k]), (i, 1, m)) / m,
        "differentiate under the sum: ∂BCE(y, h)/∂h = −(y/h − (1 − y)/(1 − h)), from (ln u)′ = u′/u",
    )
    d.step(
        -Sum((y[i] / h[i] - (1 - y[i]) / (1 - h[i])) * (h[i] * (1 - h[i])) * X[i, k], (i, 1, m)) / m,
        "σ′ = σ(1 − σ), and only θₖXᵢₖ in θᵀxᵢ depends on θₖ",
    )
    d.step(
        -Sum((y[i] * (1 - h[i]) - (1 - y[i]) * h[i]) * X[i, k], (i, 1, m)) / m,
        "cancel hᵢ and 1 − hᵢ",
    )
    d.step(Sum((h[i] - y[i]) * X[i, k], (i, 1, m)) / m, "multiply out: y(1 − h) − (1 − y)h = y − h")
d.result("logistic_cost_grad")

X_, theta_, y_ = d.as_matrix(X), d.as_matrix(theta), d.as_matrix(y)
with d.chain("The same gradient in matrix form"):
    d.start(Sum((h[i] - y[i]) * X[i, k], (i, 1, m)) / m)
    d.step(
        X_.T * (elementwise(sigmoid, X_ * theta_) - y_) / m,
        "Σᵢ Xᵢₖ rᵢ is the k-th entry of Xᵀr, and hᵢ = σ((Xθ)ᵢ)",
    )
d.result("logistic_cost_grad_vector")

with d.exercise(
    "Add an L2 penalty to the cost: J_λ(θ) = (1/m) Σᵢ BCE(yᵢ, hᵢ) + (λ/(2m)) Σⱼ θⱼ². Find "
    "∂J_λ/∂θₖ. (In gradient descent the new term shrinks every parameter towards 0 at each step, "
    "hence the penalty's other name, weight decay.)"
):
    d.start(Derivative((1 / m) * Sum(binary_cross_entropy(y[i], h[i]), (i, 1, m))
                       + (lam / (2 * m)) * Sum(theta[j] ** 2, (j, 1, n)), theta[k]))
    d.step(
        Derivative((1 / m) * Sum(binary_cross_entropy(y[i], h[i]), (i, 1, m)), theta[k])
        + (lam / (2 * m)) * Derivative(Sum(theta[j] ** 2, (j, 1, n)), theta[k]),
        "the derivative of a sum is the sum of the derivatives; λ/(2m) is a constant",
    )
    d.step(
        (1 / m) * Sum((h[i] - y[i]) * X[i, k], (i, 1, m)) + (lam / (2 * m)) * (2 * theta[k]),
        "the gradient of J from the first chain; in the penalty only θₖ² depends on θₖ",
    )
    d.step(
        (1 / m) * (Sum((h[i] - y[i]) * X[i, k], (i, 1, m)) + lam * theta[k]),
        "the 2 cancels, and 1/m is a common factor",
    )

with d.exercise(
    "Differentiate the gradient once more, by a second parameter θₗ: show that "
    "∂²J/∂θₗ∂θₖ = (1/m) Σᵢ hᵢ(1 − hᵢ)XᵢₗXᵢₖ. Every weight hᵢ(1 − hᵢ) is positive, so this "
    "Hessian is positive semi-definite and J is convex: gradient descent has no local minimum "
    "to get stuck in."
):
    d.start(Derivative((1 / m) * Sum((h[i] - y[i]) * X[i, k], (i, 1, m)), theta[l]))
    d.step(
        (1 / m) * Sum(Derivative(h[i], theta[l]) * X[i, k], (i, 1, m)),
        "differentiate under the sum; yᵢ and Xᵢₖ do not depend on θₗ",
    )
    d.step(
        (1 / m) * Sum(h[i] * (1 - h[i]) * X[i, l] * X[i, k], (i, 1, m)),
        "σ′ = σ(1 − σ), and only θₗXᵢₗ in θᵀxᵢ depends on θₗ",
    )

# -- the page -------------------------------------------------------------------------------

page = d.page(
    part=3, section="Gradients", order=3, documents=["logistic_cost_grad", "logistic_cost_and_grad"]
)

#: The notes' line 4x₁ + 5x₂ − 9 = 0 and two points on it.
NOTES_LINE_WEIGHTS, NOTES_LINE_BIAS = (4.0, 5.0), -9.0
NOTES_LINE_POINTS = ((1.0, 1.0), (-4.0, 5.0))


@page.examples
def examples():
    cost, grad, sigmoid = Public("logistic_cost"), Public("logistic_cost_grad"), Public("sigmoid")
    X = np.array([[1.0, *point] for point in NOTES_LINE_POINTS])
    theta, y = np.array([NOTES_LINE_BIAS, *NOTES_LINE_WEIGHTS]), np.array([1.0, 0.0])
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
        from scipy.optimize import minimize
        from gradbook.functions import logistic_cost, logistic_cost_and_grad, logistic_cost_grad

        X = np.array([[1.0, 1.0, 1.0], [1.0, -4.0, 5.0], [1.0, 2.0, 3.0], [1.0, -1.0, -2.0]])
        y = np.array([1.0, 0.0, 1.0, 0.0])
        theta = np.zeros(3)
        for step in range(201):                    # plain gradient descent
            if step % 50 == 0:
                print(step, round(float(logistic_cost(theta, X, y)), 4))
            theta -= 0.5 * logistic_cost_grad(theta, X, y)

        # An optimiser: jac=True means the function returns the cost and its gradient,
        # both from one product Xθ. With these labels no line separates the classes, so the
        # optimum is finite and the gradient there is 0.
        y_overlapping = np.array([1.0, 1.0, 0.0, 0.0])
        result = minimize(logistic_cost_and_grad, np.zeros(3), args=(X, y_overlapping), jac=True)
        cost, grad = logistic_cost_and_grad(result.x, X, y_overlapping)
        print(result.success, round(float(cost), 4), bool(np.abs(grad).max() < 1e-5))
    """)
    return [worked, check, usage]


if __name__ == "__main__":
    d.main()
