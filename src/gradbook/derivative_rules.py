"""The derivative rules of notation functions, checked against their definitions.

SymPy differentiates σ(z) with the rule the class gives it (``fdiff``: σ′ = σ(1 − σ)), and the
checker then evaluates the result through the definition. A wrong rule would therefore pass
unseen: both sides of a step such as "σ′ = σ(1 + σ)" would be computed from it. So before a
step that holds a notation function is checked, the function's rule is compared with the
derivative of its definition, at a few points inside every domain the functions take (their
arguments between 0 and 1 fit a probability as well as a score, and points on both sides of
0 show a kink). That covers a notation
function written in a derivation script and a rule replaced at run time alike.
"""

from __future__ import annotations

import mpmath
import sympy as sp

from gradbook.notation import NotationFunction

#: Where each argument of a rule is compared with the derivative of the definition: exact
#: fractions, so that both are evaluated to the full digits; between 0 and 1, where a
#: probability lives, and on both sides of 0, where a kink would be. A point where the
#: definition's derivative is not a real number (the log of a negative probability) is skipped.
POINTS = tuple(
    tuple(sp.Rational(value) for value in point)
    for point in (
        ("3/10", "3/5", "9/20"), ("3/4", "1/5", "9/10"), ("-7/10", "-2", "3/2"), ("5/2", "-1/3", "-4"),
    )
)
DIGITS = 30
#: The rules already compared, by class and by the rule and definition it had then.
_checked: dict[tuple, str | None] = {}


def wrong_rule(*exprs: sp.Basic) -> str | None:
    """Why the derivative rule of a notation function in ``exprs`` is wrong, or None."""
    classes = {type(node) for expr in exprs for node in sp.preorder_traversal(expr)
               if isinstance(node, NotationFunction)}
    for function in sorted(classes, key=lambda cls: cls.__name__):
        key = (function, function.fdiff, function.definition)
        if key not in _checked:
            _checked[key] = _compare_rule(function)
        if _checked[key] is not None:
            return _checked[key]
    return None


def _compare_rule(function: type[NotationFunction]) -> str | None:
    """Compare ``function``'s own ``fdiff`` with the derivative of its definition; a class
    that keeps SymPy's ``fdiff`` has no rule of its own and is differentiated as defined."""
    if function.fdiff is sp.Function.fdiff or not isinstance(function.nargs, sp.FiniteSet):
        return None
    count = max(function.nargs)
    arguments = sp.symbols(f"a1:{count + 1}", real=True)
    call = function(*arguments)
    definition = call.definition()
    for argindex, argument in enumerate(arguments, start=1):
        rule, truth = call.fdiff(argindex), sp.diff(definition, argument)
        for point in POINTS:
            values = dict(zip(arguments, point, strict=False))
            difference = _difference(rule, truth, values)
            if difference is not None:
                where = ", ".join(f"{argument} = {value}" for argument, value in values.items())
                return (
                    f"the derivative rule of the notation function {function.__name__} (its fdiff) "
                    f"disagrees with the derivative of its definition by argument {argindex}: at "
                    f"{where} the rule gives {sp.N(rule.subs(values), 15)} and the definition "
                    f"{sp.N(truth.subs(values), 15)}"
                )
    return None


def _difference(rule: sp.Expr, truth: sp.Expr, values: dict) -> mpmath.mpf | None:
    """|rule − truth| at ``values`` where it exceeds 30 digits of agreement, else None (also
    where the definition has no real derivative)."""
    with mpmath.workdps(DIGITS + 10):
        got, wanted = sp.N(rule.subs(values), DIGITS), sp.N(truth.subs(values), DIGITS)
        if not (wanted.is_Number and wanted.is_finite):
            return None  # outside the definition's domain
        if not (got.is_Number and got.is_finite):
            return mpmath.mpf(1)  # a rule that does not evaluate where its definition does
        difference = abs(mpmath.mpf(got) - mpmath.mpf(wanted))
        if difference > mpmath.mpf(10) ** (5 - DIGITS) * max(1, abs(mpmath.mpf(wanted))):
            return difference
    return None
