"""Derivations as readable terminal text: Unicode math, the rule, the verification."""

from __future__ import annotations

import textwrap

import sympy as sp
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.stringpict import prettyForm

from gradbook.derivation import Chain, Derivation, Step


def format_derivation(derivation: Derivation) -> str:
    """The whole derivation as text, one block per chain."""
    header = [derivation.title, "=" * len(derivation.title)]
    if derivation.lead:
        header += ["", textwrap.fill(derivation.lead, 88)]
    blocks = [format_chain(chain) for chain in derivation.chains]
    return "\n\n".join(["\n".join(header), *blocks])


def format_chain(chain: Chain) -> str:
    lines = [f"-- {chain.title}"] if chain.title else []
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
    return (
        f"({step.number}) = by {step.justification}\n"
        f"      [{step.verification.summary}]\n{body}"
    )


class StepPrettyPrinter(PrettyPrinter):
    """Unicode printing in the author's order, without the 1· that ``Sum`` wraps bodies in."""

    def __init__(self) -> None:
        super().__init__({"use_unicode": True, "wrap_line": False, "order": "none"})

    def _print_Mul(self, product: sp.Mul):
        if sp.S.One in product.args:
            rest = [arg for arg in product.args if arg != 1]
            if len(rest) == 1:
                return self._print(rest[0])
            return self._print(sp.Mul(*rest, evaluate=False))
        if any(isinstance(arg, sp.Mul) for arg in product.args):
            return self._print_grouped_product(product)
        return super()._print_Mul(product)

    def _print_grouped_product(self, product: sp.Mul):
        """A product the author grouped, (1/u)·(−e⁻ᶻ): each group in brackets, in order."""
        args = list(product.args)
        negative = args[0] == -1
        factors = []
        for arg in args[1:] if negative else args:
            form = self._print(arg)
            factors.append(prettyForm(*form.parens()) if isinstance(arg, sp.Mul | sp.Add) else form)
        result = factors[0]
        for factor in factors[1:]:
            result = prettyForm(*result.right(prettyForm("⋅"), factor))
        return prettyForm(*result.left(prettyForm("-"))) if negative else result


def pretty(expr: sp.Basic) -> str:
    return StepPrettyPrinter().doprint(expr)
