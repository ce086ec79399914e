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
    ) -> Implementation:
        """The implementation of ``expr`` in ``setting``, or a :class:`CodegenError` saying
        what in it the generator cannot compile (see :mod:`gradbook.compilable`)."""
        problems = compile_problems(name, expr, arguments, vector_index, setting)
        if problems:
            raise CodegenError(
                f"{derivation}: cannot implement {name} ({source}): " + "; ".join(problems)
            )
        domains = tuple(setting.variables[argument_name(arg)].domain for arg in arguments)
        length = setting.indices[vector_index].size if vector_index is not None else None
        return cls(name, expr, arguments, vector_index, derivation, source, doc, domains, length)
