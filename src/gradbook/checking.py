"""Deciding whether one step of a derivation equals the step before it.

Two independent signals, as the research behind gradbook recommends:

1. **The numeric gate** (always run, decisive): both sides are evaluated with mpmath at
   ``DIGITS`` significant digits, at random points drawn from each symbol's declared domain, with
   symbolic sizes (m, n, K) replaced by small concrete values. A deviation above ``TOLERANCE``
   is a counterexample and the step fails.
2. **A symbolic proof attempt** (under a time limit): ``simplify`` and friends on the
   difference. Success upgrades the verdict to "proved symbolically"; failure proves nothing
   (SymPy misses true identities), so the step then stands as "checked numerically".

``Expr.equals`` is never used: on true identities it can spend seconds and return ``None``.
"""

from __future__ import annotations

import random
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import mpmath
import sympy as sp

from gradbook.notation import unfold
from gradbook.setting import Setting

DIGITS = 50
TOLERANCE = mpmath.mpf(10) ** -(DIGITS - 15)
POINTS = 24
SHAPES = 4
PROOF_SECONDS = 2.0


@dataclass(frozen=True)
class Verification:
    """How a step was verified; ``summary`` is the badge text shown on the page."""

    proved: bool
    points: int
    max_deviation: float
    seconds: float
    used_assumptions: tuple[str, ...] = ()

    @property
    def badge(self) -> str:
        """The one short mark a page shows next to a step."""
        return "✓ proved" if self.proved else "≈ checked numerically"

    @property
    def details(self) -> str:
        """What was done to check the step, for the expandable part of the badge."""
        return self.summary

    @property
    def summary(self) -> str:
        numeric = f"checked numerically at {self.points} points, max deviation {self.max_deviation:.1e}"
        if self.proved:
            return f"proved symbolically; {numeric}"
        return numeric


@dataclass(frozen=True)
class Counterexample:
    """A point where two expressions differ, with both values (as short decimal strings)."""

    point: dict[str, str]
    before: str
    after: str


class NotEvaluable(Exception):
    """An expression has no finite real value at a sampled point."""


def compare(before: sp.Expr, after: sp.Expr, setting: Setting, seed: int) -> Verification | Counterexample:
    """Check ``before == after`` numerically, then try to prove it; see the module docstring."""
    started = time.perf_counter()
    outcome = numeric_gate(before, after, setting, random.Random(seed))
    if isinstance(outcome, Counterexample):
        return outcome
    points, deviation = outcome
    proof = attempt_proof(before, after, setting)
    return Verification(
        proved=proof is not None,
        points=points,
        max_deviation=float(deviation),
        seconds=time.perf_counter() - started,
        used_assumptions=proof or (),
    )


