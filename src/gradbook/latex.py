"""LaTeX for steps: the display tree of :mod:`gradbook.display`, printed.

The "as written" rules (author's order, grouped products, no unit factor) are applied by
:func:`gradbook.display.display`; this printer only prints the display tree, with one
``_print_<Class>`` method per construct SymPy's own printer does not know or prints otherwise.
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE

from gradbook.display import Bracketed, InnerSum, WrittenProduct, display


class StepLatexPrinter(LatexPrinter):
    """A LaTeX printer of display trees; terms and factors stay in the order of the tree."""

    def __init__(self) -> None:
        super().__init__({"order": "none"})

    def _print_WrittenProduct(self, product: WrittenProduct) -> str:
        """Factors side by side, as a textbook writes them; a dot only before a number.

        Brackets go only where they change the reading: around a sum of terms or a factor
        with a minus sign of its own, and around a sum over an index unless it comes last.
        """
        last = len(product.args) - 1
        factors = [self._factor(arg, at_end=number == last) for number, arg in enumerate(product.args)]
        shown = factors[0]
        for arg, factor in zip(product.args[1:], factors[1:], strict=True):
            # A derivative operator written after a factor could be read as applying to it.
            dot = factor[:1].isdigit() or isinstance(arg, sp.Derivative)
            shown += (r" \cdot " if dot else " ") + factor
        return shown

    def _factor(self, factor: sp.Basic, at_end: bool) -> str:
        printed = self._print(factor)
        needs = isinstance(factor, sp.Add | sp.MatAdd) or printed.startswith("-") or (
            isinstance(factor, sp.Sum | sp.Integral) and not at_end)
        return rf"\left({printed}\right)" if needs else printed

    def _print_InnerSum(self, expr: InnerSum) -> str:
        return self._print(expr.args[0])

    def _print_Bracketed(self, expr: Bracketed) -> str:
        return rf"\left({self._print(expr.args[0])}\right)"

    def _print_MatAdd(self, expr: sp.MatAdd) -> str:
        return self._print_Add(expr)

    def _print_ElementwiseApplyFunction(self, expr) -> str:
        function = expr.function
        body = function.expr if isinstance(function, sp.Lambda) else function
        name = getattr(body, "latex_name", None) or self._print(body.func)
        return rf"{name}\left({self._print(expr.expr)}\right)"

    def _print_Heaviside(self, expr, exp=None) -> str:
        """The step function as ``step(z)``: SymPy's θ(z) would read as the parameter vector θ."""
        shown = rf"\operatorname{{step}}\left({self._print(expr.args[0])}\right)"
        return shown if exp is None else rf"{shown}^{{{exp}}}"

    def _print_log(self, expr, exp=None) -> str:
        """The natural logarithm as ``ln``, the way the prose and the notation page write it."""
        argument = self._print(expr.args[0])
        power = "" if exp is None else f"^{{{exp}}}"
        return rf"\ln{power}{{\left({argument}\right)}}"

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
