"""Where a step is checked: sizes, index values and the special points of its functions.

Random points alone miss the places where mistakes hide. A sum written to ``Min(n, 3)`` is right
for n ≤ 3; ``−pᵢpₖ`` for the softmax Jacobian is right whenever i ≠ k; a ReLU slope with the
threshold at 1/1000 is right everywhere but in a sliver near 0. So, besides random values from
each symbol's domain:

* every size is checked at every one of its values (:data:`DEFAULT_SIZES` unless the author
  narrows them), in several combinations when there are several sizes, and at the values
  around any integer a step compares it with (``Min(n, 8)``, a sum from 9 to n);
* free indices take new values from point to point, and every instance covers them equal to each
  other (i = k) and all different (i ≠ k), at the first and the last position;
* wherever ``Abs``, ``Max``, ``Min``, ``Heaviside``, ``sign``, ``floor``, ``ceiling`` (at 0
  and 1) or a ``Piecewise`` condition switches, the switch point itself and points just on
  either side of it are checked.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import sympy as sp

from gradbook.evaluation import scalar_unknowns
from gradbook.setting import Setting

#: The sizes every symbolic size is checked at, unless its author narrows them: all small sizes
#: up to 5 and one larger.
DEFAULT_SIZES: tuple[int, ...] = (1, 2, 3, 4, 5, 8)
#: Random points per step (spread over the instances); special points come on top.
RANDOM_POINTS = 24
#: At most this many special points per step.
SPECIAL_POINTS = 48


def sizes_to_check(checked_at: tuple[int, ...] | None, only: bool = False) -> tuple[int, ...]:
    """The values a size is checked at: :data:`DEFAULT_SIZES` from the author's smallest value
    up, with the author's own values; or exactly the author's with ``only``."""
    if checked_at is None:
        return DEFAULT_SIZES
    values = tuple(int(value) for value in checked_at)
    if not values or min(values) < 1:
        raise ValueError(f"checked_at must name sizes of at least 1, got {checked_at!r}")
    if only:
        return tuple(sorted(set(values)))
    return tuple(sorted(set(values) | {size for size in DEFAULT_SIZES if size >= min(values)}))


@dataclass(frozen=True)
class Instance:
    """Concrete sizes and index values: one numeric instance of the general step."""

    sizes: tuple[tuple[sp.Symbol, int], ...]
    indices: tuple[tuple[sp.Symbol, int], ...]

    @property
    def values(self) -> dict[sp.Symbol, int]:
        return dict(self.sizes) | dict(self.indices)


def instances(
    setting: Setting, free: list[sp.Symbol], deltas: Sequence[tuple[sp.Expr, sp.Expr]] = (),
    extra_sizes: dict[sp.Symbol, set[int]] | None = None,
) -> list[Instance]:
    """Every size value (with ``extra_sizes``, see :func:`threshold_sizes`), each combined with
    equal, distinct, middle, last and random indices, and with the index values that make each
    Kronecker delta δ(a, b) of the step equal to 1."""
    rng = random.Random(0)
    found: list[Instance] = []
    for shape in size_combinations(setting, extra_sizes or {}):
        assignments = index_assignments(setting, free, shape, rng)
        assignments += delta_assignments(setting, free, shape, deltas)
        for indices in assignments:
            instance = Instance(tuple(shape.items()), tuple(indices.items()))
            if instance not in found:
                found.append(instance)
    return found


def size_combinations(
    setting: Setting, extra_sizes: dict[sp.Symbol, set[int]] | None = None
) -> list[dict[sp.Symbol, int]]:
    """Concrete sizes such that every size takes each of its values at least once.

    In every other combination the q-th size is shifted by 2q positions, so that sizes are
    sometimes equal (m = n) and sometimes not (an m × n matrix that is not square shows a
    missing transpose).
    """
    extra_sizes = extra_sizes or {}
    values = [
        (size.symbol, tuple(sorted(set(size.checked_at) | extra_sizes.get(size.symbol, set()))))
        for size in setting.sizes.values()
    ]
    if not values:
        return [{}]
    count = max(len(at) for _, at in values)
    return [
        {symbol: at[(t + (2 * q if t % 2 else 0)) % len(at)] for q, (symbol, at) in enumerate(values)}
        for t in range(count)
    ]


#: The largest size a comparison in a step adds: a sum of that many terms is still quick.
LARGEST_THRESHOLD_SIZE = 32


def threshold_sizes(exprs: Sequence[sp.Basic], setting: Setting) -> dict[sp.Symbol, set[int]]:
    """For each size, the values around an integer a step compares it with, beyond the sizes
    it is checked at anyway: ``Min(n, 8)`` is n up to n = 8 and a sum from 9 to n is empty
    until n = 9, so only n = 9 or 10 shows either. A comparison is a ``Min`` or ``Max``, a
    relation (in a ``Piecewise``), or the bounds of a sum or a product; the value where the
    size's side meets the integer is solved for when that side is linear in the size.

    Sizes the author declared ``only`` at given values, and values below the smallest one
    checked (a K that is at least 2), are left out.
    """
    found: dict[sp.Symbol, set[int]] = {}
    for expr in exprs:
        for node in sp.preorder_traversal(expr):
            for group in _comparisons(node):
                for size, value in _meeting_points(group, setting):
                    declared = setting.sizes[size]
                    candidates = {value - 1, value, value + 1}
                    lowest = min(declared.checked_at)
                    new = {v for v in candidates if lowest <= v <= LARGEST_THRESHOLD_SIZE}
                    if not declared.only:
                        found.setdefault(size, set()).update(new - set(declared.checked_at))
    return {size: values for size, values in found.items() if values}


def _comparisons(node: sp.Basic) -> list[tuple[sp.Basic, ...]]:
    if isinstance(node, (sp.Min, sp.Max, sp.core.relational.Relational)):
        return [tuple(node.args)]
    if isinstance(node, (sp.Sum, sp.Product)):
        return [tuple(limit[1:]) for limit in node.limits]
    return []


def _meeting_points(group: tuple[sp.Basic, ...], setting: Setting) -> Iterator[tuple[sp.Symbol, int]]:
    """(size, n) for each side of ``group`` linear in a size that equals an integer of the
    group at n (rounded down)."""
    constants = [int(arg) for arg in group if isinstance(arg, sp.Integer)]
    for arg in group:
        for size in arg.free_symbols & set(setting.sizes):
            try:
                polynomial = sp.Poly(arg, size)
            except sp.PolynomialError:
                continue
            if polynomial.degree() != 1 or polynomial.free_symbols != {size}:
                continue
            slope, offset = polynomial.all_coeffs()
            for constant in constants:
                meeting = (constant - offset) / slope
                if meeting.is_Rational:
                    yield size, int(sp.floor(meeting))


def index_assignments(
    setting: Setting, free: list[sp.Symbol], shape: dict[sp.Symbol, int], rng: random.Random
) -> list[dict[sp.Symbol, int]]:
    """Values of the free indices: all equal, all different, all in the middle, and one more
    in turn.

    The two first assignments put the indices at the first positions; the third puts each at
    the middle of its range (i = k = 3 of 5: a term that is wrong only away from both ends);
    the fourth is, in turn, all at the last position, all different counted from the end, or a
    random choice. (For ranges of one or two, the middle is the first position.)
    """
    if not free:
        return [{}]
    top = {index: shape[setting.indices[index].size] for index in free}
    equal = dict.fromkeys(free, 1)
    distinct = {index: min(position + 1, top[index]) for position, index in enumerate(free)}
    middle = {index: (top[index] + 1) // 2 for index in free}
    last = dict(top)
    reverse = {index: max(top[index] - position, 1) for position, index in enumerate(free)}
    chosen = {index: rng.randint(1, top[index]) for index in free}
    fourth = (last, reverse, chosen)[sum(shape.values()) % 3]
    return [equal, distinct, middle, fourth]


def delta_assignments(
    setting: Setting, free: list[sp.Symbol], shape: dict[sp.Symbol, int],
    deltas: Sequence[tuple[sp.Expr, sp.Expr]],
) -> list[dict[sp.Symbol, int]]:
    """Index values where δ(a, b) switches on: a = b solved for one free index (i = k + 2),
    the other free indices all different, when the solution lies in the index's range."""
    if not free:
        return []
    top = {index: shape[setting.indices[index].size] for index in free}
    base = {index: min(position + 1, top[index]) for position, index in enumerate(free)}
    found = []
    for a, b in deltas:
        for index in free:
            others = {other: sp.Integer(value) for other, value in base.items() if other != index}
            with sp.evaluate(True):
                difference = sp.expand((a - b).xreplace(others))
                slope = difference.diff(index)
            if slope not in (1, -1) or difference.free_symbols != {index}:
                continue
            value = -difference.xreplace({index: 0}) / slope
            if value.is_Integer and 1 <= value <= top[index]:
                found.append(base | {index: int(value)})
    return found


