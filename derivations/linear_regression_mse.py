"""The gradient of the mean squared error of linear regression.

Linear regression predicts hᵢ = Σⱼ θⱼXᵢⱼ for the m rows of a data matrix X (n features, with a
column of ones if there is a bias) and is scored by J(θ) = (1/(2m)) Σᵢ (hᵢ − yᵢ)². Its gradient
∂J/∂θₖ = (1/m) Σᵢ (hᵢ − yᵢ)Xᵢₖ weights each feature by the residual hᵢ − yᵢ, and all n
components together are (1/m) Xᵀ(Xθ − y): two matrix–vector products. The factor 1/2 is there
only so that the 2 from differentiating the square cancels; dropping the 1/2 or the 1/m, as
some texts do, multiplies the gradient by a constant, which gradient descent absorbs into its
step size.
"""

import numpy as np
from sympy import Derivative, Sum

from gradbook import Derivation
from gradbook.examples import CheckInput, GradientCheck, Public, Usage, WorkedExample, WorkedValue

d = Derivation("linear_regression_mse", __doc__, source=__file__)
m = d.size("m", checked_at=(1, 2, 3), meaning="the number of data points")
n = d.size("n", checked_at=(1, 2, 3), meaning="the number of features")
i = d.index("i", m, "a data point, summed over")
j = d.index("j", n, "a feature, summed over")
k = d.index("k", n, "the parameter we differentiate by")
X = d.matrix("X", m, n, meaning="the data, one point per row")
y = d.vector("y", m, meaning="the targets")
theta = d.vector("theta", n, meaning="the parameters")
h = d.define("h", Sum(theta[j] * X[i, j], (j, 1, n)), "the prediction for point i", index=i)
b = d.real("b", "in the exercises: a bias (intercept) added to every prediction")


def squared_errors():
    """Σᵢ (hᵢ − yᵢ)², the sum that every convention of the cost scales."""
    return Sum((h[i] - y[i]) ** 2, (i, 1, m))


def residual_times_feature():
    """Σᵢ (hᵢ − yᵢ)Xᵢₖ, the sum that every convention of the gradient scales."""
    return Sum((h[i] - y[i]) * X[i, k], (i, 1, m))


with d.chain("The gradient, one component at a time"):
    d.start(Derivative(squared_errors() / (2 * m), theta[k]))
    d.step(
        Sum(2 * (h[i] - y[i]) * Derivative(h[i], theta[k]), (i, 1, m)) / (2 * m),
        "differentiate under the sum, with (u²)′ = 2uu′",
    )
    d.step(
        Sum(2 * (h[i] - y[i]) * X[i, k], (i, 1, m)) / (2 * m),
        "hᵢ = Σⱼ θⱼXᵢⱼ: only the term θₖXᵢₖ depends on θₖ",
    )
    d.step(residual_times_feature() / m, "the 2 cancels against the 1/2")
d.result("mse_cost_grad")

X_, theta_, y_ = d.as_matrix(X), d.as_matrix(theta), d.as_matrix(y)
with d.chain("The same gradient in matrix form"):
    d.start(residual_times_feature() / m)
    d.step(
        X_.T * (X_ * theta_ - y_) / m,
        "hᵢ − yᵢ is the i-th entry of r = Xθ − y, and Σᵢ Xᵢₖrᵢ is the k-th entry of Xᵀr",
    )
d.result("mse_cost_grad_vector")

with d.chain("Without the factor 1/(2m): the sum of squares"):
    d.start(Derivative(squared_errors(), theta[k]))
    d.step(2 * residual_times_feature(), "the same steps, with nothing in front to cancel the 2")
    d.step(2 * m * (residual_times_feature() / m), "2m times the gradient of J")

with d.chain("With 1/m only: the mean of squares"):
    d.start(Derivative(squared_errors() / m, theta[k]))
    d.step((2 / m) * residual_times_feature(), "the same steps, with 1/m in front")
    d.step(2 * (residual_times_feature() / m), "2 times the gradient of J")

d.note(
    "The three costs Σᵢ(hᵢ − yᵢ)², (1/m)Σᵢ(hᵢ − yᵢ)² and (1/(2m))Σᵢ(hᵢ − yᵢ)² have the same "
    "minimiser, and their gradients point the same way: they are 2m, 2 and 1 times one vector. "
    "A gradient-descent step θ ← θ − α∇ on the sum of squares with rate α is the step on J "
    "with rate 2mα. Only the mean conventions give a rate that does not depend on the size "
    "of the data set."
)
d.note(
    "gradbook's mse_cost and mse_cost_grad use the convention of this page: "
    "J(θ) = (1/(2m))‖Xθ − y‖² and ∇J(θ) = (1/m)Xᵀ(Xθ − y)."
)

