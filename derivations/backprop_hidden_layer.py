"""Backpropagation through one hidden layer.

A network with one hidden layer of H sigmoid units turns the n features of a point, x ∈ ℝⁿ, into
the activations a_u = σ(Σ_k V_uk x_k + β_u), and one sigmoid output unit turns those into the
prediction
ŷ = σ(Σ_u w_u a_u + b), scored by the binary cross-entropy E = BCE(y, ŷ). Backpropagation is the
chain rule, organised so that nothing is computed twice: the error signal at the output,
g_o = ŷ − y, gives the gradients of the output weights, and it is passed back through the weight
w_u and the slope a_u(1 − a_u) of hidden unit u to give that unit's error signal
g_u = g_o w_u a_u(1 − a_u), which gives the gradients of the hidden weights in the same way:
∂E/∂V_uj = g_u x_j, exactly as ∂E/∂w_u = g_o a_u.
"""

import math

import mpmath
import numpy as np
from sympy import Derivative, HadamardProduct, OneMatrix, Sum, log

from gradbook import Derivation, binary_cross_entropy, domains, elementwise, sigmoid
from gradbook.examples import (
    CheckInput,
    Formula,
    GradientCheck,
    Public,
    Usage,
    WorkedExample,
    WorkedValue,
    central_differences,
    step_latex,
)

d = Derivation(
    "backprop_hidden_layer", __doc__, uses=["unit_error_gradient", "sigmoid_prime"], source=__file__
)
# Each size is checked at these values only: the network written out for n = H = 8 makes the
# derivatives slow to check.
n = d.size("n", checked_at=(1, 2, 3), only=True, meaning="the number of features, the inputs of the network")
H = d.size("H", checked_at=(1, 2, 3, 4), only=True, meaning="the number of hidden units")
u = d.index("u", H, "the hidden unit of the weight we differentiate by")
u2 = d.index("u'", H, "a hidden unit, summed over")
j = d.index("j", n, "the feature of the weight we differentiate by")
k = d.index("k", n, "a feature, summed over")
x = d.vector("x", n, meaning="the features of the point, the input of the network")
V = d.matrix("V", H, n, meaning="the hidden weights, one row per hidden unit")
beta = d.vector("beta", H, meaning="the biases of the hidden units")
w = d.vector("w", H, meaning="the output weights")
b = d.real("b", "the output bias")
y = d.scalar("y", domains.LABEL, "the label")
z = d.real("z", "a score of the output unit before the sigmoid, for the lemma")
a = d.define(
    "a", sigmoid(Sum(V[u, k] * x[k], (k, 1, n)) + beta[u]), "the activation of hidden unit u", index=u
)
yhat = d.define("yhat", sigmoid(Sum(w[u2] * a[u2], (u2, 1, H)) + b), "the prediction of the network")
delta_o = d.define("g_o", yhat - y, "the error signal at the output: the gradient ∂E/∂z of its score")
delta = d.define(
    "g", delta_o * w[u] * (a[u] * (1 - a[u])),
    "the error signal of hidden unit u: the gradient of E by the unit's score", index=u
)
output_score = Sum(w[u2] * a[u2], (u2, 1, H)) + b
hidden_score = Sum(V[u, k] * x[k], (k, 1, n)) + beta[u]

with d.chain("Lemma: the error signal at the output"):
    d.start(Derivative(binary_cross_entropy(y, sigmoid(z)), z))
    d.step(
        (-y / sigmoid(z) + (1 - y) / (1 - sigmoid(z))) * (sigmoid(z) * (1 - sigmoid(z))),
        "the chain rule: ∂BCE(y, ŷ)/∂ŷ = −y/ŷ + (1 − y)/(1 − ŷ), times σ′ = σ(1 − σ)",
    )
    d.step(sigmoid(z) - y, "cancel σ and 1 − σ and multiply out, as for a single sigmoid unit")
d.result("output_error_signal")

