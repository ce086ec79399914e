"""Drawing figures: deterministic SVG, matplotlib's global state left alone; and the training
the site's figure of gradient descent shows, computed as its caption says."""

from __future__ import annotations

import itertools
import runpy
import subprocess
import sys

import numpy as np
import pytest
from paths import DERIVATIONS

from gradbook import plots
from gradbook.learning_path import page_of
from gradbook.page import Figure


def draw_line(drawing) -> None:
    drawing.subplots().plot([0, 1, 2], [0, 1, 4])


LINE = Figure("line.svg", "A parabola through three points, for the tests of drawing.", draw_line)


@pytest.fixture(scope="module")
def gradient_descent_script() -> dict:
    """The module namespace of derivations/gradient_descent.py, which draws the training figure."""
    return runpy.run_path(str(DERIVATIONS / "gradient_descent.py"), run_name="gradient_descent_page")


def test_every_figure_of_the_site_has_alt_text(derivations):
    figures = [figure for d in derivations.values() for figure in page_of(d).drawn]
    filenames = [figure.filename for figure in figures]
    shipped = {"log-loss.svg", "sigmoid.svg", "training.svg", "activations.svg", "batch-sizes.svg",
               "cross-entropy-vs-squared-error.svg"}
    assert shipped <= set(filenames)
    assert len(filenames) == len(set(filenames))
    assert all(len(figure.alt) > 40 for figure in figures)


def test_gradient_descent_lowers_the_loss_and_the_perceptron_only_moves_on_mistakes(gradient_descent_script):
    X, y = gradient_descent_script["toy_data"]()
    descent = gradient_descent_script["full_batch_descent"](X, y)
    losses = [np.mean(np.logaddexp(0, X @ w) - y * (X @ w)) for w in descent]
    assert all(later <= earlier + 1e-12 for earlier, later in itertools.pairwise(losses))
    separable = np.array([[2.0, 0.0, 1.0], [-2.0, 0.0, 1.0]]), np.array([1.0, 0.0])
    history = gradient_descent_script["perceptron_trick"](*separable, epochs=5)
    assert np.array_equal(history[-1], history[-2])  # no mistakes left, so no more moves


def test_drawing_a_figure_leaves_matplotlib_s_global_state_alone():
    """A program that imports gradbook keeps its own pyplot state, backend and rcParams."""
    code = (
        "import sys, matplotlib\n"
        "from gradbook import plots\n"
        "from gradbook.page import Figure\n"
        "def draw(drawing): drawing.subplots().plot([0, 1], [1, 0])\n"
        "plots.render_svg(Figure('x.svg', 'a line', draw))\n"
        "print(matplotlib.rcParams['svg.hashsalt'], 'matplotlib.pyplot' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.stdout.split() == ["None", "False"], run.stderr


def test_the_same_figure_gives_the_same_bytes():
    first = plots.render_svg(LINE)
    assert plots.render_svg(LINE) == first
    assert first.lstrip().startswith("<?xml")
    assert 'id="' in first and "gradbook" in first
