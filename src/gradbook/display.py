"""The display of a step: the checked expression as the author wrote it, ready to print.

A step is shown in three places (the page's LaTeX, the terminal's Unicode, the exports) and all
three must show the expression that was checked. So the "as written" rules live here, once, in
:func:`display`, which turns a checked expression into a *display tree*:

* a product the author grouped on purpose, as in (1/u)·(e⁻ᶻ/u), becomes a
  :class:`WrittenProduct` whose factors print in order, each group in brackets;
* the unit factor ``Sum`` wraps an unevaluated body in (1·body) is dropped;
* a sum whose body starts with a minus sign gets its body in :class:`Bracketed`, so that
  Σ (−log pₖ) does not read as a subtraction;
* a sum of matrices puts its positive terms first (Xθ − y rather than −y + Xθ), and a product
  of matrices shows its minus sign in front (W − ηG rather than W + −ηG).

The display tree is an ordinary SymPy expression with the same value as the checked one
(:func:`display_mismatch` verifies that numerically). The printers in :mod:`gradbook.latex` and
:mod:`gradbook.terminal` only print it, one ``_print_<Class>`` method per construct.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import sympy as sp
from sympy.concrete.expr_with_limits import ExprWithLimits
from sympy.printing.precedence import PRECEDENCE

from gradbook.checking import differs
from gradbook.errors import GradbookError
from gradbook.setting import Setting

if TYPE_CHECKING:
    from gradbook.derivation import Derivation


class WrittenProduct(sp.Expr):
    """A product printed factor by factor in the author's order, each group in brackets.

    SymPy's own printers merge a product of fractions into one fraction and reorder factors,
    which would erase a step such as "split the fraction". Its value is the plain product; a
    minus sign in front stays outside, as ``Mul(-1, WrittenProduct(...))``, where the
    printers' own rules for signs in sums and products see it.
    """

    is_commutative = True
    precedence = PRECEDENCE["Mul"]

    def doit(self, **hints) -> sp.Expr:
        deep = hints.get("deep", True)
        return sp.Mul(*(arg.doit(**hints) if deep else arg for arg in self.args))

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return self.doit()._eval_evalf(prec)


class Bracketed(sp.Expr):
    """An expression shown in brackets, as the body −log pₖ of Σₖ (−log pₖ)."""

    is_commutative = True
    precedence = PRECEDENCE["Atom"]

    def could_extract_minus_sign(self) -> bool:
        return False

    def doit(self, **hints) -> sp.Expr:
        return self.args[0].doit(**hints) if hints.get("deep", True) else self.args[0]

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return self.args[0]._eval_evalf(prec)


class InnerSum(sp.Expr):
    """A sum shown inside another one, Σᵢ Σ_c …; SymPy would merge the two into one sign."""

    is_commutative = True
    precedence = PRECEDENCE["Mul"]

    def doit(self, **hints) -> sp.Expr:
        return self.args[0].doit(**hints) if hints.get("deep", True) else self.args[0]

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return self.args[0]._eval_evalf(prec)


def display(expr: sp.Basic) -> sp.Basic:
    """The display tree of ``expr``: the same value, in the author's order and grouping."""
    with sp.evaluate(False):
        return _display(expr)


def _display(node: sp.Basic | object) -> sp.Basic | object:
    if not isinstance(node, sp.Basic) or node.is_Atom or not node.args:
        return node
    args = tuple(_display(arg) for arg in node.args)
    if args != node.args:
        node = rebuilt(node, args)
    for kind, rule in DISPLAY_RULES:
        if isinstance(node, kind):
            return rule(node)
    return node


def rebuilt(node: sp.Basic, args: tuple[sp.Basic, ...]) -> sp.Basic:
    """``node`` with new arguments, nothing evaluated.

    A sum or product over an index is built with evaluation on: under ``evaluate(False)``
    SymPy wraps its body in a unit product 1·(body), the very factor the display drops.
    """
    if isinstance(node, ExprWithLimits):
        with sp.evaluate(True):
            return node.func(*args)
    return node.func(*args)


def written_product(product: sp.Mul) -> sp.Expr:
    """``product`` without a unit factor; a :class:`WrittenProduct` if the author grouped it.

    A product with a product among its factors can only come from ``evaluate(False)`` and a
    bracket the author wrote (:func:`gradbook.derivation.tidy` has already flattened Python's
    left-to-right ``a*b*c``). A product of matrices is printed by SymPy's own rules, numeric
    factors in front.
    """
    if isinstance(product, sp.MatrixExpr):
        return product
    factors = [arg for arg in product.args if arg != 1]
    sign = [factors.pop(0)] if factors[0] == -1 and len(factors) > 2 else []
    reordered = False
    has_sum = any(arg.has(sp.Sum) for arg in factors)
    if has_sum and any(_is_constant_factor(_unsigned(arg)) for arg in factors):
        inner_sign, in_front = _constants_in_front(factors)
        reordered = in_front != factors or bool(inner_sign)
        sign, factors = (sign or inner_sign) if not (sign and inner_sign) else [], in_front
    if len(factors) == 1:
        return sp.Mul(*sign, factors[0]) if sign else factors[0]
    if reordered or any(isinstance(arg, sp.Mul | WrittenProduct) for arg in factors):
        return sp.Mul(*sign, WrittenProduct(*factors)) if sign else WrittenProduct(*factors)
    return product if len(sign + factors) == len(product.args) else sp.Mul(*sign, *factors)


