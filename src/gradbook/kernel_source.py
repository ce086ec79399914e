"""The source text of the NumPy kernels module, printed from the checked derivations.

Each derivation that ends in a computable form marks it with ``Derivation.implement``; this
module prints every such expression as a NumPy function into ``gradbook/kernels.py``. The
statements are emitted by :mod:`gradbook.kernel_printer`, after two rewrites here:

* expressions over a vector index (``z[k]``, ``Σ_j exp(z[j])``) are lowered to whole-array
  operations along the last axis, so the generated code has no Python loop over classes;
* notation functions (σ, softplus) stay as they are and print as calls of the kernels of the
  same name, which the module defines itself from their stable derivations.

Common subexpressions are hoisted with ``sympy.cse``: without it exp(z) is computed twice.

Every kernel also gets a *blocked driver*, ``<kernel>_blocks``: the kernel run over blocks of
rows (of values, for an elementwise kernel) small enough for their temporaries to stay in the
processor's cache, on every core when the input is large (:mod:`gradbook.blocks`). What the
driver needs to know is read from the derivation: which arguments are vectors along the
kernel's axis, which argument is a shift that each block takes from its rows' largest entry,
and whether each result keeps that axis or sums it away.

Every kernel also has an Array API twin, ``<kernel>_xp``, for arrays of other libraries
(PyTorch, JAX, CuPy, Dask): the same statements written against the namespace of its arguments
(:class:`gradbook.kernel_printer.ArrayApiPrinter`), with ``<kernel>_xp_rows`` setting a declared
shift to each row's largest entry.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import sympy as sp

from gradbook.compilable import argument_name
from gradbook.implementation import Implementation, JointImplementation
from gradbook.kernel_printer import (
    ARRAY_API_SUFFIX,
    FULL,
    ROW,
    RowSum,
    array_api_statements,
    array_statements,
)

Kernel = Implementation | JointImplementation

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


def function_source(implementation: Kernel) -> str:
    """The Python source of one kernel, with a docstring naming its derivation."""
    arguments = [argument_name(arg) for arg in implementation.arguments]
    count = len(implementation.expressions)
    out = "out=None" if count == 1 else f"out={(None,) * count!r}"
    body, scratch = _kernel_body(implementation)
    parameters = [*arguments, out] + ([f"scratch={(None,) * scratch!r}"] if scratch else [])
    lines = [f"def {implementation.name}({', '.join(parameters)}):"]
    lines.append(f'    """{implementation.doc}')
    lines.append("")
    lines.append(f"    Derived in `{implementation.derivation}` ({implementation.source}).")
    if isinstance(implementation, JointImplementation):
        lines.append(f"    Returns the values of {_listed(implementation.part_names)}, in that order.")
    lines.append('    """')
    lines += [f"    {line}" for line in body]
    return "\n".join(lines)


def _kernel_body(implementation: Kernel) -> tuple[list[str], int]:
    """The kernel's statements and its number of scratch arrays (elementwise kernels only:
    a block of rows has temporaries of other shapes, such as its row sums)."""
    assignments, results = _common_subexpressions(implementation)
    elementwise = implementation.vector_index is None
    return array_statements(assignments, results, _full_arguments(implementation), elementwise)


def scratch_count(implementation: Kernel) -> int:
    """How many scratch arrays the kernel takes (see :func:`array_statements`)."""
    return _kernel_body(implementation)[1]


def _common_subexpressions(implementation: Kernel) -> tuple[list, list]:
    exprs = [lower_to_arrays(expr, implementation.vector_index) for expr in implementation.expressions]
    return sp.cse(exprs, symbols=sp.numbered_symbols("t"), order="none")


def array_api_source(implementation: Kernel) -> str:
    """The kernel ``<name>_xp``: the same statements against the Array API namespace of its
    arguments, each making a new array; for a kernel with a shift, also ``<name>_xp_rows``,
    which sets the shift to each row's largest entry."""
    name = f"{implementation.name}{ARRAY_API_SUFFIX}"
    arguments = [argument_name(arg) for arg in implementation.arguments]
    assignments, results = _common_subexpressions(implementation)
    body = array_api_statements(assignments, results, _full_arguments(implementation))
    lines = [
        f"def {name}({', '.join(arguments)}):",
        f'    """`{implementation.name}` on arrays of any Array API library."""',
        f"    xp = array_namespace({', '.join(arguments)})",
        *(f"    {line}" for line in body),
    ]
    if implementation.shift is not None:
        shift, vector = implementation.shift
        driver_arguments = ", ".join(implementation.driver_arguments)
        lines += [
            "",
            "",
            f"def {name}_rows({driver_arguments}):",
            f'    """`{name}` with {shift} the largest {vector} of each row."""',
            f"    xp = array_namespace({driver_arguments})",
            f"    {shift} = xp.max({vector}, axis=-1, keepdims=True)",
            *_array_api_peak(implementation),
            f"    return {name}({', '.join(arguments)})",
        ]
    return "\n".join(lines)


