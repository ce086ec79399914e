"""The source text of the NumPy kernels module, printed from the checked derivations.

Each derivation that ends in a computable form marks it with ``Derivation.implement``; this
module prints every such expression as a NumPy function into ``gradbook/kernels.py``. The
statements are emitted by :mod:`gradbook.kernel_printer`, after two rewrites here:

* expressions over a vector index (``z[k]``, ``Σ_j exp(z[j])``) are lowered to whole-array
  operations along the last axis, so the generated code has no Python loop over classes;
* notation functions (σ, softplus) stay as they are and print as calls of the kernels of the
  same name, which the module defines itself from their stable derivations.

Common subexpressions are hoisted with ``sympy.cse``: without it exp(z) is computed twice.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import sympy as sp

from gradbook.compilable import argument_name
from gradbook.implementation import Implementation
from gradbook.kernel_printer import RowSum, array_statements

KERNELS_PATH = Path(__file__).with_name("kernels.py")


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