with d.chain("The gradient with respect to an output weight"):
    d.start(Derivative(binary_cross_entropy(y, yhat), w[u]))
    d.step(
        (yhat - y) * Derivative(output_score, w[u]),
        "the chain rule through the output score z = Σ_u' w_u' a_u' + b, with ∂E/∂z = ŷ − y "
        "(the lemma)",
    )
    d.step((yhat - y) * a[u], "only the term w_u a_u of the score depends on w_u")
    d.step(delta_o * a[u], "the error signal at the output, g_o = ŷ − y")
d.result("hidden_layer_grad_w")

with d.chain("The gradient with respect to the output bias"):
    d.start(Derivative(binary_cross_entropy(y, yhat), b))
    d.step((yhat - y) * Derivative(output_score, b), "the chain rule through the output score, as above")
    d.step(delta_o, "∂z/∂b = 1, and g_o = ŷ − y")
d.result("hidden_layer_grad_b")

with d.chain("The gradient with respect to a hidden weight"):
    d.start(Derivative(binary_cross_entropy(y, yhat), V[u, j]))
    d.step(
        (yhat - y) * Derivative(output_score, V[u, j]),
        "the chain rule through the output score, as above",
    )
    d.step(
        (yhat - y) * w[u] * Derivative(a[u], V[u, j]),
        "V_uj feeds hidden unit u alone: of the terms w_u' a_u' only w_u a_u depends on it",
    )
    d.step(
        (yhat - y) * w[u] * (a[u] * (1 - a[u])) * Derivative(hidden_score, V[u, j]),
        "the chain rule through a_u = σ(Σ_k V_uk x_k + β_u), with σ′ = σ(1 − σ)",
    )
    d.step(
        (yhat - y) * w[u] * (a[u] * (1 - a[u])) * x[j],
        "only the term V_uj x_j of the hidden score depends on V_uj",
    )
    d.step(delta[u] * x[j], "the error signal of hidden unit u, g_u = g_o w_u a_u(1 − a_u)")
d.result("hidden_layer_grad_V")

with d.chain("The gradient with respect to a hidden bias"):
    d.start(Derivative(binary_cross_entropy(y, yhat), beta[u]))
    d.step(
        (yhat - y) * w[u] * (a[u] * (1 - a[u])) * Derivative(hidden_score, beta[u]),
        "the same chain rule as for V_uj, through the output score and a_u",
    )
    d.step(delta[u], "∂(Σ_k V_uk x_k + β_u)/∂β_u = 1, and the definition of g_u")
d.result("hidden_layer_grad_beta")

d.note(
    "Every gradient is an error signal times what the weight multiplies: ∂E/∂w_u = g_o a_u and "
    "∂E/∂b = g_o at the output, ∂E/∂V_uj = g_u x_j and ∂E/∂β_u = g_u at the hidden layer. The "
    "hidden error signal g_u = g_o w_u a_u(1 − a_u) is the output's, passed back along the "
    "weight w_u and through the slope σ′ = a_u(1 − a_u) of hidden unit u."
)

x_, V_, beta_, w_, a_, delta_ = (d.as_matrix(symbol) for symbol in (x, V, beta, w, a, delta))

with d.chain("The forward pass in vector form"):
    d.start(a[u])
    d.step(
        elementwise(sigmoid, V_ * x_ + beta_), "entry u of Vx + β is Σ_k V_uk x_k + β_u; σ acts on each entry"
    )

with d.chain("The hidden error signals in vector form"):
    d.start(delta[u])
    d.step(
        HadamardProduct(delta_o * w_, a_, OneMatrix(H, 1) - a_),
        "entry u of each column: g_o w_u, a_u and 1 − a_u, multiplied entry by entry",
    )

with d.chain("The gradient of the hidden weights in matrix form"):
    d.start(delta[u] * x[j])
    d.step(delta_ * x_.T, "entry (u, j) of the outer product gxᵀ is g_u x_j")

with d.chain("The gradient of the output weights in vector form"):
    d.start(delta_o * a[u])
    d.step(delta_o * a_, "entry u of the column g_o a is g_o a_u")

