"""Backpropagation through one hidden layer.

A network with one hidden layer of H sigmoid units turns an input x ∈ ℝⁿ into the activations
a_h = σ(Σ_k V_hk x_k + c_h), and one sigmoid output unit turns those into the prediction
ŷ = σ(Σ_h w_h a_h + b), scored by the binary cross-entropy E = BCE(y, ŷ). Backpropagation is the
chain rule, organised so that nothing is computed twice: the error signal at the output,
δ_o = ŷ − y, gives the gradients of the output weights, and it is passed back through the weight
w_h and the slope a_h(1 − a_h) of hidden unit h to give that unit's error signal
δ_h = δ_o w_h a_h(1 − a_h), which gives the gradients of the hidden weights in the same way:
∂E/∂V_hj = δ_h x_j, exactly as ∂E/∂w_h = δ_o a_h.
"""

import math

import mpmath
import numpy as np
from sympy import Derivative, HadamardProduct, OneMatrix, Sum

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
n = d.size("n", checked_at=(1, 2, 3), only=True, meaning="the number of inputs")
H = d.size("H", checked_at=(1, 2, 3, 4), only=True, meaning="the number of hidden units")
h = d.index("h", H, "the hidden unit of the weight we differentiate by")
h2 = d.index("h'", H, "a hidden unit, summed over")
j = d.index("j", n, "the input of the weight we differentiate by")
k = d.index("k", n, "an input, summed over")
x = d.vector("x", n, meaning="the input")
V = d.matrix("V", H, n, meaning="the hidden weights, one row per hidden unit")
c = d.vector("c", H, meaning="the hidden biases")
w = d.vector("w", H, meaning="the output weights")
b = d.real("b", "the output bias")
y = d.scalar("y", domains.LABEL, "the label")
s = d.real("s", "the score of the output unit, for the lemma")
a = d.define(
    "a", sigmoid(Sum(V[h, k] * x[k], (k, 1, n)) + c[h]), "the activation of hidden unit h", index=h
)
yhat = d.define("yhat", sigmoid(Sum(w[h2] * a[h2], (h2, 1, H)) + b), "the prediction of the network")
delta_o = d.define("delta_o", yhat - y, "the error signal at the output")
delta = d.define(
    "delta", delta_o * w[h] * (a[h] * (1 - a[h])), "the error signal of hidden unit h", index=h
)
output_score = Sum(w[h2] * a[h2], (h2, 1, H)) + b
hidden_score = Sum(V[h, k] * x[k], (k, 1, n)) + c[h]

with d.chain("Lemma: the error signal at the output"):
    d.start(Derivative(binary_cross_entropy(y, sigmoid(s)), s))
    d.step(
        (-y / sigmoid(s) + (1 - y) / (1 - sigmoid(s))) * (sigmoid(s) * (1 - sigmoid(s))),
        "the chain rule: ∂BCE(y, ŷ)/∂ŷ = −y/ŷ + (1 − y)/(1 − ŷ), times σ′ = σ(1 − σ)",
    )
    d.step(sigmoid(s) - y, "cancel σ and 1 − σ and multiply out, as for a single sigmoid unit")
d.result("output_error_signal")

with d.chain("The gradient with respect to an output weight"):
    d.start(Derivative(binary_cross_entropy(y, yhat), w[h]))
    d.step(
        (yhat - y) * Derivative(output_score, w[h]),
        "the chain rule through the output score s = Σ_h' w_h' a_h' + b, with ∂E/∂s = ŷ − y "
        "(the lemma)",
    )
    d.step((yhat - y) * a[h], "only the term w_h a_h of the score depends on w_h")
    d.step(delta_o * a[h], "the error signal at the output, δ_o = ŷ − y")
d.result("hidden_layer_grad_w")

with d.chain("The gradient with respect to the output bias"):
    d.start(Derivative(binary_cross_entropy(y, yhat), b))
    d.step((yhat - y) * Derivative(output_score, b), "the chain rule through the output score, as above")
    d.step(delta_o, "∂s/∂b = 1, and δ_o = ŷ − y")
