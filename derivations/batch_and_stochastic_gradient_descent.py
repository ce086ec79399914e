"""Batch, mini-batch and stochastic gradient descent.

The cost J(θ) = (1/m) Σᵢ Eᵢ(θ) is a mean over the m data points, so its gradient is the mean of
the per-point gradients: ∇J = (1/m) Σᵢ ∇Eᵢ. Batch gradient descent computes all m of them for
every step. Stochastic gradient descent uses the gradient of one point drawn at random, and
mini-batch gradient descent the mean over B points drawn at random: g_𝓑 = (1/B) Σ_{i∈𝓑} ∇Eᵢ.
Either estimate is right on average, its expected value is exactly ∇J, so each step goes
downhill on average, at a fraction of the cost of a full step and with some noise.
"""

import itertools
import math
from fractions import Fraction

import numpy as np
from sympy import Derivative, Rational, Sum, binomial, factorial

from gradbook import Derivation, binary_cross_entropy, domains, sigmoid
from gradbook.examples import CheckInput, GradientCheck, Public, Usage, WorkedExample, WorkedValue

d = Derivation(
    "batch_and_stochastic_gradient_descent", __doc__, uses=["logistic_cost_gradient"], source=__file__
)
m = d.size("m", checked_at=(1, 2, 3), meaning="the number of data points")
n = d.size("n", checked_at=(1, 2, 3), meaning="the number of features")
B = d.size("B", meaning="the batch size: the number of points in a mini-batch 𝓑")
r = d.size("r", meaning="the number of points left out of a mini-batch, m − B (r = 0 is the full batch)")
i = d.index("i", m, "a data point, summed over")
j = d.index("j", n, "a feature, summed over")
k = d.index("k", n, "the parameter we differentiate by")
X = d.matrix("X", m, n, meaning="the data, one point per row")
y = d.vector("y", m, domains.LABEL, "the labels")
theta = d.vector("theta", n, meaning="the parameters")
h = d.define("h", sigmoid(Sum(theta[j] * X[i, j], (j, 1, n))), "the prediction for point i", index=i)
g = d.define("g", (h[i] - y[i]) * X[i, k], "entry k of ∇Eᵢ, the gradient of point i's error", index=i)


def mean_gradient():
    """(1/m) Σᵢ gᵢ: entry k of the full gradient ∇J."""
    return (1 / m) * Sum(g[i], (i, 1, m))


with d.chain("The full gradient is the mean of the per-point gradients"):
    d.start(Derivative((1 / m) * Sum(binary_cross_entropy(y[i], h[i]), (i, 1, m)), theta[k]))
    d.step(
        (1 / m) * Sum(Derivative(binary_cross_entropy(y[i], h[i]), theta[k]), (i, 1, m)),
        "the derivative of a sum is the sum of the derivatives, and 1/m is a constant factor",
    )
    d.step(
        (1 / m) * Sum((h[i] - y[i]) * X[i, k], (i, 1, m)),
        "∂Eᵢ/∂θₖ = (hᵢ − yᵢ)Xᵢₖ for Eᵢ = BCE(yᵢ, hᵢ), from the logistic-regression gradient",
    )
    d.step(mean_gradient(), "the definition gᵢ = (hᵢ − yᵢ)Xᵢₖ")
d.result("full_gradient")

with d.chain("One point drawn at random: the stochastic gradient is right on average"):
    d.start(Sum((1 / m) * g[i], (i, 1, m)))
    d.step(
        mean_gradient(),
        "the expected value Σᵢ P(i)·gᵢ with every point equally likely, P(i) = 1/m: the "
        "constant 1/m comes out of the sum",
    )

with d.chain("A given point is in a random mini-batch with probability B/m"):
    d.start(binomial(B + r - 1, B - 1) / binomial(B + r, B))
    d.step(
        factorial(B + r - 1) * factorial(B) * factorial(r)
        / (factorial(B - 1) * factorial(r) * factorial(B + r)),
        "the definition C(N, K) = N!/(K!(N − K)!), and dividing by a fraction multiplies by "
        "its reciprocal",
    )
    d.step(factorial(B) * factorial(B + r - 1) / (factorial(B - 1) * factorial(B + r)), "cancel r!")
    d.step(B / (B + r), "B! = B·(B − 1)! and (B + r)! = (B + r)·(B + r − 1)!")

