"""LaTeX for steps, printed in the order and grouping the author wrote.

SymPy's printer reorders factors and merges a product of fractions into one fraction. On a
derivation page that would erase the very step being shown ("split the fraction" would print
the same as the line before), so gradbook's printer keeps the author's order and prints a
product of grouped factors as a product.
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE


class StepLatexPrinter(LatexPrinter):
    """A LaTeX printer that keeps unevaluated products as written."""

    def __init__(self) -> None:
        super().__init__({"order": "none"})

    def _print_Mul(self, expr: sp.Mul) -> str:
        if sp.S.One in expr.args:
            # ``Sum`` wraps an unevaluated body as 1·(body); the 1 is not the author's.
            rest = [arg for arg in expr.args if arg != 1]
            if len(rest) > 1:
                return self._print(sp.Mul(*rest, evaluate=False))
            return self.parenthesize(rest[0], PRECEDENCE["Mul"], strict=True)
        if not _written_as_product(expr):
            return super()._print_Mul(expr)
        factors = [self.parenthesize(arg, PRECEDENCE["Mul"], strict=False) for arg in expr.args]
        return r" \cdot ".join(factors)

    def _print_ElementwiseApplyFunction(self, expr) -> str:
        function = expr.function
        body = function.expr if isinstance(function, sp.Lambda) else function
        name = getattr(body, "latex_name", None) or self._print(body.func)
        return rf"{name}\left({self._print(expr.expr)}\right)"

    def _print_Transpose(self, expr) -> str:
        return rf"{self.parenthesize(expr.arg, PRECEDENCE['Pow'])}^{{\top}}"


def to_latex(expr: sp.Basic) -> str:
    """The LaTeX of ``expr`` as written in the derivation."""
    return StepLatexPrinter().doprint(expr)


def _written_as_product(expr: sp.Mul) -> bool:
    """Whether the author grouped this product's factors on purpose.

    A product with a product inside can only come from ``evaluate(False)``; so can one that
    starts with a fraction followed by a factor that is not a fraction, as in (1/u)·(1 − 1/u).
    """
    if any(isinstance(arg, sp.Mul) for arg in expr.args):
        return True
    first, *rest = expr.args
    return _is_reciprocal(first) and any(not _is_reciprocal(arg) for arg in rest)


def _is_reciprocal(expr: sp.Basic) -> bool:
    return isinstance(expr, sp.Pow) and expr.exp.is_negative is True