def driver_source(implementation: Kernel) -> str:
    """The blocked driver ``<kernel>_blocks`` of one kernel (see the module docstring)."""
    name = implementation.name
    arguments = implementation.driver_arguments
    shapes = tuple(_result_shape(implementation, expr) for expr in implementation.expressions)
    elementwise = implementation.vector_index is None
    unit = "values" if elementwise else "rows"
    doc = f"`{name}` over blocks of {unit}, on every core"
    if implementation.shift is not None:
        shift, vector = implementation.shift
        doc += f", with {shift} the largest {vector} of a row"
    if implementation.on_overflow is not None:
        doc += f"; a block where it overflows is computed by `{implementation.on_overflow}`"
    block = name if _calls_kernel_directly(implementation) else f"_{name}_block"
    scratch = scratch_count(implementation)
    spare = f", scratch={scratch}" if scratch else ""
    call = f"blocks.run({block}, ({', '.join(arguments)},), {shapes!r}, elementwise={elementwise}{spare})"
    out = "None" if len(shapes) == 1 else repr((None,) * len(shapes))
    lines = [
        f"def {name}_blocks({', '.join(arguments)}):",
        f'    """{doc}."""',
        f"    if blocks.fits_one_block({', '.join(arguments)}):",
        f"        return {block}({', '.join(arguments)}, out={out})",
        f"    return {call}",
    ]
    if not _calls_kernel_directly(implementation):
        lines += ["", "", *_block_source(implementation, scratch)]
    return "\n".join(lines)


def _calls_kernel_directly(implementation: Kernel) -> bool:
    """Whether the driver gives its blocks to the kernel itself: it has no shift or peak to make
    and no fallback to try."""
    return implementation.shift is None and implementation.on_overflow is None


def _block_source(implementation: Kernel, scratch: int) -> list[str]:
    """``_<kernel>_block``: one block's shift and peak made, then the kernel called on it; with a
    fallback, the kernel runs with overflow raising and a block that overflows is computed again
    by the fallback (which allocates its own temporaries)."""
    name = implementation.name
    spare = [f"scratch={(None,) * scratch!r}"] if scratch else []
    parameters = [*implementation.driver_arguments, "out", *spare]
    kernel_arguments = ", ".join(argument_name(arg) for arg in implementation.arguments)
    lines = [f"def _{name}_block({', '.join(parameters)}):"]
    if implementation.shift is not None:
        shift, vector = implementation.shift
        lines.append(f"    {shift} = numpy.maximum.reduce({vector}, axis=-1, keepdims=True)")
        lines += _numpy_peak(implementation)
    call = f"{name}({kernel_arguments}, out=out{', scratch=scratch' if scratch else ''})"
    if implementation.on_overflow is None:
        return [*lines, f"    return {call}"]
    return [
        *lines,
        "    try:",
        '        with numpy.errstate(over="raise"):',
        f"            return {call}",
        "    except FloatingPointError:",
        f"        return {implementation.on_overflow}({kernel_arguments}, out=out)",
    ]


def _numpy_peak(implementation: Kernel) -> list[str]:
    """The statement that makes a declared peak: 1 at each row's first largest entry."""
    if implementation.peak is None:
        return []
    marker, vector = implementation.peak
    return [f"    {marker} = blocks.row_peaks({vector})"]


def _array_api_peak(implementation: Kernel) -> list[str]:
    """The same in the Array API: the positions along the row compared with the argmax."""
    if implementation.peak is None:
        return []
    marker, vector = implementation.peak
    positions = f"xp.arange({vector}.shape[-1])"
    largest = f"xp.argmax({vector}, axis=-1, keepdims=True)"
    return [f"    {marker} = xp.astype({positions} == {largest}, {vector}.dtype)"]


def _result_shape(implementation: Kernel, expr: sp.Expr) -> str:
    """``full`` for a result along the kernel's axis (or elementwise), ``row`` for a reduction."""
    index = implementation.vector_index
    return FULL if index is None or index in expr.free_symbols else ROW


def _listed(names: tuple[str, ...]) -> str:
    quoted = [f"`{name}`" for name in names]
    return ", ".join(quoted[:-1]) + f" and {quoted[-1]}"


def _full_arguments(implementation: Kernel) -> set[str]:
    """The arguments that span the whole array: all of an elementwise kernel's, and the vectors
    of a kernel over a vector index (its other arguments, such as the shift c, are per row)."""
    arguments = implementation.arguments
    if implementation.vector_index is not None:
        arguments = [arg for arg in arguments if isinstance(arg, sp.IndexedBase)]
    return {argument_name(arg) for arg in arguments}


def module_source(implementations: list[Kernel]) -> str:
    """The whole kernels module: a header that says how it was made, then each kernel and its
    blocked driver."""
    functions = [
        f"{function_source(impl)}\n\n\n{driver_source(impl)}\n\n\n{array_api_source(impl)}"
        for impl in implementations
    ]
    body = "\n\n\n".join(functions)
    digest = hashlib.sha256(body.encode()).hexdigest()[:16]
    sources = sorted({impl.source for impl in implementations})
    header = [
        '"""NumPy kernels generated from gradbook\'s checked derivations. Do not edit.',
        "",
        "Regenerate with `gradbook generate`; the test suite fails if this file differs from",
        "what the derivations produce. Before writing it, `gradbook generate` ran every kernel",
        "and its blocked driver on read-only inputs from the declared domains and compared",
        "them with the checked expressions. The kernels take floating-point arrays of at least",
        "one dimension and write only into arrays they allocate or are given as `out`; call",
        "them through `gradbook.functions`, which checks the arguments. Each kernel `<name>`",
        "has a twin `<name>_xp` for the arrays of other libraries, written against their",
        "Array API namespace (array-api-compat), checked in the same way. Made from:",
        "",
        *(f"* {source}" for source in sources),
        "",
        f"Content hash {digest}.",
        '"""',
        "",
        "import numpy",
        "",
        "from gradbook import blocks",
        "from gradbook.array_api import array_namespace",
        "",
        "",
        "",
    ]
    return "\n".join(header) + body + "\n"
