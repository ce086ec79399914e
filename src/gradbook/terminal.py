"""Derivations as readable terminal text: Unicode math, the rule, the verification."""

from __future__ import annotations

import textwrap

import sympy as sp
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.stringpict import prettyForm

from gradbook.derivation import Chain, Derivation, Step
from gradbook.display import Bracketed, InnerSum, WrittenProduct, display


def format_derivation(derivation: Derivation) -> str:
    """The whole derivation as text, one block per chain."""
    header = [derivation.title, "=" * len(derivation.title)]
    if derivation.lead:
        header += ["", textwrap.fill(without_math_delimiters(derivation.lead), 88)]
    blocks = [format_chain(chain) for chain in derivation.chains]
    return "\n\n".join(["\n".join(header), *blocks])


def format_chain(chain: Chain) -> str:
    lines = [f"-- {chain.title}"] if chain.title else []
    if chain.is_exercise:
        lines.append(textwrap.fill(f"-- Exercise: {chain.question}", 88, subsequent_indent="   "))
    if chain.lhs is not None:
        lines.append(pretty(chain.lhs))
    for step in chain.steps:
        lines.append(format_step(step))
    if chain.result is not None:
        lines.append(f"   ⇒ result `{chain.result.name}`")
    return "\n".join(lines)


def format_step(step: Step) -> str:
    body = textwrap.indent(pretty(step.expr), "      ")
    if step.verification is None:
        return f"({step.number}) start\n{body}"
    text = (
        f"({step.number}) = by {without_math_delimiters(step.justification)}\n"
        f"      [{step.verification.summary}]\n{body}"
    )
    if step.mistake is not None:
        wrong = textwrap.indent(pretty(step.mistake.expr), "      ")
        text += f"\n      [the exercise shows this wrong version, refused by the checker]\n{wrong}"
    return text


def without_math_delimiters(text: str) -> str:
    r"""``text`` with its inline math ``\( … \)`` shown as the bare LaTeX inside."""
    return text.replace("\\(", "").replace("\\)", "")


class StepPrettyPrinter(PrettyPrinter):
    """Unicode printing of display trees, in the order of the tree (see :mod:`gradbook.display`)."""

    def __init__(self) -> None:
        super().__init__({"use_unicode": True, "wrap_line": False, "order": "none"})

    def _print_Heaviside(self, expr):
        """step(z), not SymPy's θ(z), which would read as the parameter vector."""
        return prettyForm(*prettyForm("step").right(self._print_seq((expr.args[0],), "(", ")")))

    def _print_InnerSum(self, expr: InnerSum):
        return self._print(expr.args[0])

    def _print_WrittenProduct(self, product: WrittenProduct):
        """A product the author grouped, (1/u)⋅(−e⁻ᶻ): each group in brackets, in order."""
        factors = []
        for arg in product.args:
            form = self._print(arg)
            factors.append(prettyForm(*form.parens()) if _needs_brackets(arg) else form)
        result = factors[0]
        for factor in factors[1:]:
            result = prettyForm(*result.right(prettyForm("⋅"), factor))
        return result

    def _print_MatAdd(self, expr: sp.MatAdd):
        return self._print_Add(expr)

    def _print_ElementwiseApplyFunction(self, expr):
        """σ(X⋅θ), as on the page, rather than SymPy's (d ↦ σ(d))˳(X⋅θ)."""
        function = expr.function
        body = function.expr if isinstance(function, sp.Lambda) else function
        name = getattr(body, "unicode_name", None) or str(body.func)
        argument = prettyForm(*self._print(expr.expr).parens())
        return prettyForm(*argument.left(name))

    def _print_Bracketed(self, expr: Bracketed):
        return prettyForm(*self._print(expr.args[0]).parens())


def _needs_brackets(factor: sp.Basic) -> bool:
    return isinstance(factor, sp.Mul | sp.Add | WrittenProduct)


def pretty(expr: sp.Basic) -> str:
    """``expr`` as Unicode text: its display tree, printed (see :func:`gradbook.latex.to_latex`)."""
    shown = display(expr)
    with sp.evaluate(True):
        return StepPrettyPrinter().doprint(shown)