with d.chain("B points drawn at random: the mini-batch gradient is right on average"):
    d.start((1 / B) * Sum((B / m) * g[i], (i, 1, m)))
    d.step((1 / B) * (B / m) * Sum(g[i], (i, 1, m)), "B/m does not depend on i: it comes out of the sum")
    d.step(mean_gradient(), "(1/B)·(B/m) = 1/m")

d.note(
    "Why the chains above are the expected values. A mini-batch 𝓑 is B different points drawn at "
    "random, every set of B points as likely as any other; a stochastic step is the case B = 1. "
    "Its gradient g_𝓑 = (1/B) Σ_{i∈𝓑} gᵢ is (1/B) Σᵢ 1[i ∈ 𝓑] gᵢ, a sum over all m points in "
    "which the indicator 1[i ∈ 𝓑] keeps the points of the batch. The expected value of a sum is "
    "the sum of the expected values, and the expected value of an indicator is its probability, "
    "so the expected value of g_𝓑 is (1/B) Σᵢ P(i ∈ 𝓑) gᵢ. P(i ∈ 𝓑) counts the batches that "
    "contain i (their other B − 1 points are any of the other m − 1) among all C(m, B) batches; "
    "the third chain, with m = B + r, shows that this is B/m, as symmetry says it must be: every "
    "point is equally likely to be in 𝓑, and 𝓑 holds B of the m points."
)
d.note(
    "What changes with B is not where a step points on average but its cost and its noise. "
    "A step costs B per-point gradients: m for batch gradient descent, 1 for a stochastic step. An "
    "epoch, one pass over the data, costs m per-point gradients whatever B is, and makes m/B "
    "updates: 1 for the full batch, m/B for mini-batches, m for single points. The noise is the "
    "spread of g_𝓑 around ∇J. With the B points drawn without replacement, the mean of ‖g_𝓑 − "
    "∇J‖² over all batches is (1/B)·((m − B)/(m − 1))·s², where s² = (1/m) Σᵢ ‖∇Eᵢ − ∇J‖² is the "
    "spread of the per-point gradients: it shrinks like 1/B and vanishes for the full batch."
)
d.note(
    "In practice the data are shuffled once per epoch and cut into consecutive batches of B "
    "points: each batch is then still a set of B points drawn at random, and every point is "
    "used exactly once per epoch. The gradient of a mini-batch is the gradient of the cost "
    "J_𝓑 = (1/B) Σ_{i∈𝓑} Eᵢ of the batch alone, so in NumPy it is "
    "logistic_cost_grad(theta, X[batch], y[batch])."
)


def linear_score():
    """θ·xᵢ = Σⱼ θⱼXᵢⱼ, the prediction of a linear model for point i."""
    return Sum(theta[j] * X[i, j], (j, 1, n))


with d.exercise(
    r"The same holds for any cost that is a mean over the points. Take a linear model scored by "
    r"the squared error, \(E_i = \tfrac12 (\theta \cdot x_i - y_i)^2\) and "
    r"\(J = \tfrac1m \sum_i E_i\). Show that \(\partial J / \partial \theta_k\) is the mean of "
    r"the per-point gradients \(\partial E_i / \partial \theta_k = (\theta \cdot x_i - y_i) X_{ik}\)."
):
    d.start(Derivative((1 / m) * Sum(Rational(1, 2) * (linear_score() - y[i]) ** 2, (i, 1, m)), theta[k]))
    d.step(
        (1 / m) * Sum(Derivative(Rational(1, 2) * (linear_score() - y[i]) ** 2, theta[k]), (i, 1, m)),
        "the derivative of a sum is the sum of the derivatives, and 1/m is a constant factor",
    )
    d.step(
        (1 / m) * Sum((linear_score() - y[i]) * X[i, k], (i, 1, m)),
        r"\(\partial E_i / \partial \theta_k = (\theta \cdot x_i - y_i) X_{ik}\), by "
        r"\((u^2)' = 2uu'\) with \(\tfrac12 \cdot 2 = 1\): in \(\theta \cdot x_i\) only the term "
        r"\(\theta_k X_{ik}\) depends on \(\theta_k\)",
    )