with d.exercise(
    "Spot the mistake. A student differentiates J(θ) = (1/(2m)) Σᵢ (hᵢ − yᵢ)² with respect to θₖ "
    "and writes the lines below. Which line is wrong, and what should it say? Hint: copy every "
    "data point twice. J does not change, so neither may its gradient; m doubles."
):
    d.start(Derivative((1 / (2 * m)) * squared_errors(), theta[k]))
    d.step(
        (1 / (2 * m)) * Sum(2 * (h[i] - y[i]) * X[i, k], (i, 1, m)),
        "differentiate under the sum: (u²)′ = 2uu′, and ∂hᵢ/∂θₖ = Xᵢₖ",
    )
    d.step(
        (1 / m) * residual_times_feature(),
        "the 2 cancels",
        wrong=residual_times_feature(),
    )

with d.exercise(
    "Add an intercept b to every prediction, so that the cost is "
    "J(θ, b) = (1/(2m)) Σᵢ (hᵢ + b − yᵢ)². Find ∂J/∂b, and show that it is zero exactly when b "
    "is the mean of the residuals yᵢ − hᵢ."
):
    d.start(Derivative((1 / (2 * m)) * Sum((h[i] + b - y[i]) ** 2, (i, 1, m)), b))
    d.step(
        (1 / (2 * m)) * Sum(2 * (h[i] + b - y[i]), (i, 1, m)),
        "differentiate under the sum: (u²)′ = 2uu′, and u′ = 1 because neither hᵢ nor yᵢ depends on b",
    )
    d.step((1 / m) * Sum(h[i] + b - y[i], (i, 1, m)), "the 2 cancels against the 1/2")
    d.step(
        b - (1 / m) * Sum(y[i] - h[i], (i, 1, m)),
        "split the sum: the m equal terms b give mb, and (1/m) · mb = b",
    )

# -- the page -------------------------------------------------------------------------------

page = d.page(part=4, section="Training", order=2, documents=["mse_cost", "mse_cost_grad"])


@page.examples
def examples():
    cost, grad = Public("mse_cost"), Public("mse_cost_grad")
    data, targets = np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]]), np.array([1.0, 2.0, 2.0])
    start, fit = np.zeros(2), np.array([2.0 / 3.0, 0.5])  # the least-squares line y = 2/3 + x/2
    worked = WorkedExample(
        "Three points \\((1, 1), (2, 2), (3, 2)\\) with a column of ones for the intercept. "
        "From \\(\\theta = (0, 0)\\) every residual is \\(-y_i\\), so \\(J = (1 + 4 + 4)/6 = 1.5\\) "
        "and \\(\\nabla J = -\\tfrac{1}{3} X^{\\top} y = -\\tfrac{1}{3}(5, 11)\\). At the least-squares "
        "line \\(\\theta = (2/3, 1/2)\\) the gradient vanishes.",
        (
            WorkedValue(r"J(0, 0)", cost(start, data, targets), "1.5"),
            WorkedValue(r"\nabla J(0, 0)", grad(start, data, targets), "(−1.6667, −3.6667)"),
            WorkedValue(r"\nabla J(2/3, 1/2)", grad(fit, data, targets), "(0, 0)"),
        ),
        reference_label="by hand",
    )
    rng = np.random.default_rng(1)
    cases = (
        CheckInput({"theta": start, "X": data, "y": targets}, "the three points, θ = (0, 0)"),
        CheckInput(
            {"theta": rng.normal(size=3), "X": rng.normal(size=(6, 3)), "y": rng.normal(size=6)},
            "6 random points, 3 features, random θ (NumPy seed 1)",
        ),
    )
    check = GradientCheck(grad, cost, r"J(\theta)", ("theta",), cases)
    usage = Usage("""
        import numpy as np
        from gradbook.functions import mse_cost, mse_cost_grad

        X = np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]])   # intercept column, then x
        y = np.array([1.0, 2.0, 2.0])
        theta = np.zeros(2)
        for step in range(2001):                             # plain gradient descent
            if step % 500 == 0:
                print(step, theta.round(4), round(float(mse_cost(theta, X, y)), 6))
            theta -= 0.1 * mse_cost_grad(theta, X, y)
    """)
    return [worked, check, usage]


if __name__ == "__main__":
    d.main()
