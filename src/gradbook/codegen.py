"""Generating the NumPy kernels module from the checked derivations.

Each derivation that ends in a computable form marks it with ``Derivation.implement``; this
module prints every such expression as a NumPy function into ``gradbook/kernels.py``. The
statements are emitted by :mod:`gradbook.arraycode`, after two rewrites here:

* expressions over a vector index (``z[k]``, ``Σ_j exp(z[j])``) are lowered to whole-array
  operations along the last axis, so the generated code has no Python loop over classes;
* notation functions (σ, softplus) stay as they are and print as calls of the kernels of the
  same name, which the module defines itself from their stable derivations.

Common subexpressions are hoisted with ``sympy.cse``: without it exp(z) is computed twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import sympy as sp

from gradbook.arraycode import RowSum, array_statements
from gradbook.compilable import argument_name, compile_problems
from gradbook.domains import Domain
from gradbook.errors import CodegenError
from gradbook.setting import Setting

KERNELS_PATH = Path(__file__).with_name("kernels.py")


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


def lower_to_arrays(expr: sp.Expr, vector_index: sp.Symbol | None) -> sp.Expr:
    """Rewrite ``z[k]`` as the array ``z`` and ``Σ_j f(z[j])`` as ``RowSum(f(z))``.

    Valid because the free index ``k`` and every summed index range over the same last axis
    (:mod:`gradbook.compilable` refuses anything else). Sums are replaced innermost first, so a
    sum inside a sum is lowered too.
    """
    if vector_index is None:
        return expr
    sums = expr.replace(lambda node: isinstance(node, sp.Sum), lambda total: RowSum(total.function))
    return _arrays_of(sums)


def _arrays_of(expr: sp.Expr) -> sp.Expr:
    return expr.replace(
        lambda node: isinstance(node, sp.Indexed),
        lambda node: sp.Symbol(str(node.base.label), real=True),
    )


def function_source(implementation: Implementation) -> str:
    """The Python source of one kernel, with a docstring naming its derivation."""
    expr = lower_to_arrays(implementation.expr, implementation.vector_index)
    arguments = [argument_name(arg) for arg in implementation.arguments]
    assignments, (result,) = sp.cse(expr, symbols=sp.numbered_symbols("t"), order="none")
    lines = [f"def {implementation.name}({', '.join(arguments)}):"]
    lines.append(f'    """{implementation.doc}')
    lines.append("")
    lines.append(f"    Derived in `{implementation.derivation}` ({implementation.source}).")
    lines.append('    """')
    body = array_statements(assignments, result, _full_arguments(implementation))
    lines += [f"    {line}" for line in body]
    return "\n".join(lines)


def _full_arguments(implementation: Implementation) -> set[str]:
    """The arguments that span the whole array: all of an elementwise kernel's, and the vectors
    of a kernel over a vector index (its other arguments, such as the shift c, are per row)."""
    arguments = implementation.arguments
    if implementation.vector_index is not None:
        arguments = [arg for arg in arguments if isinstance(arg, sp.IndexedBase)]
    return {argument_name(arg) for arg in arguments}


def module_source(implementations: list[Implementation]) -> str:
    """The whole kernels module: a header that says how it was made, then each kernel."""
    functions = [function_source(impl) for impl in implementations]
    body = "\n\n\n".join(functions)
    digest = hashlib.sha256(body.encode()).hexdigest()[:16]
    sources = sorted({impl.source for impl in implementations})
    header = [
        '"""NumPy kernels generated from gradbook\'s checked derivations. Do not edit.',
        "",
        "Regenerate with `gradbook generate`; the test suite fails if this file differs from",
        "what the derivations produce. Before writing it, `gradbook generate` ran every kernel",
        "on read-only inputs from the declared domains and compared it with its checked",
        "expression. The kernels take floating-point arrays of at least one dimension and write",
        "only into arrays they allocate; call them through `gradbook.functions`, which checks",
        "the arguments. Made from:",
        "",
        *(f"* {source}" for source in sources),
        "",
        f"Content hash {digest}.",
        '"""',
        "",
        "import numpy",
        "",
        "",
        "",
    ]
    return "\n".join(header) + body + "\n"