d.note(
    "In vector form, a = σ(Vx + β) is the column of the H activations and g the column of the H "
    "hidden error signals; 1 − a is the column of the entries 1 − a_u, and ∘ multiplies two "
    "columns entry by entry. Then g = (g_o w) ∘ a ∘ (1 − a), ∂E/∂V = gxᵀ (an H × n matrix, the "
    "shape of V), "
    "∂E/∂β = g, ∂E/∂w = g_o a and ∂E/∂b = g_o: the backward pass costs about as much as the "
    "forward pass."
)

with d.exercise(
    "The output error signal g_o = ŷ − y does not depend on the layers below the output: derive "
    "it for the output score z alone, ∂E/∂z for E = BCE(y, σ(z)), from the definition of the "
    "binary cross-entropy and σ′ = σ(1 − σ)."
):
    d.start(Derivative(binary_cross_entropy(y, sigmoid(z)), z))
    d.step(Derivative(-y * log(sigmoid(z)) - (1 - y) * log(1 - sigmoid(z)), z),
           "the definition BCE(y, ŷ) = −y ln ŷ − (1 − y) ln(1 − ŷ)")
    d.step(
        -y * (sigmoid(z) * (1 - sigmoid(z))) / sigmoid(z)
        + (1 - y) * (sigmoid(z) * (1 - sigmoid(z))) / (1 - sigmoid(z)),
        "(ln u)′ = u′/u, with σ′ = σ(1 − σ) and (1 − σ)′ = −σ′",
    )
    d.step(-y * (1 - sigmoid(z)) + (1 - y) * sigmoid(z),
           "cancel σ(z) in the first term and 1 − σ(z) in the second")
    d.step(sigmoid(z) - y, "multiply out: −y + yσ(z) + σ(z) − yσ(z)")

with d.exercise(
    "Spot the mistake. A student backpropagates to the output score z and, remembering that the "
    "output unit is a sigmoid, multiplies by its derivative once more. Which line is wrong?"
):
    d.start(Derivative(binary_cross_entropy(y, sigmoid(z)), z))
    d.step(
        sigmoid(z) - y,
        "the gradient of the cross-entropy on the logit, from the gradient of one point's error",
        wrong=(sigmoid(z) - y) * (sigmoid(z) * (1 - sigmoid(z))),
    )

# -- the page -------------------------------------------------------------------------------

page = d.page(part=5, section="Networks", order=1)

#: A small network: two inputs, three hidden units, fixed weights, a point labelled 1.
NETWORK = {
    "x": (1.0, -2.0),
    "y": 1.0,
    "V": ((0.5, -0.3), (-0.2, 0.8), (0.1, 0.4)),
    "beta": (0.0, 0.1, -0.2),
    "w": (1.0, -1.5, 0.7),
    "b": 0.2,
}
PARAMETERS = ("V", "beta", "w", "b")


def gradients(x, y, V, beta, w, b):
    """The derived formulas in NumPy, as the usage script writes them: the forward pass, the
    error signals, and ∂E/∂V, ∂E/∂β, ∂E/∂w, ∂E/∂b."""
    from gradbook.functions import sigmoid

    a = sigmoid(V @ x + beta)
    y_hat = sigmoid(w @ a + b)
    delta_o = y_hat - y
    delta = delta_o * w * a * (1 - a)
    return np.outer(delta, x), delta, delta_o * a, delta_o


GRADIENTS = Formula("gradients(x, y, V, beta, w, b)", gradients)


def error(x, y, V, beta, w, b):
    """E = −y ln ŷ − (1 − y) ln(1 − ŷ) of the network, straight from the definitions with math."""
    hidden_scores = [
        sum(float(v) * float(x_k) for v, x_k in zip(row, x, strict=True)) + float(beta_u)
        for row, beta_u in zip(V, beta, strict=True)
    ]
    a = [1 / (1 + math.exp(-score)) for score in hidden_scores]
    y_hat = 1 / (1 + math.exp(-(sum(float(w_u) * a_u for w_u, a_u in zip(w, a, strict=True)) + float(b))))
    return -float(y) * math.log(y_hat) - (1 - float(y)) * math.log(1 - y_hat)