with d.exercise(
    r"What is the probability that a given point is left out of a random mini-batch of \(B\) "
    r"points? Count the batches that avoid it: their \(B\) points are any of the other "
    r"\(m - 1\). With \(m = B + r\), show that the probability is \(r/m\), which is "
    r"\(1 - B/m\)."
):
    d.start(binomial(B + r - 1, B) / binomial(B + r, B))
    d.step(
        factorial(B + r - 1) * factorial(B) * factorial(r)
        / (factorial(B) * factorial(r - 1) * factorial(B + r)),
        "the definition C(N, K) = N!/(K!(N − K)!), and dividing by a fraction multiplies by "
        "its reciprocal",
    )
    d.step(factorial(r) * factorial(B + r - 1) / (factorial(r - 1) * factorial(B + r)), "cancel B!")
    d.step(r / (B + r), "r! = r·(r − 1)! and (B + r)! = (B + r)·(B + r − 1)!")
    d.step(1 - B / (B + r), "r = (B + r) − B: one minus the probability that the point is in the batch")

with d.exercise(
    r"Spot the mistake. A student computes the mini-batch gradient with the factor of the full "
    r"gradient, \(1/m\), instead of \(1/B\): \(\tilde{g}_𝓑 = \tfrac1m \sum_{i \in 𝓑} g_i\). Each "
    r"point is in 𝓑 with probability \(B/m\), so the expected value of \(\tilde{g}_𝓑\) is "
    r"\(\tfrac1m \sum_i \tfrac{B}{m} g_i\), and the student concludes that \(\tilde{g}_𝓑\) is "
    r"still right on average, equal to \(\nabla J = \tfrac1m \sum_i g_i\). Which line is wrong, "
    "and what should it say? What does the slip do, on average, to a step "
    r"\(\theta \leftarrow \theta - \alpha \tilde{g}_𝓑\) of gradient descent?"
):
    d.start((1 / m) * Sum((B / m) * g[i], (i, 1, m)))
    d.step((1 / m) * (B / m) * Sum(g[i], (i, 1, m)), "B/m does not depend on i: it comes out of the sum")
    d.step(
        B * Sum(g[i], (i, 1, m)) * m**-2,
        "multiply the constants in front of the sum",
        wrong=mean_gradient(),
    )

# -- the page -------------------------------------------------------------------------------

page = d.page(part=4, section="Training", order=3)

#: The seeds of the small data set of the worked example and of the figure's training data.
EXAMPLE_SEED, TRAINING_SEED = 3, 11
#: The worked example: m points, n features (the first a column of ones), batches of B points.
EXAMPLE_POINTS, EXAMPLE_FEATURES, EXAMPLE_BATCH = 10, 3, 3


def example_data():
    """A small seeded data set with a bias column, labels in {0, 1} and parameters θ."""
    rng = np.random.default_rng(EXAMPLE_SEED)
    X = np.column_stack([np.ones(EXAMPLE_POINTS), rng.normal(size=(EXAMPLE_POINTS, EXAMPLE_FEATURES - 1))])
    y = rng.integers(0, 2, size=EXAMPLE_POINTS).astype(float)
    theta = rng.normal(size=EXAMPLE_FEATURES)
    return X, y, theta


def point_gradients(X, y, theta):
    """∇Eᵢ = (σ(θ·xᵢ) − yᵢ)xᵢ for every point, by hand with Python's math, as exact fractions
    of the floats computed."""
    gradients = []
    for row, label in zip(X.tolist(), y.tolist(), strict=True):
        score = math.fsum(t * x for t, x in zip(theta.tolist(), row, strict=True))
        residual = 1 / (1 + math.exp(-score)) - label
        gradients.append([Fraction(residual * x) for x in row])
    return gradients


def mean(vectors):
    """The exact mean of vectors of fractions."""
    return [sum(entries, Fraction(0)) / len(vectors) for entries in zip(*vectors, strict=True)]


