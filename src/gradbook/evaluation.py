"""Evaluating the two sides of a step at one point, precisely enough to trust the verdict.

A step is compared with the one before at many points (see :mod:`gradbook.checking`). At each
point the two sides are first evaluated by compiled mpmath code at :data:`WORKING_DIGITS`
significant digits. Equal results settle the point. Different results are not yet a verdict:
rounding makes two forms of one function differ in their last digits, and a form that cancels
((1 + z)⁸⁰ written out, 1 − σ(1000)) can lose every digit. So the point is evaluated again at
:data:`CONFIRM_DIGITS`; a difference that shrinks with the extra digits was rounding. One that
does not is handed to SymPy's ``evalf``, which tracks the accuracy of every operation and raises
its precision until the requested digits are right. Only a difference that survives that is a
counterexample, however small it is: σ(z) + 10⁻⁶⁰ is not σ(z). A point where even ``evalf``
cannot tell (1 − σ(10⁶) needs 434 295 digits) is *undecided*: it proves nothing either way.

The sampled inputs are binary floating-point numbers, held exactly by mpmath and converted to
exact rationals for ``evalf``: every evaluation of a point sees the same inputs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import mpmath
import sympy as sp
from sympy.core.evalf import PrecisionExhausted

#: Significant digits of the first evaluation of every point.
WORKING_DIGITS = 70
#: Significant digits of the second evaluation, for points whose sides differ at all.
CONFIRM_DIGITS = 140
#: The precisions at which the compiled code evaluates a point again while its sides differ.
ESCALATION: tuple[int, ...] = (CONFIRM_DIGITS, 280, 560, 1120)
#: The most digits ``evalf`` may use to settle a point.
EXACT_DIGITS_LIMIT = 1500
#: exp(x) for |x| above this is an overflow: its result would need more than 10⁸ bits of exponent,
#: and evaluating towers such as exp(exp(exp(exp(z)))) beyond it never finishes.
EXP_ARGUMENT_LIMIT = 10**8

Number = mpmath.mpf | mpmath.mpc


class NotEvaluable(Exception):
    """An expression has no finite value at a point (a pole, an overflow, an undefined name)."""


class MissingValue(NotEvaluable):
    """An expression uses unknowns that the point has no value for, such as A[2, 2] of a 2 × 1 A:
    an entry outside its variable's shape at these sizes."""

    def __init__(self, missing: list[sp.Basic]) -> None:
        self.missing = missing
        super().__init__(f"left without a value: {', '.join(map(str, missing))}")


def _guarded_exp(x):
    if abs(mpmath.re(x)) > EXP_ARGUMENT_LIMIT:
        raise NotEvaluable(f"overflow: exp of {mpmath.nstr(x, 6)}")
    return mpmath.exp(x)


_OVERRIDES = {"exp": _guarded_exp}


class Compiled:
    """A list of expressions compiled once into an mpmath function of their scalar unknowns.

    Compiling with ``lambdify`` instead of calling ``evalf`` at each point makes the numeric
    check an order of magnitude faster.
    """

    def __init__(self, exprs: Sequence[sp.Expr]) -> None:
        self.exprs = list(exprs)
        atoms = set().union(*(scalar_unknowns(expr) for expr in exprs)) if exprs else set()
        self.atoms = sorted(atoms, key=sp.default_sort_key)
        placeholders = [sp.Symbol(f"gb_atom_{n}") for n in range(len(self.atoms))]
        renamed = [expr.xreplace(dict(zip(self.atoms, placeholders, strict=True))) for expr in exprs]
        leftover = set().union(*(scalar_unknowns(expr) for expr in renamed)) - set(placeholders)
        if leftover:
            raise NotEvaluable(f"left without a value: {', '.join(sorted(map(str, leftover)))}")
        try:
            self.function = sp.lambdify(placeholders, renamed, modules=[_OVERRIDES, "mpmath"])
        except Exception as error:
            reason = _what_cannot_be_evaluated(exprs, error)
            raise NotEvaluable(f"it has no numeric value: {reason}") from error

    def __call__(self, values: dict[sp.Basic, mpmath.mpf], digits: int) -> list[Number]:
        missing = [atom for atom in self.atoms if atom not in values]
        if missing:
            raise MissingValue(missing)
        try:
            with mpmath.workdps(digits):
                results = self.function(*(values[atom] for atom in self.atoms))
                return [finite(result) for result in results]
        except NotEvaluable:
            raise
        except (ZeroDivisionError, ValueError, OverflowError, NameError, TypeError, MemoryError) as error:
            raise NotEvaluable(f"evaluation failed: {type(error).__name__}: {error}") from error