def switch_arguments(expr: sp.Basic) -> list[sp.Expr]:
    """The expressions whose sign switches a piece of ``expr``: u in |u|, a − b in max(a, b), ..."""
    found: list[sp.Expr] = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Abs | sp.sign | sp.Heaviside):
            found.append(node.args[0])
        elif isinstance(node, sp.floor | sp.ceiling | sp.frac):
            # A step at every integer: two of them, at 0 and at 1, with points beside each.
            found += [node.args[0], node.args[0] - 1]
        elif isinstance(node, sp.Max | sp.Min):
            found += [a - b for n, a in enumerate(node.args) for b in node.args[n + 1 :]]
        elif isinstance(node, sp.Piecewise):
            for _, condition in node.args:
                found += [rel.lhs - rel.rhs for rel in _relations(condition)]
    return list(dict.fromkeys(found))


def _relations(condition: sp.Basic) -> Iterator[sp.core.relational.Relational]:
    if isinstance(condition, sp.core.relational.Relational):
        yield condition
    elif isinstance(condition, sp.Basic):
        for arg in condition.args:
            yield from _relations(arg)


def switch_points(
    argument: sp.Expr, values: dict[sp.Basic, sp.Expr], unknowns: list[sp.Basic]
) -> list[tuple[sp.Basic, sp.Expr]]:
    """Unknowns and the exact values where ``argument`` is 0, the other unknowns at ``values``.

    The first unknown that ``argument`` depends on linearly is solved for exactly; that covers
    the kinks of ML's functions, |z|, max(z, 0), max(αz, z), a threshold z > c. Failing that, an
    argument small enough is solved by SymPy for its real roots (|r| ≤ 1 switches at r = ±1).
    """
    found = switch_point(argument, values, unknowns)
    if found is not None:
        return [found]
    for unknown in unknowns:
        reduced = _in_one_unknown(argument, values, unknown)
        if reduced is None or sp.count_ops(reduced) > 40:
            continue
        try:
            with sp.evaluate(True):
                roots = sp.solve(reduced, unknown)
        except (NotImplementedError, ValueError, TypeError):
            continue
        real = [root for root in roots if root.is_real and not root.free_symbols]
        if real:
            return [(unknown, root) for root in real[:4]]
    return []


