"""What a derivation asks to compile: an expression, the kernel's name, arguments and domains.

``Derivation.implement`` makes an :class:`Implementation`; it is refused at once if the kernel
generator cannot compile it (:mod:`gradbook.compilable`). :mod:`gradbook.kernel_source` prints
it and :mod:`gradbook.kernel_check` runs the printed kernel against it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from gradbook.compilable import argument_name, compile_problems
from gradbook.domains import Domain
from gradbook.errors import CodegenError
from gradbook.setting import Setting


@dataclass(frozen=True)
class Implementation:
    """An expression to compile: ``name(*arguments)``, lowered along ``vector_index``.

    ``domains`` (one per argument) and ``vector_length`` (the size ``vector_index`` runs to)
    are what ``gradbook generate`` samples when it runs the kernel against ``expr``; without
    domains every argument is drawn from the real line.
    """

    name: str
    expr: sp.Expr
    arguments: tuple[sp.Basic, ...]
    vector_index: sp.Symbol | None
    derivation: str
    source: str
    doc: str
    domains: tuple[Domain, ...] = ()
    vector_length: sp.Symbol | None = None
    #: ``(s, z)`` when the argument ``s`` is a shift of the vector ``z`` that the kernel's value
    #: does not depend on (the derivation shows it for any real s): the blocked driver of the
    #: kernel then takes no ``s`` and uses the largest entry of each row of ``z``.
    shift: tuple[str, str] | None = None
    #: ``(w, z)`` when the vector argument ``w`` marks each row's largest ``z``: 1 at the first
    #: largest entry and 0 elsewhere. The derivation shows the value for any w that sums to 1;
    #: the driver takes no ``w`` and makes it, so that Σ(e − w) leaves out a term of exactly 1
    #: and keeps what lies below half an ulp of it.
    peak: tuple[str, str] | None = None
    #: The kernel that computes a block where this one overflows (see :func:`fallback_problems`).
    on_overflow: str | None = None

    @property
    def expressions(self) -> tuple[sp.Expr, ...]:
        """What the kernel returns: one expression."""
        return (self.expr,)

    @property
    def driver_arguments(self) -> list[str]:
        """The parameters of the blocked driver: the kernel's, without a declared shift or peak."""
        return _driver_arguments(self.arguments, self.shift, self.peak)

    @classmethod
    def checked(
        cls,
        name: str,
        expr: sp.Expr,
        arguments: tuple[sp.Basic, ...],
        vector_index: sp.Symbol | None,
        setting: Setting,
        derivation: str,
        source: str,
        doc: str,
        shift: tuple[sp.Basic, sp.Basic] | None = None,
        peak: tuple[sp.Basic, sp.Basic] | None = None,
        on_overflow: str | None = None,
    ) -> Implementation:
        """The implementation of ``expr`` in ``setting``, or a :class:`CodegenError` saying
        what in it the generator cannot compile (see :mod:`gradbook.compilable`)."""
        problems = compile_problems(name, expr, arguments, vector_index, setting)
        problems += _shift_problems(shift, arguments, vector_index)
        problems += _peak_problems(peak, shift, arguments)
        if problems:
            raise CodegenError(
                f"{derivation}: cannot implement {name} ({source}): " + "; ".join(problems)
            )
        domains = tuple(setting.variables[argument_name(arg)].domain for arg in arguments)
        length = setting.indices[vector_index].size if vector_index is not None else None
        shift_names = None if shift is None else (argument_name(shift[0]), argument_name(shift[1]))
        peak_names = None if peak is None else (argument_name(peak[0]), argument_name(peak[1]))
        return cls(
            name, expr, arguments, vector_index, derivation, source, doc, domains, length,
            shift_names, peak_names, on_overflow,
        )


def _driver_arguments(
    arguments: tuple[sp.Basic, ...], shift: tuple[str, str] | None, peak: tuple[str, str] | None
) -> list[str]:
    made = {pair[0] for pair in (shift, peak) if pair is not None}
    return [name for name in (argument_name(arg) for arg in arguments) if name not in made]


def _peak_problems(
    peak: tuple[sp.Basic, sp.Basic] | None,
    shift: tuple[sp.Basic, sp.Basic] | None,
    arguments: tuple[sp.Basic, ...],
) -> list[str]:
    """A peak marks the largest entries of the vector the kernel's shift shifts."""
    if peak is None:
        return []
    if len(peak) != 2:
        return ["peak must be a pair (w, z): the marking vector and the vector it marks"]
    marker, vector = peak
    names = {argument_name(arg) for arg in arguments}
    if not isinstance(marker, sp.IndexedBase) or argument_name(marker) not in names:
        return [f"the peak {marker} is not a vector argument of the kernel"]
    if shift is None or len(shift) != 2 or vector != shift[1]:
        return [f"a peak needs a shift of the same vector: shift=(s, {vector})"]
    return []