def _what_cannot_be_evaluated(exprs: Sequence[sp.Expr], error: Exception) -> str:
    """The construct that has no numeric value, in the author's terms rather than the printer's."""
    derivatives = set().union(*(expr.atoms(sp.Derivative) for expr in exprs))
    if derivatives:
        return f"{sp.sstr(next(iter(derivatives)))} is a derivative that cannot be carried out"
    undefined = set().union(*(expr.atoms(sp.core.function.AppliedUndef) for expr in exprs))
    if undefined:
        return f"{sp.sstr(next(iter(undefined)))} is a function with no definition"
    return f"{type(error).__name__}: {str(error).splitlines()[0]}"


def scalar_unknowns(expr: sp.Basic) -> set[sp.Basic]:
    """The scalar unknowns of ``expr``: plain symbols and vector entries such as x[2]."""
    entries = expr.atoms(sp.Indexed)
    labels = {entry.base.label for entry in entries}
    symbols = {s for s in expr.free_symbols if not isinstance(s, sp.Indexed) and s not in labels}
    return symbols | entries


def finite(value) -> Number:
    """``value`` as an mpmath number; infinities and NaN have no value to compare."""
    if isinstance(value, mpmath.mpc):
        number: Number = value
    elif isinstance(value, complex):
        number = mpmath.mpc(value)
    else:
        number = mpmath.mpf(value)
    if not mpmath.isfinite(number):
        raise NotEvaluable(f"the value is {number}")
    return number


def relative_difference(a: Number, b: Number) -> mpmath.mpf:
    """|a − b| relative to the larger of |a| and |b|; 0 when both are 0."""
    scale = max(abs(a), abs(b))
    return abs(a - b) / scale if scale else mpmath.mpf(0)


def exact(value: Number) -> sp.Expr:
    """The exact rational (or complex rational) that an mpmath number holds."""
    if isinstance(value, mpmath.mpc):
        return exact(value.real) + sp.I * exact(value.imag)
    if not value:
        return sp.Integer(0)
    sign, mantissa, exponent, _ = value._mpf_
    return (-1) ** sign * sp.Integer(mantissa) * sp.Integer(2) ** exponent


@dataclass(frozen=True)
class Judgement:
    """What one point says about ``before == after``.

    ``kind`` is ``"agree"``, ``"differ"`` or ``"undecided"``. ``before`` and ``after`` are the
    values that decided it and ``deviation`` their relative difference; ``digits`` is how many
    significant digits the values are known to (enough to see the difference).
    """

    kind: str
    before: Number | None = None
    after: Number | None = None
    deviation: mpmath.mpf = mpmath.mpf(0)  # noqa: RUF009 - an immutable number
    digits: int = WORKING_DIGITS
    reason: str = ""