def numeric_gate(
    before: sp.Expr, after: sp.Expr, setting: Setting, rng: random.Random
) -> tuple[int, mpmath.mpf] | Counterexample:
    """Evaluate both sides at ``POINTS`` random points; the first bad point is returned."""
    worst = mpmath.mpf(0)
    shapes = SHAPES if setting.sizes else 1
    per_shape = -(-POINTS // shapes)
    row = _row_index(before, after, setting)
    # Sizes and free indices name the instance; summation indices mean nothing to a reader.
    free = set(setting.sizes) | (before.free_symbols | after.free_symbols) & set(setting.indices)
    checked = 0
    for _ in range(shapes):
        shape = setting.draw_shape(rng)
        left, right = (_entries(concrete(side, shape, setting), shape, row) for side in (before, after))
        pairs = Evaluator([*left, *right])
        for _ in range(per_shape):
            with mpmath.workdps(DIGITS + 10):
                values = setting.draw_values(rng, shape)
                results = pairs(values)
            sides = (results[: len(left)], results[len(left) :], left, right)
            for a, b, a_expr, b_expr in zip(*sides, strict=True):
                deviation = abs(a - b) / max(1, abs(a), abs(b))
                if deviation > TOLERANCE:
                    return _counterexample(shape, values, a_expr, b_expr, a, b, free)
                worst = max(worst, deviation)
            checked += 1
    return checked, worst


class Evaluator:
    """Expressions compiled once (per concrete shape) into an mpmath function of their atoms.

    Compiling with ``lambdify`` instead of calling ``evalf`` at each point makes the numeric gate
    an order of magnitude faster on the general (m, n) steps.
    """

    def __init__(self, exprs: list[sp.Expr]) -> None:
        atoms = set().union(*(_atoms(expr) for expr in exprs))
        self.atoms = sorted(atoms, key=sp.default_sort_key)
        placeholders = [sp.Symbol(f"gb_atom_{n}") for n in range(len(self.atoms))]
        renamed = [expr.xreplace(dict(zip(self.atoms, placeholders, strict=True))) for expr in exprs]
        leftover = set().union(*(_atoms(expr) for expr in renamed)) - set(placeholders)
        if leftover:
            raise NotEvaluable(f"left without a value: {', '.join(sorted(map(str, leftover)))}")
        try:
            self.function = sp.lambdify(placeholders, renamed, modules="mpmath")
        except (NameError, TypeError, SyntaxError) as error:
            raise NotEvaluable(f"cannot be compiled for evaluation: {error}") from error

    def __call__(self, values: dict[sp.Basic, mpmath.mpf]) -> list[mpmath.mpf]:
        missing = [atom for atom in self.atoms if atom not in values]
        if missing:
            raise NotEvaluable(f"left without a value: {', '.join(map(str, missing))}")
        try:
            results = self.function(*(values[atom] for atom in self.atoms))
        except (ZeroDivisionError, ValueError, OverflowError, NameError, TypeError) as error:
            raise NotEvaluable(f"evaluation failed: {error}") from error
        return [_finite_real(result) for result in results]


def _atoms(expr: sp.Basic) -> set[sp.Basic]:
    """The scalar unknowns of ``expr``: plain symbols and vector entries such as x[2]."""
    entries = expr.atoms(sp.Indexed)
    labels = {entry.base.label for entry in entries}
    symbols = {s for s in expr.free_symbols if not isinstance(s, sp.Indexed) and s not in labels}
    return symbols | entries


def _finite_real(value) -> mpmath.mpf:
    if isinstance(value, mpmath.mpc):
        if value.imag != 0:
            raise NotEvaluable(f"value {value} is not real")
        value = value.real
    value = mpmath.mpf(value)
    if not mpmath.isfinite(value):
        raise NotEvaluable(f"value {value} is not a finite real number")
    return value


def concrete(expr: sp.Basic, shape: dict[sp.Symbol, int], setting: Setting) -> sp.Basic:
    """``expr`` with concrete sizes and indices, sums expanded and derivatives carried out.

    A matrix expression (such as Xᵀ(σ(Xθ) − y)) becomes an explicit matrix whose entries are
    written in the declared indexed variables, so it can be compared with an index form.
    """
    sizes = {symbol: sp.Integer(shape[symbol]) for symbol in setting.sizes}
    indices = {symbol: sp.Integer(shape[symbol]) for symbol in setting.indices}
    expr = setting.expand_definitions(expr).xreplace(sizes)
    if isinstance(expr, sp.MatrixExpr):
        explicit = expr.doit().as_explicit()
        return explicit.applyfunc(lambda entry: unfold(doit_fully(setting.as_indexed(entry))))
    # Expanding the sums first removes every bound index, so that the free indices (k in
    # ∂/∂θₖ) can then be replaced everywhere, derivative variables included.
    expanded = doit_fully(expand_finite(expr))
    return unfold(doit_fully(expanded.xreplace(indices)))


def expand_finite(expr: sp.Basic) -> sp.Basic:
    """Write out every sum and product whose bounds are numbers, innermost first.

    Doing it directly is much faster than ``Sum.doit``, which first looks for a closed form.
    """
    return expr.replace(_has_numeric_limits, _written_out)


def _has_numeric_limits(node: sp.Basic) -> bool:
    if not isinstance(node, sp.Sum | sp.Product):
        return False
    return all(low.is_Integer and high.is_Integer for _, low, high in node.limits)


def _written_out(node: sp.Sum | sp.Product) -> sp.Expr:
    terms = [node.function]
    for index, low, high in node.limits:
        terms = [term.xreplace({index: value}) for term in terms for value in range(low, high + 1)]
    combine = sp.Add if isinstance(node, sp.Sum) else sp.Mul
    return combine(*(expand_finite(term) for term in terms))


def _row_index(before: sp.Basic, after: sp.Basic, setting: Setting) -> sp.Symbol | None:
    """The free index that selects a component when a vector form meets an index form."""
    scalar = [side for side in (before, after) if not isinstance(side, sp.MatrixExpr)]
    free = {index for side in scalar for index in setting.indices if index in side.free_symbols}
    return free.pop() if len(free) == 1 else None


def _entries(value: sp.Basic, shape: dict[sp.Symbol, int], row: sp.Symbol | None) -> list[sp.Expr]:
    if not isinstance(value, sp.MatrixBase):
        return [value]
    if row is not None:
        return [value[shape[row] - 1, 0]]
    return list(value)


def doit_fully(expr: sp.Basic, rounds: int = 6) -> sp.Basic:
    """``doit`` until nothing changes: a derivative of a sum leaves new unevaluated sums."""
    for _ in range(rounds):
        done = expr.doit()
        if done == expr:
            return done
        expr = done
    return expr


def _counterexample(shape, values, left, right, a, b, free) -> Counterexample:
    used = left.free_symbols | right.free_symbols | left.atoms(sp.Indexed) | right.atoms(sp.Indexed)
    point = {str(symbol): str(value) for symbol, value in shape.items() if symbol in free}
    point.update(
        {str(atom): mpmath.nstr(value, 8) for atom, value in values.items() if atom in used}
    )
    return Counterexample(point, mpmath.nstr(a, 12), mpmath.nstr(b, 12))


def attempt_proof(before: sp.Expr, after: sp.Expr, setting: Setting) -> tuple[str, ...] | None:
    """Try to show ``before − after = 0``; the assumptions used, or ``None`` if no proof was found.

    The strategies run cheapest first, all within one time budget.
    """
    if isinstance(before, sp.MatrixExpr) or isinstance(after, sp.MatrixExpr):
        return None
    facts = setting.index_facts()
    before, after = setting.expand_definitions(before), setting.expand_definitions(after)
    try:
        with time_limit(PROOF_SECONDS):
            difference = canonical_sums(normalise(before, facts) - normalise(after, facts))
            for simplifier in _SIMPLIFIERS:
                if is_zero(simplifier(difference)):
                    return ()
            for assumption in setting.assumptions:
                given = difference.xreplace({canonical_sums(assumption.lhs): assumption.rhs})
                if any(is_zero(simplifier(given)) for simplifier in _SIMPLIFIERS):
                    return (assumption.text,)
    except ProofTimeout:
        return None
    except Exception:
        return None
    return None


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


def _cancel_unfolded(expr: sp.Expr) -> sp.Expr:
    return sp.cancel(sp.together(unfold(expr)))


def _simplify_unfolded(expr: sp.Expr) -> sp.Expr:
    return sp.simplify(unfold(expr))


def _simplify_log_expanded(expr: sp.Expr) -> sp.Expr:
    return sp.simplify(sp.expand_log(unfold(expr), force=True))


def _as_written(expr: sp.Expr) -> sp.Expr:
    return expr


def _simplify_as_exponentials(expr: sp.Expr) -> sp.Expr:
    """Hyperbolic and trigonometric forms written with exp: σ = (1 + tanh(z/2))/2 needs it."""
    return sp.simplify(unfold(expr).rewrite(sp.exp))


_SIMPLIFIERS: tuple[Callable[[sp.Expr], sp.Expr], ...] = (
    _as_written,
    sp.simplify,
    _cancel_unfolded,
    _simplify_unfolded,
    _simplify_log_expanded,
    _simplify_as_exponentials,
)


class ProofTimeout(Exception):
    """The symbolic proof attempt ran out of time."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the body after ``seconds`` (only on the main thread, where signals work)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise ProofTimeout

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