def batch_means(gradients, size):
    """The mini-batch gradient g_𝓑 of every set 𝓑 of ``size`` points, exactly."""
    return [mean(list(batch)) for batch in itertools.combinations(gradients, size)]


def squared_distance(u, v):
    return sum((a - c) ** 2 for a, c in zip(u, v, strict=True))


def twelve_digits(vector):
    return "(" + ", ".join(f"{float(entry):.12g}".replace("-", "−") for entry in vector) + ")"


@page.examples
def examples():
    return [average_example(), noise_example(), batch_gradient_check(), usage()]


def average_example():
    full_gradient, unit_error_grad = Public("logistic_cost_grad"), Public("unit_error_grad")
    X, y, theta = example_data()
    gradients = point_gradients(X, y, theta)
    full = mean(gradients)
    batches = batch_means(gradients, EXAMPLE_BATCH)
    over_batches = mean(batches)
    per_point, _ = unit_error_grad(X, y, theta, 0.0)
    by_hand = twelve_digits(full)
    return WorkedExample(
        f"{EXAMPLE_POINTS} points with a column of ones and two features drawn with NumPy seed "
        f"{EXAMPLE_SEED}, random labels and a random \\(\\theta\\). The per-point gradients "
        "\\(\\nabla E_i = (h_i - y_i)x_i\\) come from `unit_error_grad` (with the bias in "
        "\\(\\theta\\), so \\(B = 0\\) there); the full gradient from `logistic_cost_grad`; and "
        f"the mean of the mini-batch gradients over all \\(\\binom{{{EXAMPLE_POINTS}}}"
        f"{{{EXAMPLE_BATCH}}} = {len(batches)}\\) batches of {EXAMPLE_BATCH} points, computed in "
        "exact fractions from the per-point gradients. The reference column is "
        "\\(\\tfrac{1}{m} \\sum_i \\nabla E_i\\) worked out with Python's `math`; the last row, "
        "in exact fractions, shows that the mean over the batches is that mean exactly.",
        (
            WorkedValue(r"\tfrac{1}{m} \sum_i \nabla E_i", per_point.mean(axis=0), by_hand),
            WorkedValue(r"\nabla J(\theta)", full_gradient(theta, X, y), by_hand),
            WorkedValue(rf"\text{{mean of }} g_𝓑 \text{{ over all {len(batches)} batches}}",
                        [float(entry) for entry in over_batches], by_hand),
            WorkedValue(r"\text{mean of } g_𝓑 - \tfrac{1}{m} \sum_i \nabla E_i \text{ (exact)}",
                        [float(a - c) for a, c in zip(over_batches, full, strict=True)], "(0, 0, 0)"),
        ),
        reference_label="by hand",
    )


def noise_example():
    X, y, theta = example_data()
    gradients = point_gradients(X, y, theta)
    full = mean(gradients)
    spread = mean([[squared_distance(gradient, full)] for gradient in gradients])[0]
    rows = []
    for size in (1, 2, EXAMPLE_BATCH, 5, EXAMPLE_POINTS):
        batches = batch_means(gradients, size)
        measured = mean([[squared_distance(batch, full)] for batch in batches])[0]
        formula = spread * (EXAMPLE_POINTS - size) / (size * (EXAMPLE_POINTS - 1))
        rows.append(WorkedValue(
            rf"\sqrt{{\mathbb{{E}}\|g_𝓑 - \nabla J\|^2}},\ B = {size}",
            math.sqrt(measured), f"{math.sqrt(formula):.12g}",
        ))
    return WorkedExample(
        "How far a mini-batch gradient strays from \\(\\nabla J\\), on the same data: the root "
        "mean square of \\(\\|g_𝓑 - \\nabla J\\|\\) over every batch of \\(B\\) points, "
        "enumerated. The reference column is the formula "
        "\\(\\sqrt{\\tfrac{1}{B} \\cdot \\tfrac{m - B}{m - 1}}\\, s\\) with "
        "\\(s^2 = \\tfrac{1}{m} \\sum_i \\|\\nabla E_i - \\nabla J\\|^2\\). The noise falls like "
        "\\(1/\\sqrt{B}\\), and a little faster as the batch fills the data set.",
        tuple(rows),
        title="The noise of a mini-batch gradient",
        reference_label="formula",
    )


