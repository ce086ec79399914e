"""Deciding whether one step of a derivation equals the step before it.

Two independent signals:

1. **The numeric check** (always run, decisive). Both sides are evaluated at many points:
   random points from each symbol's declared domain, spread over every order of magnitude, at
   every checked size and with free indices equal and different (:mod:`gradbook.sampling`),
   plus the switch points of |u|, max, min, Heaviside, sign and Piecewise and points on both
   sides of them. Each point is decided with escalating precision (:mod:`gradbook.evaluation`):
   any difference that survives is a counterexample, however small.
2. **A symbolic proof attempt** (:mod:`gradbook.proof`) under a deterministic budget. Success
   makes the step "proved"; failure proves nothing (SymPy misses true identities), so the step
   then stands as "checked numerically". If SymPy reduces the difference to a nonzero constant,
   the step is wrong, even where that constant is too small for any sampled point to see.

Before either, the two sides must have the same shape: a column is not a row.

Nothing here depends on the derivation's name, the clock, the load or the platform: the points
come from a seed made of the two expressions, and the proof budget counts work, not seconds.
"""

from __future__ import annotations

import itertools
import random
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import mpmath
import sympy as sp

from gradbook import domains
from gradbook.derivative_rules import wrong_rule
from gradbook.evaluation import (
    CONFIRM_DIGITS,
    WORKING_DIGITS,
    Compiled,
    Judgement,
    MissingValue,
    NotEvaluable,
    Number,
    digits_to_show,
    evaluate_exactly,
    exact,
    judge,
    relative_difference,
    scalar_unknowns,
    show,
)
from gradbook.notation import unfold
from gradbook.proof import Proof, attempt_proof
from gradbook.sampling import (
    RANDOM_POINTS,
    SPECIAL_POINTS,
    Instance,
    around,
    instances,
    switch_arguments,
    switch_points,
    threshold_sizes,
)
from gradbook.setting import Setting

__all__ = [
    "Counterexample", "NotEvaluable", "Unevaluable", "Verification", "compare", "differs", "stable_srepr",
]

#: Random points of each comparison that are also evaluated at twice the working precision when
#: they agree, to see relative differences below 10⁻⁷⁰.
DEEP_POINTS = 4
#: Significant digits of the values at a special point (computed by ``evalf``, so all correct).
SPECIAL_DIGITS = 30


@dataclass(frozen=True)
class Verification:
    """How a step was verified; ``badge`` is the short mark a page shows, ``details`` the rest."""

    proved: bool
    points: int
    max_deviation: float
    seconds: float
    used_assumptions: tuple[str, ...] = ()
    special_points: int = 0
    undecided: int = 0
    sizes: tuple[tuple[str, tuple[int, ...]], ...] = ()
    method: str = ""

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
        parts = [f"checked numerically at {self.points} points"]
        if self.special_points:
            parts.append(f"and {self.special_points} switch points")
        if self.sizes:
            sizes = "; ".join(f"{name} = {', '.join(map(str, at))}" for name, at in self.sizes)
            parts.append(f"with {sizes}")
        numeric = " ".join(parts) + f", max deviation {self.max_deviation:.1e}"
        if self.proved:
            using = f" using {', '.join(self.used_assumptions)}" if self.used_assumptions else ""
            return f"proved symbolically{using}; {numeric}"
        return numeric


@dataclass(frozen=True)
class Counterexample:
    """A point where two expressions differ, with both values and what else there is to say.

    ``point`` maps every coordinate (sizes, free indices, every variable the step uses) to its
    value as text; ``note`` explains a refusal that is not about values (shapes, a constant).
    """

    point: dict[str, str]
    before: str
    after: str
    difference: str = ""
    note: str = ""


@dataclass(frozen=True)
class Unevaluable:
    """The step has no value at any point tried and could not be proved: why, point by point."""

    reasons: tuple[str, ...]
    #: Why a proof that was found does not count here, if one was found.
    proof_note: str = ""


@dataclass
class _Tally:
    """What the points said so far."""

    points: int = 0
    special: int = 0
    worst: mpmath.mpf = field(default_factory=lambda: mpmath.mpf(0))
    undecided: list[str] = field(default_factory=list)