def judge(
    a: Number,
    b: Number,
    again: Callable[[int], tuple[Number, Number]],
    settle: Callable[[int], tuple[Number, Number]],
    deep: bool = False,
    deep_digits: int = CONFIRM_DIGITS,
) -> Judgement:
    """Decide one pair of values, ``a`` and ``b`` at :data:`WORKING_DIGITS`; see the module docstring.

    ``again(digits)`` evaluates the pair again by the compiled code and ``settle(digits)`` by
    ``evalf`` with guaranteed digits (it raises :class:`NotEvaluable` when it cannot). A ``deep``
    point is evaluated at ``deep_digits`` (:data:`CONFIRM_DIGITS`, or more for a step that
    writes numbers of more digits) even when it agrees at the working precision, so that a
    relative difference too small for 70 digits (10⁻⁸⁰) is still seen.
    """
    base = WORKING_DIGITS
    if a == b:
        if not deep:
            return Judgement("agree", a, b)
        a, b = again(deep_digits)
        if a == b:
            return Judgement("agree", a, b, digits=deep_digits)
        base = deep_digits
    first, a2, b2 = a - b, a, b
    for digits in (digits for digits in ESCALATION if digits > base):
        a2, b2 = again(digits)
        second = a2 - b2
        noise = 10 ** -mpmath.mpf((digits - base) // 2)
        if second == 0 or abs(second) <= abs(first) * noise:
            # Values that shrink with the digits are both zero: no relative deviation is left.
            vanishing = max(abs(a2), abs(b2)) <= max(abs(a), abs(b)) * noise
            deviation = mpmath.mpf(0) if vanishing else relative_difference(a2, b2)
            return Judgement("agree", a2, b2, deviation, digits)
    if _one_side_lost(a2, b2):
        return Judgement(
            "undecided", a2, b2, mpmath.mpf(1),
            reason=f"one side is 0 at {ESCALATION[-1]} digits, the other {show(a2 or b2, 6)}",
        )
    return settled(a2, b2, settle)


def _one_side_lost(a: Number, b: Number) -> bool:
    """One value exactly 0 and the other smaller than any working precision resolves next to 1.

    That is cancellation beyond every precision tried (log(1 + e⁻²⁰⁰⁰⁰) computes as log 1 = 0),
    and ``evalf`` is no arbiter there: it also returns 0 for log(1 + ε) with ε below its digits.
    """
    tiny = mpmath.mpf(10) ** -WORKING_DIGITS
    return (a == 0 and 0 < abs(b) < tiny) or (b == 0 and 0 < abs(a) < tiny)


def settled(a: Number, b: Number, settle: Callable[[int], tuple[Number, Number]]) -> Judgement:
    """The verdict of ``evalf`` on a difference that extra digits did not remove."""
    deviation = relative_difference(a, b)
    digits = min(EXACT_DIGITS_LIMIT, 20 + _digits_to_see(deviation))
    try:
        exact_a, exact_b = settle(digits)
    except NotEvaluable as error:
        return Judgement("undecided", a, b, deviation, reason=str(error))
    deviation = relative_difference(exact_a, exact_b)
    if deviation <= mpmath.mpf(10) ** -(digits - 5):
        return Judgement("agree", exact_a, exact_b, deviation, digits)
    return Judgement("differ", exact_a, exact_b, deviation, digits)


def _digits_to_see(deviation: mpmath.mpf) -> int:
    """How many significant digits show a relative difference of ``deviation``."""
    if deviation <= 0:
        return 0
    return max(0, math.ceil(-float(mpmath.log10(deviation))))


def evaluate_exactly(expr: sp.Expr, values: dict[sp.Basic, sp.Expr], digits: int) -> Number:
    """``expr`` at exact ``values`` to ``digits`` correct significant digits, by ``evalf``."""
    with sp.evaluate(True):
        at_point = expr.xreplace(values)
    leftover = scalar_unknowns(at_point)
    if leftover:
        raise NotEvaluable(f"left without a value: {', '.join(sorted(map(str, leftover)))}")
    try:
        value = sp.N(at_point, digits, strict=True, maxn=EXACT_DIGITS_LIMIT + 200)
    except PrecisionExhausted as error:
        raise NotEvaluable(f"not decidable with {EXACT_DIGITS_LIMIT} digits") from error
    except (ValueError, TypeError, ZeroDivisionError, OverflowError, MemoryError) as error:
        raise NotEvaluable(f"evaluation failed: {type(error).__name__}: {error}") from error
    if value.has(sp.zoo, sp.oo, -sp.oo, sp.nan) or not value.is_number:
        raise NotEvaluable(f"the value is {value}")
    real, imaginary = value.as_real_imag()
    with mpmath.workdps(digits + 5):
        if imaginary == 0:
            return mpmath.mpf(sp.Float(real, digits + 5)._mpf_)
        return mpmath.mpc(
            mpmath.mpf(sp.Float(real, digits + 5)._mpf_), mpmath.mpf(sp.Float(imaginary, digits + 5)._mpf_)
        )


def show(value: Number | None, digits: int = 12) -> str:
    """A value with ``digits`` significant digits; a non-real one says so."""
    if value is None:
        return "no value"
    if isinstance(value, mpmath.mpc) and value.imag != 0:
        sign = "−" if value.imag < 0 else "+"
        return f"{mpmath.nstr(value.real, digits)} {sign} {mpmath.nstr(abs(value.imag), digits)}i (not real)"
    if isinstance(value, mpmath.mpc):
        value = value.real
    return mpmath.nstr(value, digits)


def digits_to_show(deviation: mpmath.mpf) -> int:
    """Enough significant digits to see a relative difference ``deviation`` (12 at least)."""
    return min(80, max(12, _digits_to_see(deviation) + 4))
