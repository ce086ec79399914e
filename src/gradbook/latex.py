"""LaTeX for steps: the display tree of :mod:`gradbook.display`, printed.

The "as written" rules (author's order, grouped products, no unit factor) are applied by
:func:`gradbook.display.display`; this printer only prints the display tree, with one
``_print_<Class>`` method per construct SymPy's own printer does not know or prints otherwise.
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE

from gradbook.display import Bracketed, WrittenProduct, display


class StepLatexPrinter(LatexPrinter):
    """A LaTeX printer of display trees; terms and factors stay in the order of the tree."""

    def __init__(self) -> None:
        super().__init__({"order": "none"})

    def _print_WrittenProduct(self, product: WrittenProduct) -> str:
        factors = [self.parenthesize(arg, PRECEDENCE["Mul"], strict=False) for arg in product.args]
        return r" \cdot ".join(factors)

    def _print_Bracketed(self, expr: Bracketed) -> str:
        return rf"\left({self._print(expr.args[0])}\right)"

    def _print_MatAdd(self, expr: sp.MatAdd) -> str:
        return self._print_Add(expr)

    def _print_ElementwiseApplyFunction(self, expr) -> str:
        function = expr.function
        body = function.expr if isinstance(function, sp.Lambda) else function
        name = getattr(body, "latex_name", None) or self._print(body.func)
        return rf"{name}\left({self._print(expr.expr)}\right)"

    def _print_Transpose(self, expr) -> str:
        return rf"{self.parenthesize(expr.arg, PRECEDENCE['Pow'])}^{{\top}}"


def to_latex(expr: sp.Basic) -> str:
    """The LaTeX of ``expr`` as written in the derivation (its display tree, printed).

    SymPy's printers negate a term to print "a − b"; that negation must evaluate, even when
    the caller is inside ``evaluate(False)``.
    """
    shown = display(expr)
    with sp.evaluate(True):
        return StepLatexPrinter().doprint(shown)
