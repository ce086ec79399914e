"""Drawing figures: deterministic SVG, matplotlib's global state left alone; and the training
the site's figure of gradient descent shows, computed as its caption says."""

from __future__ import annotations

import itertools
import re
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
    drops = [earlier - later for earlier, later in itertools.pairwise(losses)]
    assert all(later <= earlier for earlier, later in itertools.pairwise(drops))  # "by less each time"
    separable = np.array([[2.0, 0.0, 1.0], [-2.0, 0.0, 1.0]]), np.array([1.0, 0.0])
    history = gradient_descent_script["perceptron_trick"](*separable, epochs=5, start=(0.0, 0.0, 0.0))
    assert np.array_equal(history[-1], history[-2])  # no mistakes left, so no more moves


def segments_cross(p, q, r, s) -> bool:
    """Whether the segments pq and rs cross (strictly), by the signs of cross products."""
    def side(a, b, c):
        return np.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))
    return side(p, q, r) * side(p, q, s) < 0 and side(r, s, p) * side(r, s, q) < 0


def test_the_training_figure_shows_what_its_caption_says(gradient_descent_script):
    """Both rules run the same epochs from the notes' line, which misclassifies 12 of the 40
    points; no line separates the clouds, so the perceptron moves its line every epoch."""
    script = gradient_descent_script
    X, y = script["toy_data"]()
    perceptron, descent = script["perceptron_trick"](X, y), script["full_batch_descent"](X, y)
    assert len(perceptron) == len(descent) == 61  # the start and 60 epochs
    assert np.array_equal(perceptron[0], [4.0, 5.0, -9.0]) and np.array_equal(descent[0], perceptron[0])
    assert sum((4 * a + 5 * b - 9 >= 0) != (label == 1) for (a, b, _), label in zip(X, y, strict=True)) == 12
    ones, zeros = X[y == 1, :2], X[y == 0, :2]
    assert any(segments_cross(p, q, r, s)
               for p, q in itertools.combinations(ones, 2) for r, s in itertools.combinations(zeros, 2))
    assert all(not np.array_equal(before, after) for before, after in itertools.pairwise(perceptron))


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_figure_has_no_background_of_its_own_and_its_text_reads_on_the_page(theme):
    """Transparent figure and axes, and text that contrasts with Material's background of the
    palette (white, or slate #1e2129) by at least 4.5 : 1, the WCAG level for text."""
    svg = plots.render_svg(LINE, theme)
    for patch in ("patch_1", "patch_2"):  # matplotlib's figure and axes backgrounds
        style = re.search(rf'<g id="{patch}">\s*<path d="[^"]*" style="([^"]*)"', svg, re.S)
        assert style is not None and style.group(1) == "fill: none", patch
    # A text group without a fill of its own is drawn black, SVG's default.
    text_group = r'<g id="text_\d+">\s*(?:<!--[^>]*-->\s*)?<g (?:style="fill: (#[0-9a-f]{6})" )?transform'
    fills = re.findall(text_group, svg)
    assert fills, "no tick labels found"
    text_colours = {fill or "#000000" for fill in fills}
    background = {"light": "#ffffff", "dark": "#1e2129"}[theme]
    assert all(contrast(colour, background) >= 4.5 for colour in text_colours), text_colours


def test_an_unknown_theme_is_refused_by_name():
    with pytest.raises(ValueError, match="theme must be one of light, dark, not 'sepia'"):
        plots.render_svg(LINE, "sepia")


def contrast(first: str, second: str) -> float:
    """The WCAG 2 contrast ratio of two #rrggbb colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


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