def exact_forward(x, y, V, beta, w, b):
    """a, ŷ, E, g_o and g of the network in 30-digit mpmath, with plain loops."""
    with mpmath.workdps(30):
        hidden_scores = [
            mpmath.fsum(mpmath.mpf(v) * x_k for v, x_k in zip(row, x, strict=True)) + beta_u
            for row, beta_u in zip(V, beta, strict=True)
        ]
        a = [1 / (1 + mpmath.exp(-score)) for score in hidden_scores]
        y_hat = 1 / (1 + mpmath.exp(-(mpmath.fsum(w_u * a_u for w_u, a_u in zip(w, a, strict=True)) + b)))
        loss = -y * mpmath.log(y_hat) - (1 - y) * mpmath.log(1 - y_hat)
        delta_o = y_hat - y
        delta = [delta_o * w_u * a_u * (1 - a_u) for w_u, a_u in zip(w, a, strict=True)]
        return a, y_hat, loss, delta_o, delta


def mp_text(values) -> str:
    """mpmath numbers to 6 digits: one as it is, several as (a, b, c)."""
    texts = [mpmath.nstr(value, 6).replace("-", "−") for value in values]
    return texts[0] if len(texts) == 1 else "(" + ", ".join(texts) + ")"


def partial_names() -> list[str]:
    """∂E/∂V_uj, ∂E/∂β_u, ∂E/∂w_u, ∂E/∂b as LaTeX, in the order backprop returns them."""
    units, inputs = np.shape(NETWORK["V"])
    names = [
        rf"\partial E/\partial V_{{{row + 1}{col + 1}}}" for row in range(units) for col in range(inputs)
    ]
    names += [rf"\partial E/\partial \beta_{{{unit + 1}}}" for unit in range(units)]
    names += [rf"\partial E/\partial w_{{{unit + 1}}}" for unit in range(units)]
    return [*names, r"\partial E/\partial b"]


def every_partial_derivative() -> WorkedExample:
    """Each partial derivative of the small network beside the central difference of E."""
    arguments = {name: np.asarray(value, dtype=float) for name, value in NETWORK.items()}
    derived = np.concatenate([np.ravel(part) for part in gradients(**arguments)])
    numeric = np.concatenate([central_differences(error, arguments, name) for name in PARAMETERS])
    rows = tuple(
        WorkedValue(name, value, f"{reference:.7g}".replace("-", "−"))
        for name, value, reference in zip(partial_names(), derived, numeric, strict=True)
    )
    return WorkedExample(
        "Every partial derivative of the network above from the derived formulas (`gradients`), "
        "beside the "
        "central difference \\((E(v + \\varepsilon) - E(v - \\varepsilon))/2\\varepsilon\\) "
        f"with \\(\\varepsilon = {step_latex()}\\), where \\(E\\) is computed straight from the definitions "
        "with Python's `math` module, one weight moved at a time. The last column says whether "
        "the two agree to the 7 digits shown.",
        rows,
        reference_label="central difference of E",
        title="Every partial derivative against central differences",
    )


