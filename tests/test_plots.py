"""The site's figures: drawn, deterministic, described, and computed from the right training."""

from __future__ import annotations

import itertools

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
