"""The site's figures: drawn, deterministic, described, and computed from the right training."""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np

from gradbook import plots


def test_figures_are_written_once_and_then_left_alone(tmp_path):
    written = plots.write_figures(tmp_path)
    assert sorted(path.name for path in written) == sorted(f.filename for f in plots.FIGURES)
    assert all(path.read_text().lstrip().startswith("<?xml") for path in written)
    assert plots.write_figures(tmp_path) == []


def test_every_figure_has_alt_text():
    assert all(len(figure.alt) > 40 for figure in plots.FIGURES)


def test_gradient_descent_lowers_the_loss_and_the_perceptron_only_moves_on_mistakes():
    X, y = plots.toy_data()
    descent = plots.gradient_descent(X, y)
    losses = [np.mean(np.logaddexp(0, X @ w) - y * (X @ w)) for w in descent]
    assert all(later <= earlier + 1e-12 for earlier, later in itertools.pairwise(losses))
    separable = np.array([[2.0, 0.0, 1.0], [-2.0, 0.0, 1.0]]), np.array([1.0, 0.0])
    history = plots.perceptron_trick(*separable, epochs=5)
    assert np.array_equal(history[-1], history[-2])  # no mistakes left, so no more moves


def test_drawing_the_figures_leaves_matplotlib_s_global_state_alone():
    """A program that imports gradbook keeps its own pyplot state, backend and rcParams."""
    code = (
        "import sys, matplotlib\n"
        "from gradbook import plots\n"
        "for figure in plots.FIGURES: plots.render_svg(figure)\n"
        "print(matplotlib.rcParams['svg.hashsalt'], 'matplotlib.pyplot' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.stdout.split() == ["None", "False"], run.stderr


def test_the_same_figure_gives_the_same_bytes():
    figure = plots.FIGURES[0]
    first = plots.render_svg(figure)
    assert plots.render_svg(figure) == first
    assert 'id="' in first and "gradbook" in first
