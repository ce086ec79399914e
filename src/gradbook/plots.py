"""The site's figures, drawn at build time from gradbook's own functions.

Every figure is computed, not pasted: the curves come from :mod:`gradbook.functions`, and the
training pictures run the perceptron trick and gradient descent on a small seeded data set.
Figures are SVG with fixed metadata and a fixed hash salt, so the same inputs give the same
bytes and an unchanged figure is not rewritten (which would make ``mkdocs serve`` rebuild).

Each figure is its own ``matplotlib.figure.Figure`` on an Agg canvas, drawn under a local
``rc_context``: drawing one never touches pyplot's current figure, the global backend or the
global rcParams of a program that imports gradbook.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from gradbook.functions import log_loss, logistic_cost, sigmoid, sigmoid_prime
from gradbook.writing import write_if_changed

if TYPE_CHECKING:
    from matplotlib.figure import Figure as Drawing

SEED = 7
#: The settings every figure is drawn with: a fixed hash salt makes the SVG ids reproducible.
STYLE = {"svg.hashsalt": "gradbook"}
#: SVG metadata without the date, so the same figure gives the same bytes.
SVG_METADATA = {"Date": None, "Creator": "gradbook"}


@dataclass(frozen=True)
class Figure:
    """A figure file name, its alt text, the function that draws it, and a caption.

    ``draw`` adds its axes to the empty matplotlib figure it is given, of ``size`` inches.
    """

    filename: str
    alt: str
    draw: Callable[[Drawing], None]
    caption: str = ""
    size: tuple[float, float] = (6, 3.4)


def draw_sigmoid(drawing: Drawing) -> None:
    z = np.linspace(-8, 8, 401)
    ax = drawing.subplots()
    ax.plot(z, sigmoid(z), label="σ(z)")
    ax.plot(z, sigmoid_prime(z), label="σ′(z) = σ(z)(1 − σ(z))")
    ax.axhline(0.25, color="grey", linestyle=":", linewidth=1)
    ax.annotate("maximum 1/4 at z = 0", xy=(0, 0.25), xytext=(1.5, 0.4), arrowprops={"arrowstyle": "->"})
    ax.set_xlabel("z")
    ax.legend(loc="upper left")
    ax.grid(alpha=0.3)


def draw_log_loss(drawing: Drawing) -> None:
    y_hat = np.linspace(0.001, 0.999, 400)
    ax = drawing.subplots()
    ax.plot(y_hat, log_loss(np.ones_like(y_hat), y_hat), label="y = 1: −log ŷ")
    ax.plot(y_hat, log_loss(np.zeros_like(y_hat), y_hat), label="y = 0: −log(1 − ŷ)")
    ax.set_xlabel("prediction ŷ")
    ax.set_ylabel("loss")
    ax.set_ylim(0, 7)
    ax.legend(loc="upper center")
    ax.grid(alpha=0.3)


def toy_data() -> tuple[np.ndarray, np.ndarray]:
    """Two overlapping Gaussian clouds in the plane, with a column of ones for the bias."""
    rng = np.random.default_rng(SEED)
    positive = rng.normal((1.2, 1.0), 0.8, size=(20, 2))
    negative = rng.normal((-1.0, -0.8), 0.8, size=(20, 2))
    points = np.vstack([positive, negative])
    labels = np.concatenate([np.ones(20), np.zeros(20)])
    return np.column_stack([points, np.ones(40)]), labels


def perceptron_trick(X, y, rate=0.1, epochs=12) -> list[np.ndarray]:
    """Move the line towards each misclassified point only; the weights after each epoch."""
    w = np.zeros(X.shape[1])
    history = [w.copy()]
    for _ in range(epochs):
        for point, label in zip(X, y, strict=True):
            prediction = float(point @ w >= 0)
            w = w + rate * (label - prediction) * point
        history.append(w.copy())
    return history


def gradient_descent(X, y, rate=0.5, epochs=60) -> list[np.ndarray]:
    """Full-batch gradient descent on the mean log loss; the weights after each epoch."""
    w = np.zeros(X.shape[1])
    history = [w.copy()]
    for _ in range(epochs):
        w = w - rate * X.T @ (sigmoid(X @ w) - y) / len(y)
        history.append(w.copy())
    return history


def draw_training(drawing: Drawing) -> None:
    X, y = toy_data()
    left, right = drawing.subplots(1, 2)
    left.scatter(X[y == 1, 0], X[y == 1, 1], marker="o", label="y = 1")
    left.scatter(X[y == 0, 0], X[y == 0, 1], marker="x", label="y = 0")
    xs = np.linspace(-3.5, 3.5, 2)
    for history, style, name in (
        (perceptron_trick(X, y), ":", "perceptron trick"),
        (gradient_descent(X, y), "-", "gradient descent"),
    ):
        for epoch in (1, len(history) // 3, len(history) - 1):
            w = history[epoch]
            if abs(w[1]) > 1e-12:
                left.plot(xs, -(w[0] * xs + w[2]) / w[1], style, alpha=0.3 + 0.7 * epoch / len(history),
                          label=f"{name}, epoch {epoch}")
        losses = [logistic_cost(w, X, y) for w in history]
        right.plot(range(len(history)), losses, style, label=name)
    left.set_xlim(-3.5, 3.5)
    left.set_ylim(-3.5, 3.5)
    left.set_title("decision boundary over epochs")
    left.legend(fontsize=7, loc="lower right")
    right.set_title("mean log loss per epoch")
    right.set_xlabel("epoch")
    right.legend()
    right.grid(alpha=0.3)


FIGURES = (
    Figure(
        "sigmoid.svg",
        "The sigmoid rises from 0 to 1 through 0.5 at z = 0; "
        "its derivative is a bump peaking at 1/4 at z = 0.",
        draw_sigmoid,
        "σ and its derivative, both computed by gradbook.functions. The slope is largest where "
        "σ(z) = 1/2 and all but vanishes once |z| is more than about 5.",
    ),
    Figure(
        "log-loss.svg",
        "The log loss as a function of the prediction: for y = 1 it falls from infinity at 0 to 0 at 1; "
        "for y = 0 it mirrors that.",
        draw_log_loss,
        "The loss of one prediction, gradbook.functions.log_loss, for each label. A confident "
        "wrong prediction costs without bound; a confident right one costs almost nothing.",
    ),
    Figure(
        "training.svg",
        "Left: two clouds of points and the decision lines found by the perceptron trick and by gradient "
        "descent after several epochs. Right: the mean log loss of both per epoch.",
        draw_training,
        "Both rules trained on the same 40 seeded points, starting from zero weights. The "
        "perceptron moves the line only for misclassified points; gradient descent moves it "
        "for every point, in proportion to its error y − ŷ, and its loss falls every epoch.",
        size=(10, 4),
    ),
)

#: The figures each derivation page shows, by derivation name.
PAGE_FIGURES: dict[str, tuple[str, ...]] = {
    "sigmoid_prime": ("sigmoid.svg",),
    "bce_derivative": ("log-loss.svg",),
    "log_loss": ("log-loss.svg",),
    "gradient_descent": ("training.svg",),
}


def figures_on_page(name: str) -> list[Figure]:
    """The figures shown on the page of the derivation ``name``, in order."""
    by_file = {figure.filename: figure for figure in FIGURES}
    return [by_file[filename] for filename in PAGE_FIGURES.get(name, ())]


def render_svg(figure: Figure) -> str:
    """The figure as SVG text, drawn on a matplotlib figure of its own."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as Drawing

    with rc_context(STYLE):
        drawing = Drawing(figsize=figure.size)
        FigureCanvasAgg(drawing)
        figure.draw(drawing)
        drawing.tight_layout()
        buffer = io.StringIO()
        drawing.savefig(buffer, format="svg", metadata=SVG_METADATA)
    return buffer.getvalue()


def write_figures(directory: Path) -> list[Path]:
    """Draw every figure into ``directory``; the files that changed."""
    directory.mkdir(parents=True, exist_ok=True)
    changed = []
    for figure in FIGURES:
        path = directory / figure.filename
        if write_if_changed(path, render_svg(figure)):
            changed.append(path)
    return changed