d.result("hidden_layer_grad_b")

with d.chain("The gradient with respect to a hidden weight"):
    d.start(Derivative(binary_cross_entropy(y, yhat), V[h, j]))
    d.step(
        (yhat - y) * Derivative(output_score, V[h, j]),
        "the chain rule through the output score, as above",
    )
    d.step(
        (yhat - y) * w[h] * Derivative(a[h], V[h, j]),
        "V_hj feeds hidden unit h alone: of the terms w_h' a_h' only w_h a_h depends on it",
    )
    d.step(
        (yhat - y) * w[h] * (a[h] * (1 - a[h])) * Derivative(hidden_score, V[h, j]),
        "the chain rule through a_h = σ(Σ_k V_hk x_k + c_h), with σ′ = σ(1 − σ)",
    )
    d.step(
        (yhat - y) * w[h] * (a[h] * (1 - a[h])) * x[j],
        "only the term V_hj x_j of the hidden score depends on V_hj",
    )
    d.step(delta[h] * x[j], "the error signal of hidden unit h, δ_h = δ_o w_h a_h(1 − a_h)")
d.result("hidden_layer_grad_V")

with d.chain("The gradient with respect to a hidden bias"):
    d.start(Derivative(binary_cross_entropy(y, yhat), c[h]))
    d.step(
        (yhat - y) * w[h] * (a[h] * (1 - a[h])) * Derivative(hidden_score, c[h]),
        "the same chain rule as for V_hj, through the output score and a_h",
    )
    d.step(delta[h], "∂(Σ_k V_hk x_k + c_h)/∂c_h = 1, and the definition of δ_h")
d.result("hidden_layer_grad_c")

d.note(
    "Every gradient is an error signal times what the weight multiplies: ∂E/∂w_h = δ_o a_h and "
    "∂E/∂b = δ_o at the output, ∂E/∂V_hj = δ_h x_j and ∂E/∂c_h = δ_h at the hidden layer. The "
    "hidden error signal δ_h = δ_o w_h a_h(1 − a_h) is the output's, passed back along the "
    "weight w_h and through the slope σ′ = a_h(1 − a_h) of hidden unit h."
)

x_, V_, c_, w_, a_, delta_ = (d.as_matrix(symbol) for symbol in (x, V, c, w, a, delta))

with d.chain("The forward pass in vector form"):
    d.start(a[h])
    d.step(
        elementwise(sigmoid, V_ * x_ + c_), "entry h of Vx + c is Σ_k V_hk x_k + c_h; σ acts on each entry"
    )

with d.chain("The hidden error signals in vector form"):
    d.start(delta[h])
    d.step(
        HadamardProduct(delta_o * w_, a_, OneMatrix(H, 1) - a_),
        "entry h of each column: δ_o w_h, a_h and 1 − a_h, multiplied entry by entry",
    )

with d.chain("The gradient of the hidden weights in matrix form"):
    d.start(delta[h] * x[j])
    d.step(delta_ * x_.T, "entry (h, j) of the outer product δxᵀ is δ_h x_j")

with d.chain("The gradient of the output weights in vector form"):
    d.start(delta_o * a[h])
    d.step(delta_o * a_, "entry h of the column δ_o a is δ_o a_h")

d.note(
    "In vector form, a = σ(Vx + c) is the column of the H activations and δ the column of the H "
    "hidden error signals; 1 − a is the column of the entries 1 − a_h, and ∘ multiplies two "
    "columns entry by entry. Then δ = (δ_o w) ∘ a ∘ (1 − a), ∂E/∂V = δxᵀ (an H × n matrix, the "
    "shape of V), "
    "∂E/∂c = δ, ∂E/∂w = δ_o a and ∂E/∂b = δ_o: the backward pass costs about as much as the "
    "forward pass."
)

