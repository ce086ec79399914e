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
        args = list(expr.args)
        sign = ""
        if args[0] == -1:
            sign, args = "- ", args[1:]
        factors = [self.parenthesize(arg, PRECEDENCE["Mul"], strict=False) for arg in args]
        return sign + r" \cdot ".join(factors)

    def _print_Sum(self, expr: sp.Sum) -> str:
        tex = super()._print_Sum(expr)
        body = _without_unit_factor(expr.function)
        if _starts_with_minus(body) and not isinstance(body, sp.Add):
            # Σ −log pᵢ would read as a subtraction; bracket the body instead.
            head = tex[: len(tex) - len(self._print(expr.function))]
            return rf"{head}\left({self._print(body)}\right)"
        return tex

    def _print_MatAdd(self, expr) -> str:
        """Terms as written in textbooks: positive terms first, Xθ − y rather than −y + Xθ."""
        terms = sorted(expr.args, key=_starts_with_minus)
        tex = self._print(terms[0])
        for term in terms[1:]:
            if _starts_with_minus(term):
                tex += f" - {self._print(-term)}"
            else:
                tex += f" + {self._print(term)}"
        return tex

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

    A product with a product inside, after :func:`gradbook.derivation.tidy` has flattened
    Python's left-to-right ``a*b*c``, can only come from ``evaluate(False)`` and a bracket the
    author wrote, as in (1/u)·(e⁻ᶻ/u).
    """
    return any(isinstance(arg, sp.Mul) for arg in expr.args)


def _without_unit_factor(expr: sp.Basic) -> sp.Basic:
    if isinstance(expr, sp.Mul) and sp.S.One in expr.args:
        rest = [arg for arg in expr.args if arg != 1]
        return rest[0] if len(rest) == 1 else sp.Mul(*rest, evaluate=False)
    return expr


def _starts_with_minus(expr: sp.Basic) -> bool:
    if isinstance(expr, sp.MatMul | sp.Mul):
        return bool(expr.args) and expr.args[0].is_number and expr.args[0].is_negative is True
    return expr.could_extract_minus_sign() if isinstance(expr, sp.Expr) else False
