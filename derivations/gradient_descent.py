"""The gradient-descent update of a sigmoid unit, next to the perceptron's.

Gradient descent moves every parameter a small step α against its partial derivative:
w ← w − α ∂E/∂w. For a sigmoid unit scored by the cross-entropy the derivatives are
∂E/∂wₖ = −(y − ŷ)xₖ and ∂E/∂b = −(y − ŷ), so the update adds α(y − ŷ)xₖ to each weight and
α(y − ŷ) to the bias: the point pulls the boundary towards itself when it is misclassified
and pushes it away when it is classified correctly, in proportion to the error y − ŷ. The
perceptron's rule has the same shape with a hard 0/1 prediction, and so it ignores every
point it already classifies correctly.
"""

from sympy import Derivative, Heaviside, Sum, log

from gradbook import Derivation, domains, sigmoid

d = Derivation("gradient_descent", __doc__, uses=["unit_error_gradient"], source=__file__)
n = d.size("n", meaning="the number of features")
j = d.index("j", n, "a feature, summed over")
k = d.index("k", n, "the weight being updated")
x = d.vector("x", n, meaning="the features of the point")
w = d.vector("w", n, meaning="the weights")
b = d.real("b", "the bias")
y = d.scalar("y", domains.LABEL, "the label")
alpha = d.scalar("alpha", domains.POSITIVE, "the learning rate")
s = d.define("s", Sum(w[j] * x[j], (j, 1, n)) + b, "the score of the point")
yhat = d.define("yhat", sigmoid(s), "the prediction of the sigmoid unit")
yhat_step = d.define("yhat_step", Heaviside(s, 1), "the prediction of the perceptron: 1 if s ≥ 0, else 0")


def error(prediction):
    return -y * log(prediction) - (1 - y) * log(1 - prediction)


with d.chain("The update of a weight"):
    d.start(w[k] - alpha * Derivative(error(yhat), w[k]))
    d.step(w[k] - alpha * ((yhat - y) * x[k]), "∂E/∂wₖ = −(y − ŷ)xₖ = (ŷ − y)xₖ, from unit_error_gradient")
    d.step(w[k] + alpha * (y - yhat) * x[k], "−α(ŷ − y) = α(y − ŷ)")
d.result("gradient_step_w")

with d.chain("The update of the bias"):
    d.start(b - alpha * Derivative(error(yhat), b))
    d.step(b - alpha * (yhat - y), "∂E/∂b = −(y − ŷ) = ŷ − y, from unit_error_gradient")
    d.step(b + alpha * (y - yhat), "−α(ŷ − y) = α(y − ŷ); there is no feature to multiply")
d.result("gradient_step_b")

with d.chain("The perceptron's update of a weight"):
    d.start(w[k] + alpha * (y - yhat_step) * x[k])
    d.step(
        w[k] + alpha * (y * (1 - yhat_step) - (1 - y) * yhat_step) * x[k],
        "y − ŷ = y(1 − ŷ) − (1 − y)ŷ; with y and ŷ_step in {0, 1} the first term is 1 only "
        "for a missed positive, the second only for a missed negative",
    )

with d.chain("The sigmoid unit's error is never zero"):
    d.start(y - yhat)
    d.step(y * (1 - yhat) - (1 - y) * yhat, "the same split: y − ŷ = y(1 − ŷ) − (1 − y)ŷ")
    d.step(y * sigmoid(-s) - (1 - y) * sigmoid(s), "1 − σ(s) = σ(−s)")

d.note(
    "The last chain gives y − ŷ = σ(−s) > 0 for a point labelled 1 and y − ŷ = −σ(s) < 0 for a "
    "point labelled 0, because σ is positive everywhere. So for the sigmoid unit y − ŷ ≠ 0 at "
    "every point: each point moves the weights, a badly misclassified point (|s| large, on the "
    "wrong side) by almost α|xₖ|, a point far on the correct side by very little. The "
    "perceptron's y − ŷ_step is exactly 0 at every correctly classified point, which then no "
    "longer moves the boundary."
)
d.note(
    "The bias update has no feature in it: it is b + α(y − ŷ), the weight update with xₖ "
    "replaced by 1, the constant input that the bias multiplies."
)

if __name__ == "__main__":
    d.main()