# -- the page -------------------------------------------------------------------------------

page = d.page(part=5, section="Networks", order=1)

#: A small network: two inputs, three hidden units, fixed weights, a point labelled 1.
NETWORK = {
    "x": (1.0, -2.0),
    "y": 1.0,
    "V": ((0.5, -0.3), (-0.2, 0.8), (0.1, 0.4)),
    "c": (0.0, 0.1, -0.2),
    "w": (1.0, -1.5, 0.7),
    "b": 0.2,
}
PARAMETERS = ("V", "c", "w", "b")


def gradients(x, y, V, c, w, b):
    """The derived formulas in NumPy, as the usage script writes them: the forward pass, the
    error signals, and ∂E/∂V, ∂E/∂c, ∂E/∂w, ∂E/∂b."""
    from gradbook.functions import sigmoid

    a = sigmoid(V @ x + c)
    y_hat = sigmoid(w @ a + b)
    delta_o = y_hat - y
    delta = delta_o * w * a * (1 - a)
    return np.outer(delta, x), delta, delta_o * a, delta_o


GRADIENTS = Formula("gradients(x, y, V, c, w, b)", gradients)


def error(x, y, V, c, w, b):
    """E = −y ln ŷ − (1 − y) ln(1 − ŷ) of the network, straight from the definitions with math."""
    a = [
        1 / (1 + math.exp(-(sum(float(v) * float(x_k) for v, x_k in zip(row, x, strict=True)) + float(c_h))))
        for row, c_h in zip(V, c, strict=True)
    ]
    y_hat = 1 / (1 + math.exp(-(sum(float(w_h) * a_h for w_h, a_h in zip(w, a, strict=True)) + float(b))))
    return -float(y) * math.log(y_hat) - (1 - float(y)) * math.log(1 - y_hat)


def exact_forward(x, y, V, c, w, b):
    """a, ŷ, E, δ_o and δ of the network in 30-digit mpmath, with plain loops."""
    with mpmath.workdps(30):
        hidden_scores = [
            mpmath.fsum(mpmath.mpf(v) * x_k for v, x_k in zip(row, x, strict=True)) + c_h
            for row, c_h in zip(V, c, strict=True)
        ]
        a = [1 / (1 + mpmath.exp(-score)) for score in hidden_scores]
        y_hat = 1 / (1 + mpmath.exp(-(mpmath.fsum(w_h * a_h for w_h, a_h in zip(w, a, strict=True)) + b)))
        loss = -y * mpmath.log(y_hat) - (1 - y) * mpmath.log(1 - y_hat)
        delta_o = y_hat - y
        delta = [delta_o * w_h * a_h * (1 - a_h) for w_h, a_h in zip(w, a, strict=True)]
        return a, y_hat, loss, delta_o, delta


def mp_text(values) -> str:
    """mpmath numbers to 6 digits: one as it is, several as (a, b, c)."""
    texts = [mpmath.nstr(value, 6).replace("-", "−") for value in values]
    return texts[0] if len(texts) == 1 else "(" + ", ".join(texts) + ")"


