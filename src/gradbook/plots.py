"""Drawing the site's figures as SVG, at build time.

A derivation declares its figures with ``@page.figure(...)`` (:mod:`gradbook.page`): a function
that draws on the matplotlib figure it is given, so every figure is computed, not pasted.
Figures are SVG with fixed metadata and a fixed hash salt, so the same inputs give the same
bytes and an unchanged figure is not rewritten (which would make ``mkdocs serve`` rebuild).

Each figure is drawn twice, once per palette of the site (:data:`THEMES`): dark text and axes
for the light palette, light ones for the dark palette, both on a transparent background, and
the page shows the one that matches the reader's palette. The draw function is the same for
both: the theme only changes matplotlib's defaults (text, axes, grid, legend, colour cycle).

Each drawing is its own ``matplotlib.figure.Figure`` on an Agg canvas, drawn under a local
``rc_context``: drawing one never touches pyplot's current figure, the global backend or the
global rcParams of a program that imports gradbook.
"""

from __future__ import annotations

import io
from typing import Any

from gradbook.page import Figure

#: The settings every figure is drawn with: a fixed hash salt makes the SVG ids reproducible,
#: and no background, so the page's own shows through in either palette.
STYLE: dict[str, Any] = {
    "svg.hashsalt": "gradbook",
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.edgecolor": "none",
}

#: The background of Material's dark palette ("slate"), behind a legend in the dark drawing.
SLATE_BACKGROUND = "#1e2129"

#: Matplotlib's defaults for each palette of the site. The light one keeps matplotlib's look; the
#: dark one has light text and axes and lighter versions of the default colours (tab10), which
#: are too dark to read on the dark background.
THEMES: dict[str, dict[str, Any]] = {
    "light": {"legend.facecolor": "white"},
    "dark": {
        "text.color": "#d0d3dc",
        "axes.labelcolor": "#d0d3dc",
        "axes.edgecolor": "#9ea3b3",
        "xtick.color": "#9ea3b3",
        "ytick.color": "#9ea3b3",
        "xtick.labelcolor": "#d0d3dc",
        "ytick.labelcolor": "#d0d3dc",
        "grid.color": "#c5c9d6",
        "patch.edgecolor": "#d0d3dc",
        "legend.facecolor": SLATE_BACKGROUND,
        "legend.edgecolor": "#5c6170",
    },
}

#: Lighter versions of matplotlib's ten default colours, in the same order: the colour cycle of
#: the dark drawing.
DARK_COLOURS = (
    "#5fa8e8", "#ffa54f", "#5ed35e", "#ff7070", "#c3a2ea",
    "#c9927f", "#f4a3dc", "#b3b3b3", "#e2e35a", "#4fe0ee",
)

#: SVG metadata without the date, so the same figure gives the same bytes.
SVG_METADATA = {"Date": None, "Creator": "gradbook"}


def theme_settings(theme: str) -> dict[str, Any]:
    """The rcParams of the drawing for ``theme`` ("light" or "dark"), on top of :data:`STYLE`."""
    if theme not in THEMES:
        raise ValueError(f"theme must be one of {', '.join(THEMES)}, not {theme!r}")
    settings = {**STYLE, **THEMES[theme]}
    if theme == "dark":
        from cycler import cycler

        settings["axes.prop_cycle"] = cycler(color=list(DARK_COLOURS))
    return settings


def render_svg(figure: Figure, theme: str = "light") -> str:
    """The figure as SVG text, drawn on a matplotlib figure of its own in the palette ``theme``."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as Drawing

    with rc_context(theme_settings(theme)):
        drawing = Drawing(figsize=figure.size)
        FigureCanvasAgg(drawing)
        figure.draw(drawing)
        drawing.tight_layout()
        buffer = io.StringIO()
        drawing.savefig(buffer, format="svg", metadata=SVG_METADATA)
    return buffer.getvalue()