def compare(
    before: sp.Expr, after: sp.Expr, setting: Setting
) -> Verification | Counterexample | Unevaluable:
    """Check ``before == after``: shapes, the numeric check, then a proof attempt."""
    started = time.perf_counter()
    mismatch = shape_mismatch(before, after, setting)
    if mismatch is not None:
        return mismatch
    rule = wrong_rule(before, after)
    if rule is not None:
        return Counterexample({}, "", "", note=rule)
    rng = _points_seed(before, after)
    tally = _Tally()
    outcome = _numeric_check(before, after, setting, rng, tally)
    if isinstance(outcome, Counterexample):
        return outcome
    proof = attempt_proof(before, after, setting)
    if proof.constant is not None:
        return _constant_difference(proof, outcome)
    if tally.points + tally.special == 0 and not proof.stands_alone:
        reasons = tuple(dict.fromkeys(tally.undecided)) or ("no point could be evaluated",)
        if proof.proved:  # by a proof that leans on the numbers this step never got
            note = f"its proof ({proof.method}{_using(proof)}) holds only where numbers check the step"
            return Unevaluable(reasons, note)
        return Unevaluable(reasons)
    return Verification(
        proved=proof.proved,
        points=tally.points,
        max_deviation=float(tally.worst),
        seconds=time.perf_counter() - started,
        used_assumptions=proof.used_assumptions,
        special_points=tally.special,
        undecided=len(tally.undecided),
        sizes=tuple((str(size.symbol), size.checked_at) for size in setting.sizes.values()),
        method=proof.method,
    )


def _using(proof: Proof) -> str:
    return f", using {', '.join(proof.used_assumptions)}" if proof.used_assumptions else ""


def differs(before: sp.Basic, after: sp.Basic, setting: Setting) -> Counterexample | None:
    """The numeric half of :func:`compare`, with the same points: a counterexample or None.

    For comparisons that need no proof, such as a step against the way it is displayed.
    """
    mismatch = shape_mismatch(before, after, setting)
    if mismatch is not None:
        return mismatch
    rule = wrong_rule(before, after)
    if rule is not None:
        return Counterexample({}, "", "", note=rule)
    rng = _points_seed(before, after)
    with sp.evaluate(True):
        return _numeric_check(before, after, setting, rng, _Tally())


def _points_seed(before: sp.Basic, after: sp.Basic) -> random.Random:
    """The random source of a comparison, made of the two expressions and nothing else."""
    return random.Random(zlib.crc32((stable_srepr(before) + "\n" + stable_srepr(after)).encode()))


def stable_srepr(expr: sp.Basic) -> str:
    """``srepr`` of ``expr`` (in the author's order) that is the same text in every process.

    SymPy numbers each ``Dummy`` (the bound variable of σ applied entrywise, σ(Xθ)) from a
    process-wide counter; the dummies are renamed here by their order of appearance.
    """
    found = (node for node in sp.preorder_traversal(expr) if isinstance(node, sp.Dummy))
    dummies = list(dict.fromkeys(found))
    renamed = {
        dummy: sp.Symbol(f"_{dummy.name}{number}", **dummy.assumptions0)
        for number, dummy in enumerate(dummies)
    }
    return sp.srepr(expr.xreplace(renamed) if renamed else expr, order="none")


# -- shapes ----------------------------------------------------------------------------------


def shape_mismatch(before: sp.Basic, after: sp.Basic, setting: Setting) -> Counterexample | None:
    """A refusal when the two sides cannot be the same object: a row for a column, n × m for m × n.

    Two scalars always have the same shape (their free indices are compared by the numbers).
    """
    matrices = [side for side in (before, after) if isinstance(side, sp.MatrixExpr)]
    if not matrices:
        return None
    if len(matrices) == 2 and _same_shape(before.shape, after.shape):
        return None
    if len(matrices) == 1 and _matrix_meets_indices(before, after, setting):
        return None
    shapes = [describe_shape(side, setting) for side in (before, after)]
    return Counterexample(
        {}, "", "", note=f"the shapes differ: the step before is {shapes[0]}, this step is {shapes[1]}"
    )


def _same_shape(first: tuple, second: tuple) -> bool:
    return all(sp.simplify(a - b) == 0 for a, b in zip(first, second, strict=True))