def partial_names() -> list[str]:
    """∂E/∂V_hj, ∂E/∂c_h, ∂E/∂w_h, ∂E/∂b as LaTeX, in the order backprop returns them."""
    units, inputs = np.shape(NETWORK["V"])
    names = [
        rf"\partial E/\partial V_{{{row + 1}{col + 1}}}" for row in range(units) for col in range(inputs)
    ]
    names += [rf"\partial E/\partial c_{{{unit + 1}}}" for unit in range(units)]
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
        "central difference \\((E(v + h) - E(v - h))/2h\\) with "
        f"\\(h = {step_latex()}\\), where \\(E\\) is computed straight from the definitions "
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
    V, c, w, b = (arguments[name] for name in PARAMETERS)
    a = sigmoid(V @ arguments["x"] + c)
    y_hat = sigmoid(w @ a + b)
    exact_a, exact_y_hat, exact_loss, exact_delta_o, exact_delta = exact_forward(**NETWORK)
    dV, dc, dw, db = gradients(**arguments)
    worked = WorkedExample(
        "A network with \\(n = 2\\) inputs and \\(H = 3\\) hidden units, "
        "\\(V = \\begin{pmatrix} 0.5 & -0.3 \\\\ -0.2 & 0.8 \\\\ 0.1 & 0.4 \\end{pmatrix}\\), "
        "\\(c = (0, 0.1, -0.2)\\), \\(w = (1, -1.5, 0.7)\\), \\(b = 0.2\\), at the point "
        "\\(x = (1, -2)\\) labelled \\(y = 1\\). The forward pass gives the activations and "
        "the prediction; the backward pass the error signals, and from them the gradients. "
        "The second column is the derived formulas in NumPy with gradbook's sigmoid, as the "
        "function `gradients` of the usage script below computes them; the third is the same "
        "quantities from the definitions, with plain loops in 30-digit mpmath.",
        (
            WorkedValue(r"a = \sigma(Vx + c)", a, mp_text(exact_a)),
            WorkedValue(r"\hat{y} = \sigma(w \cdot a + b)", y_hat, mp_text([exact_y_hat])),
            WorkedValue(r"E = -\ln \hat{y}", error(**NETWORK), mp_text([exact_loss])),
            WorkedValue(r"\delta_o = \hat{y} - y", db, mp_text([exact_delta_o])),
            WorkedValue(r"\delta = (\delta_o w) \circ a \circ (1 - a)", dc, mp_text(exact_delta)),
            WorkedValue(r"\partial E/\partial w = \delta_o a", dw,
                        mp_text([exact_delta_o * a_h for a_h in exact_a])),
            WorkedValue(r"\partial E/\partial V_{h1} = \delta_h x_1", dV[:, 0],
                        mp_text([delta_h * NETWORK["x"][0] for delta_h in exact_delta])),
            WorkedValue(r"\partial E/\partial V_{h2} = \delta_h x_2", dV[:, 1],
                        mp_text([delta_h * NETWORK["x"][1] for delta_h in exact_delta])),
        ),
        reference_label="mpmath, 30 digits",
    )
    rng = np.random.default_rng(5)
    cases = (
        CheckInput(NETWORK, "the network above"),
        CheckInput(
            {"x": rng.normal(size=3), "y": 0.0, "V": rng.normal(size=(4, 3)), "c": rng.normal(size=4),
             "w": rng.normal(size=4), "b": float(rng.normal())},
            "3 inputs, 4 hidden units, label 0, random weights (NumPy seed 5)",
        ),
        CheckInput(
            {"x": (0.5,), "y": 1.0, "V": ((2.0,),), "c": (-1.0,), "w": (-3.0,), "b": 0.5},
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
        V, c = rng.normal(size=(3, 2)), np.zeros(3)      # three hidden units
        w, b = rng.normal(size=3), 0.0


        def gradients(x, y, V, c, w, b):
            a = sigmoid(V @ x + c)                       # forward pass
            y_hat = sigmoid(w @ a + b)
            delta_o = y_hat - y                          # error signal at the output
            delta = delta_o * w * a * (1 - a)            # error signals of the hidden units
            return np.outer(delta, x), delta, delta_o * a, delta_o


        for epoch in range(2001):
            if epoch % 500 == 0:
                y_hat = sigmoid(sigmoid(X @ V.T + c) @ w + b)
                print(epoch, round(float(np.mean(log_loss(labels, y_hat))), 4), y_hat.round(2))
            for x, y in zip(X, labels):                  # one gradient step per point
                dV, dc, dw, db = gradients(x, y, V, c, w, b)
                V, c, w, b = V - 0.5 * dV, c - 0.5 * dc, w - 0.5 * dw, b - 0.5 * db
    """)
    return [worked, every_partial_derivative(), check, usage]


if __name__ == "__main__":
    d.main()