def _is_constant_factor(factor: sp.Basic) -> bool:
    """A number or the reciprocal of a size, such as 1/m or 1/(2m): what goes before a sum."""
    if factor.is_Rational:
        return True
    return (isinstance(factor, sp.Pow) and factor.exp == -1
            and not factor.base.has(sp.Sum, sp.Indexed, sp.Function))


def _unsigned(factor: sp.Basic) -> sp.Basic:
    """``factor`` without a leading −1 factor, as in −1/m."""
    if isinstance(factor, sp.Mul) and factor.args[0] == -1:
        rest = factor.args[1:]
        return rest[0] if len(rest) == 1 else sp.Mul(*rest)
    return factor


def _constants_in_front(factors: list[sp.Basic]) -> tuple[list[sp.Basic], list[sp.Basic]]:
    """The textbook order (1/m) Σ …: constant factors first, a minus sign before them all."""
    sign: list[sp.Basic] = []
    rest = []
    for factor in factors:
        if _unsigned(factor) is not factor and not sign:
            sign, factor = [sp.S.NegativeOne], _unsigned(factor)
        rest.append(factor)
    constants = [factor for factor in rest if _is_constant_factor(factor)]
    return sign, constants + [factor for factor in rest if not _is_constant_factor(factor)]


def nested_sums(total: sp.Sum) -> sp.Sum:
    """A sum over several indices as nested sums, the outermost first, as textbooks write it.

    SymPy prints one sum sign over a stack of ranges, which few readers (and no LaTeX parser)
    expect; the nested form has the same value.
    """
    if len(total.limits) == 1:
        return bracketed_negative_body(total)
    inner = bracketed_negative_body(rebuilt(total, (total.function, total.limits[0])))
    for limit in total.limits[1:]:
        inner = rebuilt(total, (InnerSum(inner), limit))
    return inner


def bracketed_negative_body(total: sp.Sum) -> sp.Sum:
    """``total`` with a body that starts with a minus sign (and is not a sum) in brackets."""
    body = total.function
    if isinstance(body, sp.Add) or not starts_with_minus(body):
        return total
    return rebuilt(total, (Bracketed(body), *total.limits))


def sign_in_front(product: sp.MatMul) -> sp.MatMul:
    """−ηG with its minus sign as a factor of its own, where the printers look for it.

    SymPy gathers a matrix product's scalars into one coefficient, −η = (−1)·η, and its
    printers, which only look for a negative number in front, would show W − ηG as W + −ηG.
    """
    coefficient, matrices = product.as_coeff_mmul()
    if coefficient.is_number or not coefficient.could_extract_minus_sign():
        return product
    with sp.evaluate(True):
        magnitude = -coefficient
    return sp.MatMul(sp.S.NegativeOne, magnitude, *matrices.args)


def positive_terms_first(total: sp.MatAdd) -> sp.MatAdd:
    """Terms as written in textbooks: Xθ − y rather than −y + Xθ."""
    terms = sorted(total.args, key=starts_with_minus)
    return total if tuple(terms) == total.args else sp.MatAdd(*terms)


def starts_with_minus(expr: sp.Basic) -> bool:
    """Whether ``expr`` prints with a leading minus sign."""
    if isinstance(expr, sp.MatMul):
        return expr.as_coeff_mmul()[0].could_extract_minus_sign()
    if isinstance(expr, sp.Mul):
        return bool(expr.args) and expr.args[0].is_number and expr.args[0].is_negative is True
    return expr.could_extract_minus_sign() if isinstance(expr, sp.Expr) else False


#: The display rules by the kind of node they rewrite, applied bottom-up by :func:`display`.
DISPLAY_RULES: tuple[tuple[type[sp.Basic], Callable[..., sp.Basic]], ...] = (
    (sp.MatMul, sign_in_front),
    (sp.Mul, written_product),
    (sp.Sum, nested_sums),
    (sp.MatAdd, positive_terms_first),
)


# -- reading the display back --------------------------------------------------------------


class DisplayMismatchError(GradbookError):
    """A displayed formula does not have the value of the expression that was checked."""


def display_mismatch(expr: sp.Basic, setting: Setting) -> str | None:
    """Why the display tree of ``expr`` differs from ``expr``, or None if it has the same value.

    The two are compared by the step checker's own numeric check (:func:`gradbook.checking.differs`):
    the same points, sizes and precision that a step must pass.
    """
    shown = display(expr)
    if shown == expr:
        return None
    difference = differs(expr, shown, setting)
    if difference is None:
        return None
    where = ", ".join(f"{name} = {value}" for name, value in difference.point.items())
    if difference.note:
        return difference.note
    return f"at {where} the checked expression is {difference.before}, the display {difference.after}"


def check_display(derivation: Derivation) -> None:
    """Raise :class:`DisplayMismatchError` if a step of ``derivation`` is displayed wrongly.

    The message names the derivation, the step and a point where the two values differ.
    """
    for step in derivation.steps:
        shown = [(step.expr, f"step {step.number}")]
        if step.mistake is not None:  # the wrong line an exercise shows was checked too
            shown.append((step.mistake.expr, f"the wrong version of step {step.number}"))
        for expr, what in shown:
            mismatch = display_mismatch(expr, derivation.setting)
            if mismatch is not None:
                raise DisplayMismatchError(
                    f"{derivation.name}: {what} is displayed as a different expression "
                    f"from the one checked: {mismatch}"
                )