def describe_shape(expr: sp.Basic, setting: Setting) -> str:
    if isinstance(expr, sp.MatrixExpr):
        rows, cols = expr.shape
        return f"a matrix of shape {rows} × {cols}"
    free = free_indices(setting.expand_definitions(expr), setting)
    if not free:
        return "a scalar"
    names = ", ".join(f"{index} = 1 … {setting.indices[index].size}" for index in free)
    return f"a scalar with free {'index' if len(free) == 1 else 'indices'} {names}"


def _matrix_meets_indices(before: sp.Basic, after: sp.Basic, setting: Setting) -> bool:
    """A matrix against its entry written with free indices: an n × 1 column against its k-th
    entry (one free index k running to n), an n × K matrix against its entry (j, c) (two free
    indices, the first declared selecting the row: j running to n, then c running to K)."""
    matrix, scalar = (before, after) if isinstance(before, sp.MatrixExpr) else (after, before)
    rows, cols = matrix.shape
    free = free_indices(setting.expand_definitions(scalar), setting)
    if rows == 1 and cols == 1:
        return not free
    shape = (rows,) if cols == 1 else (rows, cols)
    return len(free) == len(shape) and all(
        sp.simplify(setting.indices[index].size - size) == 0 for index, size in zip(free, shape, strict=True)
    )


def free_indices(expr: sp.Basic, setting: Setting) -> list[sp.Symbol]:
    """The declared indices that ``expr`` leaves free (not summed over), in declaration order."""
    symbols = _free_symbols(expr, setting)
    return [index for index in setting.indices if index in symbols]


def _free_symbols(expr: sp.Basic, setting: Setting) -> set[sp.Basic]:
    """The free symbols of ``expr`` with its definitions written out, and those of every variable
    it is differentiated by: ∂hᵢ/∂θₖ depends on k even where SymPy's ``free_symbols`` drops it."""
    expanded = setting.expand_definitions(expr)
    symbols = set(expanded.free_symbols)
    for derivative in expanded.atoms(sp.Derivative):
        for variable in derivative.variables:
            symbols |= variable.free_symbols
    return symbols


# -- the numeric check -----------------------------------------------------------------------