def _shift_problems(
    shift: tuple[sp.Basic, sp.Basic] | None, arguments: tuple[sp.Basic, ...], vector_index: sp.Symbol | None
) -> list[str]:
    """A shift must be a scalar argument of a kernel over a vector index, shifting a vector one."""
    if shift is None:
        return []
    if len(shift) != 2:
        return ["shift must be a pair (s, z): the shift argument and the vector it shifts"]
    scalar, vector = shift
    names = {argument_name(arg) for arg in arguments}
    if vector_index is None:
        return ["shift needs a vector_index: the shift is taken from each row's largest entry"]
    if not isinstance(scalar, sp.Symbol) or argument_name(scalar) not in names:
        return [f"the shift {scalar} is not a scalar argument of the kernel"]
    if not isinstance(vector, sp.IndexedBase) or argument_name(vector) not in names:
        return [f"the shifted {vector} is not a vector argument of the kernel"]
    return []


@dataclass(frozen=True)
class JointImplementation:
    """One kernel that computes several implemented expressions together, sharing their work.

    A cost and its gradient share most of their operations (the exponential of the logit, the
    shifted scores and their row sums); computing them in one pass over the data reads it once.
    The parts are other kernels' implementations, named by the derivation that joins them and
    found among all the derivations when the kernels module is generated; each part is checked
    like any kernel, and the joint kernel is checked against every part's expression.
    """

    name: str
    part_names: tuple[str, ...]
    derivation: str
    source: str
    doc: str
    parts: tuple[Implementation, ...] = ()
    on_overflow: str | None = None

    def resolved(self, implementations: dict[str, Implementation]) -> JointImplementation:
        """This joint kernel with its parts looked up by name; CodegenError if they do not fit."""
        missing = [name for name in self.part_names if name not in implementations]
        if missing:
            raise CodegenError(
                f"{self.derivation}: the joint kernel {self.name} ({self.source}) names kernels that "
                f"no derivation implements: {', '.join(missing)}"
            )
        parts = tuple(implementations[name] for name in self.part_names)
        indices = {str(part.vector_index) if part.vector_index is not None else None for part in parts}
        shifts = {part.shift for part in parts}
        peaks = {part.peak for part in parts} - {None}
        if len(indices) > 1 or len(shifts) > 1 or len(peaks) > 1:
            raise CodegenError(
                f"{self.derivation}: the joint kernel {self.name} ({self.source}) joins kernels that "
                "do not run along the same axis with the same shift"
            )
        return JointImplementation(
            self.name, self.part_names, self.derivation, self.source, self.doc, parts, self.on_overflow
        )

    @property
    def expressions(self) -> tuple[sp.Expr, ...]:
        return tuple(part.expr for part in self.parts)

    @property
    def arguments(self) -> tuple[sp.Basic, ...]:
        """Every part's arguments, each name once, in the order they first appear."""
        seen: dict[str, sp.Basic] = {}
        for part in self.parts:
            for argument in part.arguments:
                seen.setdefault(argument_name(argument), argument)
        return tuple(seen.values())

    @property
    def domains(self) -> tuple[Domain, ...]:
        """The domain of each argument: the narrowest a part declares (the intersection is what
        every part's check covered)."""
        found: dict[str, Domain] = {}
        for part in self.parts:
            for argument, domain in zip(part.arguments, part.domains or (), strict=False):
                found.setdefault(argument_name(argument), domain)
        return tuple(found[argument_name(argument)] for argument in self.arguments)

    @property
    def vector_index(self) -> sp.Symbol | None:
        return self.parts[0].vector_index

    @property
    def vector_length(self) -> sp.Symbol | None:
        return self.parts[0].vector_length

    @property
    def shift(self) -> tuple[str, str] | None:
        return self.parts[0].shift

    @property
    def peak(self) -> tuple[str, str] | None:
        """The peak of the parts that declare one (a part without it does not take it)."""
        return next((part.peak for part in self.parts if part.peak is not None), None)

    @property
    def driver_arguments(self) -> list[str]:
        return _driver_arguments(self.arguments, self.shift, self.peak)


def fallback_problems(
    kernel: Implementation | JointImplementation, by_name: dict[str, Implementation | JointImplementation]
) -> list[str]:
    """Why ``kernel.on_overflow`` cannot stand in for ``kernel``; empty if it can.

    A kernel of a short form may overflow where a longer one does not: Σ y·(z − s) meets −inf
    for a row of scores 10³⁰⁸ apart, which the longer split form never computes. Its driver then
    runs each block with overflow raising and computes a block that overflowed with the
    fallback. The fallback takes the same arguments, returns as many values along the same
    axis, and has no fallback of its own: one retry, never a cycle.
    """
    name = kernel.on_overflow
    if name is None:
        return []
    fallback = by_name.get(name)
    if fallback is None:
        return [f"on_overflow names {name}, which no derivation implements"]
    if name == kernel.name:
        return [f"{name} cannot be its own fallback"]
    if fallback.on_overflow is not None:
        return [f"the fallback {name} has a fallback of its own; one is tried, never a chain"]
    same = (
        [argument_name(a) for a in fallback.arguments] == [argument_name(a) for a in kernel.arguments]
        and len(fallback.expressions) == len(kernel.expressions)
        and str(fallback.vector_index) == str(kernel.vector_index)
        and (fallback.shift, fallback.peak) == (kernel.shift, kernel.peak)
    )
    if not same:
        return [
            f"the fallback {name} does not take the same arguments, shift and peak, or return as "
            "many values along the same axis"
        ]
    return []