@page.examples
def examples():
    sigmoid = Public("sigmoid")
    arguments = {name: np.asarray(value, dtype=float) for name, value in NETWORK.items()}
    V, beta, w, b = (arguments[name] for name in PARAMETERS)
    a = sigmoid(V @ arguments["x"] + beta)
    y_hat = sigmoid(w @ a + b)
    exact_a, exact_y_hat, exact_loss, exact_delta_o, exact_delta = exact_forward(**NETWORK)
    dV, dbeta, dw, db = gradients(**arguments)
    worked = WorkedExample(
        "A network with \\(n = 2\\) inputs and \\(H = 3\\) hidden units, "
        "\\(V = \\begin{pmatrix} 0.5 & -0.3 \\\\ -0.2 & 0.8 \\\\ 0.1 & 0.4 \\end{pmatrix}\\), "
        "\\(\\beta = (0, 0.1, -0.2)\\), \\(w = (1, -1.5, 0.7)\\), \\(b = 0.2\\), at the point "
        "\\(x = (1, -2)\\) labelled \\(y = 1\\). The forward pass gives the activations and "
        "the prediction; the backward pass the error signals, and from them the gradients. "
        "The second column is the derived formulas in NumPy with gradbook's sigmoid, as the "
        "function `gradients` of the usage script below computes them; the third is the same "
        "quantities from the definitions, with plain loops in 30-digit mpmath.",
        (
            WorkedValue(r"a = \sigma(Vx + \beta)", a, mp_text(exact_a)),
            WorkedValue(r"\hat{y} = \sigma(w \cdot a + b)", y_hat, mp_text([exact_y_hat])),
            WorkedValue(r"E = -\ln \hat{y}", error(**NETWORK), mp_text([exact_loss])),
            WorkedValue(r"\delta_o = \hat{y} - y", db, mp_text([exact_delta_o])),
            WorkedValue(r"\delta = (\delta_o w) \circ a \circ (1 - a)", dbeta, mp_text(exact_delta)),
            WorkedValue(r"\partial E/\partial w = \delta_o a", dw,
                        mp_text([exact_delta_o * a_u for a_u in exact_a])),
            WorkedValue(r"\partial E/\partial V_{u1} = \delta_u x_1", dV[:, 0],
                        mp_text([delta_u * NETWORK["x"][0] for delta_u in exact_delta])),
            WorkedValue(r"\partial E/\partial V_{u2} = \delta_u x_2", dV[:, 1],
                        mp_text([delta_u * NETWORK["x"][1] for delta_u in exact_delta])),
        ),
        reference_label="mpmath, 30 digits",
    )
    rng = np.random.default_rng(5)
    cases = (
        CheckInput(NETWORK, "the network above"),
        CheckInput(
            {"x": rng.normal(size=3), "y": 0.0, "V": rng.normal(size=(4, 3)), "beta": rng.normal(size=4),
             "w": rng.normal(size=4), "b": float(rng.normal())},
            "3 inputs, 4 hidden units, label 0, random weights (NumPy seed 5)",
        ),
        CheckInput(
            {"x": (0.5,), "y": 1.0, "V": ((2.0,),), "beta": (-1.0,), "w": (-3.0,), "b": 0.5},
            "one input, one hidden unit",
        ),
    )
    check = GradientCheck(GRADIENTS, error, r"E", PARAMETERS, cases)
    usage = Usage("""
        import numpy as np
        from gradbook.functions import log_loss, sigmoid

        X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
        labels = np.array([0.0, 1.0, 1.0, 0.0])         # XOR: no single sigmoid unit fits it
        rng = np.random.default_rng(1)
        V, beta = rng.normal(size=(3, 2)), np.zeros(3)   # three hidden units
        w, b = rng.normal(size=3), 0.0


        def gradients(x, y, V, beta, w, b):
            a = sigmoid(V @ x + beta)                    # forward pass
            y_hat = sigmoid(w @ a + b)
            delta_o = y_hat - y                          # error signal at the output
            delta = delta_o * w * a * (1 - a)            # error signals of the hidden units
            return np.outer(delta, x), delta, delta_o * a, delta_o


        for epoch in range(2001):
            if epoch % 500 == 0:
                y_hat = sigmoid(sigmoid(X @ V.T + beta) @ w + b)
                print(epoch, round(float(np.mean(log_loss(labels, y_hat))), 4), y_hat.round(2))
            for x, y in zip(X, labels):                  # one gradient step per point
                dV, dbeta, dw, db = gradients(x, y, V, beta, w, b)
                V, beta = V - 0.5 * dV, beta - 0.5 * dbeta
                w, b = w - 0.5 * dw, b - 0.5 * db
    """)
    return [worked, every_partial_derivative(), check, usage]


if __name__ == "__main__":
    d.main()
