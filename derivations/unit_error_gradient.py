"""The gradient of the error of one point for a sigmoid unit.

A single sigmoid unit predicts ŷ = σ(Σⱼ wⱼxⱼ + b) and is scored on a labelled point (x, y) by
the cross-entropy error E = −y ln ŷ − (1 − y) ln(1 − ŷ). Its gradient is remarkably simple:
∂E/∂wⱼ = −(y − ŷ)xⱼ and ∂E/∂b = −(y − ŷ). The error of the prediction, y − ŷ, scaled by the
input, is all that gradient descent needs.
"""

from sympy import Abs, Derivative, Min, Sum, exp, log

from gradbook import Derivation, domains, sigmoid

d = Derivation("unit_error_gradient", __doc__, uses=["sigmoid_prime"], source=__file__)
n = d.size("n", meaning="the number of features")
j = d.index("j", n, "a feature, summed over")
k = d.index("k", n, "the feature whose weight we differentiate by")
x = d.vector("x", n, meaning="the features of the point")
w = d.vector("w", n, meaning="the weights")
b = d.real("b", "the bias")
y = d.scalar("y", domains.LABEL, "the label")
z = d.real("z", "a logit, for the lemma")
yhat = d.define("yhat", sigmoid(Sum(w[j] * x[j], (j, 1, n)) + b), "the prediction")
s = Sum(w[j] * x[j], (j, 1, n)) + b


def error(prediction):
    return -y * log(prediction) - (1 - y) * log(1 - prediction)


with d.chain("Lemma: the derivative on the logit"):
    d.start(Derivative(error(sigmoid(z)), z))
    d.step(
        -y * (1 / sigmoid(z)) * Derivative(sigmoid(z), z)
        - (1 - y) * (1 / (1 - sigmoid(z))) * (-Derivative(sigmoid(z), z)),
        "the chain rule with (ln u)′ = u′/u",
    )
    d.step(
        -y * (1 / sigmoid(z)) * (sigmoid(z) * (1 - sigmoid(z)))
        + (1 - y) * (1 / (1 - sigmoid(z))) * (sigmoid(z) * (1 - sigmoid(z))),
        "σ′ = σ(1 − σ)",
    )
    d.step(-y * (1 - sigmoid(z)) + (1 - y) * sigmoid(z), "cancel σ(z) and 1 − σ(z)")
    d.step(-(y - sigmoid(z)), "multiply out: −y + yσ + σ − yσ = σ − y")
d.result("error_logit_derivative")

with d.chain("The same derivative, computed without cancellation"):
    d.start(-(y - sigmoid(z)))
    d.step(
        (1 - y) * sigmoid(z) - y * (1 - sigmoid(z)),
        "write y = y·1 and σ(z) = (1 − y)σ(z) + yσ(z)",
    )
    d.step(
        (1 - y) * sigmoid(z) - y * sigmoid(-z),
        "1 − σ(z) = σ(−z), which stays accurate where σ(z) rounds to 1",
    )
    d.step(
        ((1 - y) * exp(Min(z, 0)) - y * exp(Min(-z, 0))) / (1 + exp(-Abs(z))),
        "σ(±z) = exp(min(±z, 0))/(1 + exp(−|z|)), the overflow-free sigmoid: one shared denominator",
    )
d.note(
    "For a confident correct prediction (y = 1, z = 40) the difference σ(z) − y cancels: "
    "σ(40) rounds to 1 and the computed gradient is 0 instead of −4.2·10⁻¹⁸, an error that a "
    "large feature multiplies. The last form has no subtraction of nearly equal numbers for "
    "labels 0 and 1, and every exponent in it is ≤ 0, so the generated code uses it."
)
d.implement(
    "error_logit_gradient", (z, y), "∂E/∂z = σ(z) − y for the log loss on the logit z."
)

with d.chain("The gradient with respect to a weight"):
    d.start(Derivative(error(yhat), w[k]))
    d.step(
        (-y / yhat + (1 - y) / (1 - yhat)) * Derivative(sigmoid(s), w[k]),
        "the chain rule with (ln u)′ = u′/u, where ŷ = σ(Σⱼ wⱼxⱼ + b)",
    )
    d.step(
        (-y / yhat + (1 - y) / (1 - yhat)) * (yhat * (1 - yhat)) * Derivative(s, w[k]),
        "the chain rule through σ, with σ′ = σ(1 − σ)",
    )
    d.step(
        (-y / yhat + (1 - y) / (1 - yhat)) * (yhat * (1 - yhat)) * x[k],
        "only the term wₖxₖ of the sum depends on wₖ",
    )
    d.step((-y * (1 - yhat) + (1 - y) * yhat) * x[k], "cancel ŷ and 1 − ŷ")
    d.step(-(y - yhat) * x[k], "multiply out, as in the lemma")
d.result("unit_error_grad_w")

with d.chain("The gradient with respect to the bias"):
    d.start(Derivative(error(yhat), b))
    d.step(
        (-y / yhat + (1 - y) / (1 - yhat)) * (yhat * (1 - yhat)) * Derivative(s, b),
        "the chain rule, as for the weights",
    )
    d.step((-y / yhat + (1 - y) / (1 - yhat)) * (yhat * (1 - yhat)), "∂(Σⱼ wⱼxⱼ + b)/∂b = 1")
    d.step(-(y - yhat), "cancel and multiply out, as in the lemma")
d.result("unit_error_grad_b")

if __name__ == "__main__":
    d.main()