def batch_gradient_check():
    X, y, theta = example_data()
    cases = tuple(
        CheckInput({"theta": theta, "X": X[list(batch)], "y": y[list(batch)]},
                   f"the batch of points {', '.join(str(index + 1) for index in batch)}")
        for batch in ((0, 4, 7), (1, 2, 3, 5, 6, 8))
    )
    return GradientCheck(
        Public("logistic_cost_grad"), Public("logistic_cost"), r"J_𝓑(\theta)", ("theta",), cases
    )


def usage():
    return Usage("""
        import numpy as np
        from gradbook.functions import logistic_cost, logistic_cost_grad

        rng = np.random.default_rng(0)
        X = np.column_stack([np.ones(64), rng.normal(size=(64, 2))])
        y = (X[:, 1] + X[:, 2] + rng.normal(size=64) > 0).astype(float)
        theta, alpha, B = np.zeros(3), 0.5, 8
        for epoch in range(31):
            if epoch % 10 == 0:
                print(epoch, round(float(logistic_cost(theta, X, y)), 4))
            order = rng.permutation(len(y))                  # shuffle once per epoch
            for batch in np.split(order, len(y) // B):       # m/B = 8 updates per epoch
                theta -= alpha * logistic_cost_grad(theta, X[batch], y[batch])
    """)


def training_data():
    """Two overlapping Gaussian clouds of 32 points each, with a column of ones for the bias."""
    rng = np.random.default_rng(TRAINING_SEED)
    positive = rng.normal((1.0, 0.8), 1.0, size=(32, 2))
    negative = rng.normal((-1.0, -0.8), 1.0, size=(32, 2))
    points = np.vstack([positive, negative])
    labels = np.concatenate([np.ones(32), np.zeros(32)])
    return np.column_stack([np.ones(64), points]), labels


def train(X, labels, batch_size, epochs=20, rate=0.2, seed=TRAINING_SEED):
    """Gradient descent with shuffled batches of ``batch_size`` points; the cost on all the data
    after every update, with the epochs it took (per-point gradients computed, over m)."""
    import gradbook.functions as gb

    rng = np.random.default_rng(seed)
    theta, points = np.zeros(X.shape[1]), len(labels)
    epochs_done, costs = [0.0], [float(gb.logistic_cost(theta, X, labels))]
    for epoch in range(epochs):
        order = rng.permutation(points)
        for start in range(0, points, batch_size):
            batch = order[start:start + batch_size]
            theta = theta - rate * gb.logistic_cost_grad(theta, X[batch], labels[batch])
            epochs_done.append(epoch + (start + len(batch)) / points)
            costs.append(float(gb.logistic_cost(theta, X, labels)))
    return np.array(epochs_done), np.array(costs)


@page.figure(
    "batch-sizes.svg",
    alt="The mean log loss on the training data against epochs for batch, mini-batch and "
    "stochastic gradient descent: the stochastic curve falls fastest and is noisy, the batch "
    "curve falls slowly and smoothly, the mini-batch curve lies between them.",
    caption="The cost J(θ) on all 64 seeded points after every update, against the number of "
    "epochs (per-point gradients computed, divided by m), with the same learning rate 0.2 for "
    "all three. For the same work, the stochastic and mini-batch runs make 64 and 8 times as "
    "many updates as the full batch and so get further, the stochastic run along the noisiest "
    "path.",
    size=(8, 3.6),
)
def draw_batch_sizes(drawing):
    X, labels = training_data()
    ax = drawing.subplots()
    for batch_size, name, style in ((64, "batch (B = m = 64)", "-"), (8, "mini-batch (B = 8)", "-"),
                                    (1, "stochastic (B = 1)", "-")):
        epochs, costs = train(X, labels, batch_size)
        ax.plot(epochs, costs, style, linewidth=1.0 if batch_size == 1 else 1.8, label=name)
    ax.set_xlabel("epochs (per-point gradients computed / m)")
    ax.set_ylabel("J(θ) on all the data")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)


if __name__ == "__main__":
    d.main()
