"""The gradient of the logistic-regression cost.

Logistic regression scores m labelled points with the mean cross-entropy
J(θ) = −(1/m) Σᵢ [yᵢ log h(xᵢ) + (1 − yᵢ) log(1 − h(xᵢ))], where h(x) = σ(θᵀx). Its gradient,
∂J/∂θₖ = (1/m) Σᵢ (h(xᵢ) − yᵢ) xᵢₖ, is the average over the data of the per-point gradient, and in
matrix form ∇J = (1/m) Xᵀ(σ(Xθ) − y): two matrix–vector products, which is how it is computed.
"""

from sympy import Derivative, Sum, log

from gradbook import Derivation, domains, elementwise, sigmoid

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


def cost(prediction):
    return -Sum(y[i] * log(prediction) + (1 - y[i]) * log(1 - prediction), (i, 1, m)) / m


with d.chain("The gradient, one component at a time"):
    d.start(Derivative(cost(h[i]), theta[k]))
    d.step(
        -Sum((y[i] / h[i] - (1 - y[i]) / (1 - h[i])) * Derivative(h[i], theta[k]), (i, 1, m)) / m,
        "differentiate under the sum, with (ln u)′ = u′/u",
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

if __name__ == "__main__":
    d.main()