def _in_one_unknown(argument: sp.Expr, values: dict[sp.Basic, sp.Expr], unknown: sp.Basic) -> sp.Expr | None:
    """``argument`` with every unknown but ``unknown`` at its value; None if it does not depend on it."""
    others = {atom: value for atom, value in values.items() if atom != unknown}
    with sp.evaluate(True):
        reduced = argument.xreplace(others)
    return reduced if scalar_unknowns(reduced) == {unknown} else None


def switch_point(
    argument: sp.Expr, values: dict[sp.Basic, sp.Expr], unknowns: list[sp.Basic]
) -> tuple[sp.Basic, sp.Expr] | None:
    """An unknown that ``argument`` depends on linearly, and the exact value where it is 0."""
    for unknown in unknowns:
        reduced = _in_one_unknown(argument, values, unknown)
        if reduced is None:
            continue
        with sp.evaluate(True):
            reduced = sp.expand(reduced)
            slope = reduced.diff(unknown)
            if slope.has(unknown) or slope.is_zero is not False:
                continue
            root = -reduced.xreplace({unknown: 0}) / slope
        if root.is_real is False or root.has(sp.zoo, sp.nan):
            continue
        return unknown, root
    return None


def around(root: sp.Expr) -> list[sp.Expr]:
    """A switch point, then points beside it on either side: 2⁻⁴⁰ and 2⁻⁶ away, both relative to
    the point and absolute (a threshold at 10⁻²⁰ next to a kink at 0 is found either way)."""
    size = sp.Abs(root)
    steps = [size / 2**40, sp.Integer(1) / 2**40, size / 2**6, sp.Integer(1) / 2**6]
    unique = list(dict.fromkeys(step for step in steps if step != 0))
    return [root] + [root + sign * step for step in unique for sign in (-1, 1)]
