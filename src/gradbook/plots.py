"""Drawing the site's figures as SVG, at build time.

A derivation declares its figures with ``@page.figure(...)`` (:mod:`gradbook.page`): a function
that draws on the matplotlib figure it is given, so every figure is computed, not pasted.
Figures are SVG with fixed metadata and a fixed hash salt, so the same inputs give the same
bytes and an unchanged figure is not rewritten (which would make ``mkdocs serve`` rebuild).

Each figure is its own ``matplotlib.figure.Figure`` on an Agg canvas, drawn under a local
``rc_context``: drawing one never touches pyplot's current figure, the global backend or the
global rcParams of a program that imports gradbook.
"""

from __future__ import annotations

import io

from gradbook.page import Figure

#: The settings every figure is drawn with: a fixed hash salt makes the SVG ids reproducible.
STYLE = {"svg.hashsalt": "gradbook"}
#: SVG metadata without the date, so the same figure gives the same bytes.
SVG_METADATA = {"Date": None, "Creator": "gradbook"}


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

