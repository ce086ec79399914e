"""The symbolic proof attempt: show ``before − after = 0`` with SymPy, within a fixed budget.

The budget counts work, not time: every Python function call made while a strategy runs is
counted, and a strategy that reaches :data:`CALL_BUDGET` calls is abandoned. A clock-based limit
gave different verdicts under load, on other threads and on platforms without ``SIGALRM``; a
count is the same on every machine. SymPy's cache is cleared first, so that what was proved
before (in this process) does not change what a proof costs now.

``Expr.equals`` is never used: on true identities it can spend seconds and return ``None``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import mpmath
import sympy as sp
from sympy.core.cache import clear_cache

from gradbook.notation import unfold
from gradbook.setting import Setting

#: Python function calls one proof attempt may make (about two seconds of SymPy on one core).
CALL_BUDGET = 6_000_000


@dataclass(frozen=True)
class Proof:
    """The outcome of a proof attempt.

    ``proved`` with the assumptions it used and the strategy (``method``) that succeeded; or a
    nonzero ``constant`` that the difference reduced to, which disproves the step.
    """

    proved: bool
    used_assumptions: tuple[str, ...] = ()
    method: str = ""
    constant: sp.Expr | None = None

    @property
    def stands_alone(self) -> bool:
        """Whether the proof holds without the numeric check that comes first: not one that
        split logarithms with ``force=True`` (log(ab) = log a + log b whatever the signs), nor
        one that rewrote the step with the author's assumptions, which only the numbers test
        against the declared domains. A step no point could evaluate needs such a proof."""
        return self.proved and not self.used_assumptions and self.method not in _NEEDS_THE_NUMBERS


class BudgetExhausted(BaseException):
    """A proof strategy used up its call budget.

    A ``BaseException``, so that SymPy's own ``except Exception`` handlers do not swallow it.
    """


@contextmanager
def call_budget(calls: int) -> Iterator[None]:
    """Raise :class:`BudgetExhausted` in the body once it has made ``calls`` Python calls."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        count += 1
        if count > calls:
            raise BudgetExhausted
        return None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        yield
    finally:
        sys.settrace(previous)


def attempt_proof(before: sp.Expr, after: sp.Expr, setting: Setting) -> Proof:
    """Try to show ``before − after = 0``; see the module docstring. Never raises.

    A side that holds ``zoo`` or ``nan`` has no value to be equal to: 0·zoo, left unevaluated,
    would otherwise cancel as if it were 0."""
    if isinstance(before, sp.MatrixExpr) or isinstance(after, sp.MatrixExpr):
        return Proof(False)
    if before.has(sp.zoo, sp.nan) or after.has(sp.zoo, sp.nan):
        return Proof(False)
    clear_cache()
    try:
        with sp.evaluate(True), call_budget(CALL_BUDGET):
            return _prove(before, after, setting)
    except BudgetExhausted:
        return Proof(False)
    except Exception:
        return Proof(False)


def _prove(before: sp.Expr, after: sp.Expr, setting: Setting) -> Proof:
    facts = setting.index_facts()
    before, after = setting.expand_definitions(before), setting.expand_definitions(after)
    difference = canonical_sums(normalise(before, facts) - normalise(after, facts))
    for name, simplifier in _SIMPLIFIERS:
        reduced = simplifier(difference)
        if is_zero(reduced):
            return Proof(True, method=name)
        if simplifier is not _simplify_log_expanded and _is_nonzero_constant(reduced):
            return Proof(False, method=name, constant=reduced)
    for assumption in setting.assumptions:
        given = difference.xreplace({canonical_sums(assumption.lhs): assumption.rhs})
        for name, simplifier in _SIMPLIFIERS:
            if is_zero(simplifier(given)):
                return Proof(True, (assumption.text,), name)
    return Proof(False)


def _is_nonzero_constant(expr: sp.Expr) -> bool:
    """A number with no unknowns left that evaluates to something other than 0."""
    if not isinstance(expr, sp.Expr) or not expr.is_number or expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return False
    try:
        value = sp.N(expr, 30)
    except Exception:
        return False
    with mpmath.workdps(30):
        return value.is_Number and value != 0