def _numeric_check(
    before: sp.Expr, after: sp.Expr, setting: Setting, rng: random.Random, tally: _Tally
) -> Counterexample | None:
    free = [i for i in setting.indices if i in _free_symbols(before, setting) | _free_symbols(after, setting)]
    row = _entry_indices(before, after, setting)
    expanded = [
        setting.expand_definitions(side) for side in (before, after) if not isinstance(side, sp.MatrixExpr)
    ]
    deltas = [delta.args for side in expanded for delta in side.atoms(sp.KroneckerDelta)]
    cases = instances(setting, free, deltas, threshold_sizes(expanded, setting))
    per_instance = max(1, -(-RANDOM_POINTS // len(cases)))
    specials_left = SPECIAL_POINTS
    for instance in cases:
        try:
            sides = (_compiled(before, instance, row, setting), _compiled(after, instance, row, setting))
        except NotEvaluable as error:
            tally.undecided.append(f"at {_instance_text(instance)}: {error}")
            continue
        for _ in range(per_instance):
            refusal = _random_point_with_retries(sides, instance, setting, rng, tally)
            if refusal is not None:
                return refusal
        if specials_left > 0:
            refusal, used = _special_points(sides, instance, setting, rng, tally, specials_left)
            specials_left -= used
            if refusal is not None:
                return refusal
    return None


def _compiled(
    expr: sp.Basic, instance: Instance, row: tuple[sp.Symbol, ...] | None, setting: Setting
) -> Compiled:
    """The entries of ``expr`` in ``instance``, compiled; kept, since each step is compared twice."""
    key = ("compiled", expr, instance, row)
    cache = setting.concrete_cache
    if key not in cache:
        try:
            value = concrete(expr, instance.values, setting)
            compiled = Compiled(_entries(value, instance, row))
            compiled.shape = value.shape if isinstance(value, sp.MatrixBase) and row is None else None
            cache[key] = compiled
        except NotEvaluable as error:
            cache[key] = error
    if isinstance(cache[key], NotEvaluable):
        raise cache[key]
    return cache[key]


#: Bounds on the magnitudes of a random point, tried in turn while a point stays undecided:
#: products of large entries make logits of 10¹⁰, where 1 − σ cancels beyond any precision.
RETRY_LARGEST: tuple[float | None, ...] = (None, 1e3, 10.0)


def _random_point_with_retries(
    sides: tuple[Compiled, Compiled], instance: Instance, setting: Setting, rng: random.Random,
    tally: _Tally,
) -> Counterexample | None:
    """One decided random point if possible: a point that cannot be decided is drawn again with
    smaller magnitudes (:data:`RETRY_LARGEST`); only the last attempt's reason is kept."""
    for attempt, largest in enumerate(RETRY_LARGEST):
        values = setting.draw_values(rng, instance.values, largest)
        last = attempt == len(RETRY_LARGEST) - 1
        status, refusal = _random_point(sides, values, instance, setting, tally, record=last)
        if status != "undecided":
            return refusal
    return None


#: The most digits a deep point is evaluated at, however long the numbers a step writes.
MOST_DEEP_DIGITS = 1120


def _deep_digits(*exprs: sp.Basic) -> int:
    """:data:`CONFIRM_DIGITS` plus the most decimal digits a number written in ``exprs`` spans:
    z²/10²⁰⁰ added to a step changes its value in the 200th digit, beyond 140."""
    return min(CONFIRM_DIGITS + _literal_span(exprs), MOST_DEEP_DIGITS)


def _literal_span(exprs: Sequence[sp.Basic]) -> int:
    """The most decimal digits a number written in ``exprs`` spans (300 for 10⁻³⁰⁰)."""
    spans = [0]
    for expr in exprs:
        for number in expr.atoms(sp.Rational, sp.Float):
            parts = (number.p, number.q) if isinstance(number, sp.Rational) else (number,)
            spans += [abs(int(mpmath.log10(abs(mpmath.mpf(part))))) for part in parts if part]
    return max(spans)


def _random_point(
    sides: tuple[Compiled, Compiled], values: dict, instance: Instance, setting: Setting,
    tally: _Tally, record: bool,
) -> tuple[str, Counterexample | None]:
    """Decide every entry at one point: ``("refused", why)``, ``("agree", None)`` or undecided."""
    left, right = sides
    try:
        a_values, b_values = left(values, WORKING_DIGITS), right(values, WORKING_DIGITS)
    except MissingValue as error:
        if all(isinstance(atom, sp.Indexed) for atom in error.missing):
            return "refused", _outside_shape(sides, values, error, instance)
        if record:
            tally.undecided.append(f"at {_point_text(instance, values, setting)}: {error}")
        return "undecided", None
    except NotEvaluable as error:
        if record:
            tally.undecided.append(f"at {_point_text(instance, values, setting)}: {error}")
        return "undecided", None
    deep = tally.points < DEEP_POINTS
    deep_digits = _deep_digits(*(expr for side in sides for expr in side.exprs)) if deep else CONFIRM_DIGITS
    judgements = []
    for entry, (a, b) in enumerate(zip(a_values, b_values, strict=True)):
        judgement = judge(
            a, b,
            again=lambda digits, n=entry: (left(values, digits)[n], right(values, digits)[n]),
            settle=lambda digits, n=entry: _exact_pair(sides, n, values, digits),
            deep=deep,
            deep_digits=deep_digits,
        )
        if judgement.kind == "differ":
            simpler = _simpler_counterexample(sides, instance, setting, values)
            return "refused", simpler or _record(judgement, sides, entry, instance, values, setting, tally)
        judgements.append((entry, judgement))
    undecided = any(judgement.kind == "undecided" for _, judgement in judgements)
    if undecided and not record:
        return "undecided", None
    for entry, judgement in judgements:
        _record(judgement, sides, entry, instance, values, setting, tally)
    if undecided:
        return "undecided", None
    tally.points += 1
    return "agree", None


#: Magnitude bounds tried, smallest first, to find a readable counterexample once one is found.
SHRINK_LARGEST: tuple[float, ...] = (3.0, 30.0, 1e3)
SHRINK_TRIES = 4


def _simpler_counterexample(
    sides: tuple[Compiled, Compiled], instance: Instance, setting: Setting, values: dict
) -> Counterexample | None:
    """A counterexample at small magnitudes, if the step is wrong there too; None otherwise.

    A refusal at z = −18 736 is right but hard to check by hand; the same mistake usually shows
    at z = 0.7. The search is seeded by the point already found, so it is as repeatable.
    """
    rng = random.Random(zlib.crc32(repr(sorted(map(str, values.values()))).encode()))
    for largest in SHRINK_LARGEST:
        for _ in range(SHRINK_TRIES):
            point = setting.draw_values(rng, instance.values, largest)
            try:
                a_values, b_values = sides[0](point, WORKING_DIGITS), sides[1](point, WORKING_DIGITS)
            except NotEvaluable:
                continue
            for entry, (a, b) in enumerate(zip(a_values, b_values, strict=True)):
                if relative_difference(a, b) < mpmath.mpf(10) ** -6:
                    continue
                judgement = judge(
                    a, b,
                    again=lambda digits, n=entry, at=point: (sides[0](at, digits)[n], sides[1](at, digits)[n]),  # noqa: E501
                    settle=lambda digits, n=entry, at=point: _exact_pair(sides, n, at, digits),
                )
                if judgement.kind == "differ":
                    return _record(judgement, sides, entry, instance, point, setting, _Tally())
    return None


def _outside_shape(
    sides: tuple[Compiled, Compiled], values: dict, error: MissingValue, instance: Instance
) -> Counterexample:
    """A refusal for a step that uses entries its variables do not have at these sizes."""
    side = "the step before" if any(atom in sides[0].atoms for atom in error.missing) else "this step"
    names = ", ".join(map(str, error.missing[:4]))
    sizes = ", ".join(f"{symbol} = {value}" for symbol, value in instance.values.items())
    return Counterexample(
        {str(symbol): str(value) for symbol, value in instance.values.items()}, "", "",
        note=f"{side} uses {names}, which do not exist at {sizes}",
    )


def _exact_pair(
    sides: tuple[Compiled, Compiled], entry: int, values: dict, digits: int
) -> tuple[Number, Number]:
    exact_values = {atom: exact(value) for atom, value in values.items()}
    return tuple(evaluate_exactly(side.exprs[entry], exact_values, digits) for side in sides)


def _record(
    judgement: Judgement, sides, entry: int, instance: Instance, values: dict, setting: Setting,
    tally: _Tally,
) -> Counterexample | None:
    """Note what one entry at one point said: a refusal is returned, anything else is tallied."""
    if judgement.kind == "differ":
        used = scalar_unknowns(sides[0].exprs[entry]) | scalar_unknowns(sides[1].exprs[entry])
        return _counterexample(judgement, instance, values, used, setting, _entry_name(sides, entry))
    if judgement.kind == "undecided":
        tally.undecided.append(f"at {_point_text(instance, values, setting)}: {judgement.reason}")
    else:
        tally.worst = max(tally.worst, judgement.deviation)
    return None


def _special_points(
    sides: tuple[Compiled, Compiled], instance: Instance, setting: Setting, rng: random.Random,
    tally: _Tally, budget: int,
) -> tuple[Counterexample | None, int]:
    """Check at the switch points of the step's pieces and beside them; (refusal, points used).

    Every switch point is visited before any point beside one, so that many kinks do not use up
    the budget before the last threshold is reached.
    """
    arguments = switch_arguments(sp.Tuple(*sides[0].exprs, *sides[1].exprs))
    # As for the deep points: a clip at 10⁻³⁵ beside a kink at 0 shows in the 35th digit.
    digits = min(SPECIAL_DIGITS + _literal_span([*sides[0].exprs, *sides[1].exprs]), MOST_DEEP_DIGITS)
    rows, roots = [], []
    for argument in arguments:
        base = {atom: exact(value) for atom, value in setting.draw_values(rng, instance.values).items()}
        for unknown, root in switch_points(argument, base, _solvable_unknowns(argument, setting)):
            rows.append([(base, unknown, value) for value in around(root)])
            roots.append((base, unknown, root))
    rows += _between_close_roots(roots)
    rows += _at_the_step_scale(sides, instance, setting, rng)
    used = 0
    for column in range(max((len(row) for row in rows), default=0)):
        for row in rows:
            if column >= len(row):
                continue
            base, unknown, value = row[column]
            if used >= budget:
                return None, used
            if not _in_domain(unknown, value, setting):
                continue
            used += 1
            refusal = _exact_point(sides, base | {unknown: value}, instance, setting, tally, digits)
            if refusal is not None:
                return refusal, used
    return None, used


def _between_close_roots(roots: list[tuple[dict, sp.Basic, sp.Expr]]) -> list[list[tuple]]:
    """The midpoint of two switch points of one unknown closer than the points :func:`around`
    puts beside each: a piece that holds only between z = 1 and z = 1 + 2⁻⁵⁰ is missed by both."""
    rows = []
    by_unknown: dict[sp.Basic, list[tuple[mpmath.mpf, dict, sp.Expr]]] = {}
    for base, unknown, root in roots:
        try:
            by_unknown.setdefault(unknown, []).append((mpmath.mpf(sp.Float(root, 60)._mpf_), base, root))
        except (TypeError, ValueError):
            continue
    for unknown, found in by_unknown.items():
        found.sort(key=lambda item: item[0])
        for (low, base, first), (high, _, second) in itertools.pairwise(found):
            if 0 < high - low < mpmath.mpf(2) ** -6 * max(1, abs(low)):
                rows.append([(base, unknown, (first + second) / 2)])
    return rows


#: Numbers a step writes beyond these magnitudes (10⁶ and 10⁻⁸, the range of random points) are
#: also tried as values of its unknowns: t·(1 − σ(t − 10⁷)) is t until t nears 10⁷.
_SCALE_ABOVE, _SCALE_BELOW = mpmath.mpf(10) ** 6, mpmath.mpf(10) ** -8


def _at_the_step_scale(
    sides: tuple[Compiled, Compiled], instance: Instance, setting: Setting, rng: random.Random
) -> list[list[tuple]]:
    """Each unknown at ±c and ±2c for the numbers c of the step beyond the random points' range."""
    exprs = [*sides[0].exprs, *sides[1].exprs]
    scales = sorted({
        abs(number) for expr in exprs for number in expr.atoms(sp.Rational, sp.Float)
        if number != 0 and not _SCALE_BELOW <= abs(mpmath.mpf(sp.Float(number, 30)._mpf_)) <= _SCALE_ABOVE
    }, key=sp.default_sort_key)[:3]
    if not scales:
        return []
    base = {atom: exact(value) for atom, value in setting.draw_values(rng, instance.values).items()}
    unknowns = _solvable_unknowns(sp.Tuple(*exprs), setting)
    return [
        [(base, unknown, sign * factor * scale) for factor in (1, 2) for sign in (1, -1)]
        for unknown in unknowns for scale in scales
    ]


def _exact_point(
    sides: tuple[Compiled, Compiled], point: dict, instance: Instance, setting: Setting, tally: _Tally,
    digits: int = SPECIAL_DIGITS,
) -> Counterexample | None:
    approximate = {atom: mpmath.mpf(sp.Float(value, WORKING_DIGITS)._mpf_) for atom, value in point.items()}
    try:
        sides[0](approximate, 15), sides[1](approximate, 15)
    except NotEvaluable as error:
        tally.undecided.append(f"at {_point_text(instance, point, setting)}: {error}")
        return None
    decided = True
    for entry in range(len(sides[0].exprs)):
        try:
            a, b = (evaluate_exactly(side.exprs[entry], point, digits) for side in sides)
        except NotEvaluable as error:
            tally.undecided.append(f"at {_point_text(instance, point, setting)}: {error}")
            decided = False
            continue
        deviation = relative_difference(a, b)
        kind = "differ" if deviation > mpmath.mpf(10) ** -(digits - 5) else "agree"
        refusal = _record(Judgement(kind, a, b, deviation, digits), sides, entry, instance, point,
                          setting, tally)
        if refusal is not None:
            return refusal
    tally.special += decided
    return None


#: Domains whose values cannot be moved one entry at a time: a probability vector must keep
#: summing to one, and a label cannot sit beside its switch point.
_JOINT_OR_DISCRETE = (domains.Simplex, domains.OneHot, domains.BinaryLabels)


def _solvable_unknowns(argument: sp.Expr, setting: Setting) -> list[sp.Basic]:
    """The unknowns of ``argument`` that may be moved alone: scalars and entries of free vectors."""
    movable = []
    for atom in sorted(scalar_unknowns(argument), key=sp.default_sort_key):
        domain = _domain_of(atom, setting)
        if domain is not None and not isinstance(domain, _JOINT_OR_DISCRETE):
            movable.append(atom)
    return movable


def _domain_of(atom: sp.Basic, setting: Setting) -> domains.Domain | None:
    name = str(atom.base.label) if isinstance(atom, sp.Indexed) else str(atom)
    variable = setting.variables.get(name)
    return variable.domain if variable is not None else None


def _in_domain(atom: sp.Basic, value: sp.Expr, setting: Setting) -> bool:
    domain = _domain_of(atom, setting)
    if domain is None:
        return False
    try:
        number = mpmath.mpf(sp.Float(value, 30)._mpf_)
    except (TypeError, ValueError):
        return False
    return bool(domain.contains(number))


# -- reports ---------------------------------------------------------------------------------


def _counterexample(
    judgement: Judgement, instance: Instance, values: dict, used: set, setting: Setting, entry: str = ""
) -> Counterexample:
    digits = digits_to_show(judgement.deviation)
    point = _point(instance, values, used, setting)
    difference = judgement.before - judgement.after
    before, after = show(judgement.before, digits), show(judgement.after, digits)
    note = f"they differ in {entry}" if entry else ""
    return Counterexample(point, before, after, show(difference, 6), note)


def _entry_name(sides: tuple[Compiled, Compiled], entry: int) -> str:
    """"entry (2, 1)" of a matrix step; "" for a scalar."""
    shape = getattr(sides[0], "shape", None) or getattr(sides[1], "shape", None)
    if not shape or len(sides[0].exprs) == 1:
        return ""
    row, col = divmod(entry, shape[1])
    return f"entry ({row + 1}, {col + 1})"


def _point(instance: Instance, values: dict, used: set, setting: Setting) -> dict[str, str]:
    point = {str(symbol): str(value) for symbol, value in instance.sizes}
    point |= {str(symbol): str(value) for symbol, value in instance.indices}
    for atom in sorted(values, key=sp.default_sort_key):
        if atom in used:
            point[str(atom)] = _value_text(values[atom])
    return point


def _value_text(value) -> str:
    """A coordinate as text that gives the value back: 17 digits for a float, exact otherwise."""
    if isinstance(value, mpmath.mpf | mpmath.mpc):
        return mpmath.nstr(value, 17)
    if isinstance(value, sp.Rational) and value.q > 2**20:
        return mpmath.nstr(mpmath.mpf(sp.Float(value, 30)._mpf_), 17)
    return str(value)


def _point_text(instance: Instance, values: dict, setting: Setting) -> str:
    point = _point(instance, values, set(values), setting)
    return ", ".join(f"{name} = {value}" for name, value in point.items()) or "the point"


def _instance_text(instance: Instance) -> str:
    return ", ".join(f"{symbol} = {value}" for symbol, value in instance.values.items()) or "every point"


def _constant_difference(proof: Proof, outcome) -> Counterexample:
    constant = proof.constant
    with mpmath.workdps(30):
        value = mpmath.mpf(sp.Float(sp.re(constant), 30)._mpf_)
    return Counterexample(
        {}, "", "", difference=show(value, 6),
        note=f"the two steps differ by the constant {sp.sstr(constant)} (≈ {show(value, 6)}) everywhere",
    )


# -- making a step concrete ------------------------------------------------------------------


def concrete(expr: sp.Basic, shape: dict[sp.Symbol, int], setting: Setting) -> sp.Basic:
    """``expr`` with concrete sizes and indices, sums expanded and derivatives carried out.

    A matrix expression (such as Xᵀ(σ(Xθ) − y)) becomes an explicit matrix whose entries are
    written in the declared indexed variables, so it can be compared with an index form.
    """
    sizes = tuple((symbol, shape[symbol]) for symbol in setting.sizes)
    indices = {symbol: sp.Integer(shape[symbol]) for symbol in setting.indices if symbol in shape}
    with sp.evaluate(True):
        sized = _sized(expr, sizes, setting)
        if isinstance(sized, sp.MatrixBase):
            return sized
        result = unfold(sized.xreplace(indices))
        if result.has(*(definition.symbol for definition in setting.definitions)):
            # A notation function of a defined vector, softmax(w, k, K): its definition brings
            # the entries w[j] in only now, to be written out like the others.
            result = expand_finite(setting.expand_definitions(result).xreplace(indices))
        return doit_fully(result) if result.has(sp.Derivative, sp.Sum, sp.Product) else result


def _sized(expr: sp.Basic, sizes: tuple[tuple[sp.Symbol, int], ...], setting: Setting) -> sp.Basic:
    """``expr`` at concrete sizes, sums written out and derivatives done, free indices still free.

    Expanding the sums first removes every bound index, so that the free indices (k in ∂/∂θₖ)
    can then be given values everywhere, derivative variables included. The result is kept per
    setting and sizes: every value of the free indices starts from it.
    """
    key = (expr, sizes)
    cache = setting.concrete_cache
    if key not in cache:
        values = {symbol: sp.Integer(value) for symbol, value in sizes}
        expanded = setting.expand_definitions(expr).xreplace(values)
        if isinstance(expanded, sp.MatrixExpr):
            explicit = expanded.doit().as_explicit()
            cache[key] = explicit.applyfunc(lambda entry: _explicit_entry(entry, values, setting))
        else:
            cache[key] = doit_fully(expand_finite(expanded))
    return cache[key]


def _explicit_entry(entry: sp.Expr, sizes: dict[sp.Symbol, sp.Integer], setting: Setting) -> sp.Expr:
    """An entry of an explicit matrix, in the declared indexed variables and written out.

    The entries of a defined matrix (P[i, c]) are expanded here, at the sizes of the instance.
    """
    indexed = setting.expand_definitions(setting.as_indexed(entry)).xreplace(sizes)
    return unfold(doit_fully(expand_finite(indexed)))


def expand_finite(expr: sp.Basic) -> sp.Basic:
    """Write out every sum and product whose bounds are numbers, innermost first.

    Doing it directly is much faster than ``Sum.doit``, which first looks for a closed form.
    """
    return expr.replace(_has_numeric_limits, _written_out)


def _has_numeric_limits(node: sp.Basic) -> bool:
    """A sum or product whose outermost limits are numbers (inner ones may use its index)."""
    if not isinstance(node, sp.Sum | sp.Product):
        return False
    _, low, high = node.limits[-1]
    return low.is_Integer and high.is_Integer


def _written_out(node: sp.Sum | sp.Product) -> sp.Expr:
    """The outermost index of ``node`` written out; inner limits such as j ≤ i then become numbers."""
    index, low, high = node.limits[-1]
    inner = node.func(node.function, *node.limits[:-1]) if len(node.limits) > 1 else node.function
    terms = [inner.xreplace({index: value}) for value in range(low, high + 1)]
    combine = sp.Add if isinstance(node, sp.Sum) else sp.Mul
    return combine(*(expand_finite(term) for term in terms))


def _entry_indices(before: sp.Basic, after: sp.Basic, setting: Setting) -> tuple[sp.Symbol, ...] | None:
    """The free indices that select an entry when a matrix form meets an index form: the row
    index of a column, or the row and column indices of a matrix, in declaration order."""
    if not any(isinstance(side, sp.MatrixExpr) for side in (before, after)):
        return None
    scalar = [side for side in (before, after) if not isinstance(side, sp.MatrixExpr)]
    found = {index for side in scalar for index in free_indices(side, setting)}
    free = tuple(index for index in setting.indices if index in found)
    return free or None


def _entries(value: sp.Basic, instance: Instance, row: tuple[sp.Symbol, ...] | None) -> list[sp.Expr]:
    if not isinstance(value, sp.MatrixBase):
        return [value]
    if row is not None:
        position = [instance.values[index] - 1 for index in row]
        return [value[position[0], position[1] if len(position) > 1 else 0]]
    return list(value)


def doit_fully(expr: sp.Basic, rounds: int = 6) -> sp.Basic:
    """``doit`` until nothing changes: a derivative of a sum leaves new unevaluated sums."""
    for _ in range(rounds):
        done = expr.doit()
        if done == expr:
            return done
        expr = done
    return expr