def normalise(expr: sp.Expr, facts: sp.Basic) -> sp.Expr:
    """Carry out the derivatives, then use the index ranges (1 ≤ k ≤ n) to drop Piecewise.

    Sums are left symbolic: asking SymPy for a closed form of Σᵢ σ(θᵀxᵢ) costs seconds and
    finds none. Only the sums that differentiation creates, Σⱼ δⱼₖ xⱼ, are evaluated.
    """
    for _ in range(6):
        done = expr.replace(lambda node: isinstance(node, sp.Derivative), lambda node: node.doit())
        done = done.replace(_is_delta_sum, lambda node: node.doit())
        if done == expr:
            break
        expr = done
    return sp.refine(expr, facts) if facts is not sp.true else expr


def _is_delta_sum(node: sp.Basic) -> bool:
    return isinstance(node, sp.Sum) and node.function.has(sp.KroneckerDelta)


def canonical_sums(expr: sp.Expr) -> sp.Expr:
    """Rename each sum's dummy index by its nesting depth and bounds.

    ``Σ_j y_j`` and ``Σ_l y_l`` are the same number, but SymPy compares them by the name of the
    dummy; giving equal sums equal names lets a substitution such as Σ y = 1 match.
    """
    return _rename_sums(expr, depth=0)


def _rename_sums(expr: sp.Basic, depth: int) -> sp.Basic:
    if not expr.args:
        return expr
    if isinstance(expr, sp.Sum | sp.Product) and len(expr.limits) == 1:
        (index, low, high) = expr.limits[0]
        fresh = sp.Symbol(f"_sum{depth}", integer=True)
        body = _rename_sums(expr.function.xreplace({index: fresh}), depth + 1)
        return expr.func(body, (fresh, low, high))
    return expr.func(*(_rename_sums(arg, depth) for arg in expr.args))


def is_zero(expr: sp.Expr) -> bool:
    return expr == 0 or expr.is_zero is True


def _as_written(expr: sp.Expr) -> sp.Expr:
    return expr


def _unfolded(expr: sp.Expr) -> sp.Expr:
    """``expr`` with its notation written out, and the sums that brings in (the softmax's
    Σⱼ exp(zⱼ)) renamed like the author's, so that the two can cancel."""
    return canonical_sums(unfold(expr))


def _cancel_unfolded(expr: sp.Expr) -> sp.Expr:
    return sp.cancel(sp.together(_unfolded(expr)))


def _simplify_unfolded(expr: sp.Expr) -> sp.Expr:
    return sp.simplify(_unfolded(expr))


def _simplify_log_expanded(expr: sp.Expr) -> sp.Expr:
    """Logarithms split with ``force=True``: only sound because the numeric check came first.

    ``expand_log(force=True)`` writes log(ab) as log a + log b whatever the signs; a step that
    relies on it outside the domain where it holds has already been refused by the numbers.
    """
    return sp.simplify(sp.expand_log(_unfolded(expr), force=True))


def _simplify_as_exponentials(expr: sp.Expr) -> sp.Expr:
    """Hyperbolic and trigonometric forms written with exp: σ = (1 + tanh(z/2))/2 needs it."""
    return sp.simplify(_unfolded(expr).rewrite(sp.exp))


#: The strategies whose success is only sound where the numbers have checked the step.
_NEEDS_THE_NUMBERS = frozenset({"simplify with logarithms expanded"})

_SIMPLIFIERS: tuple[tuple[str, Callable[[sp.Expr], sp.Expr]], ...] = (
    ("as written", _as_written),
    ("cancel", _cancel_unfolded),
    ("simplify", sp.simplify),
    ("simplify after unfolding notation", _simplify_unfolded),
    ("simplify with logarithms expanded", _simplify_log_expanded),
    ("simplify in exponentials", _simplify_as_exponentials),
)
