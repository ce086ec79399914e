"""What the kernel generator can compile, checked when a derivation calls ``implement()``.

The generator prints an expression over scalars as elementwise NumPy code, and an expression
over one vector index (``p_k − y_k`` with sums ``Σ_j`` over the same range) as whole-array code
along the last axis. Anything else would print as code that runs and computes something else,
or does not run at all: a matrix product printed as an elementwise product, a second free index
dropped, a size ``n`` printed as an undefined name, ``lambda`` as a parameter. So it is refused
here, at the call, with a message that says what is not supported.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator, Sequence

import sympy as sp
from sympy.codegen.cfunctions import expm1, log1p

from gradbook.notation import NOTATION, NotationFunction
from gradbook.setting import Setting

#: Names the generated code defines itself: temporaries, common subexpressions, the modules it
#: imports, the Array API namespace ``xp`` and a kernel's ``out`` and ``scratch`` parameters.
GENERATED_NAME = re.compile(r"[at]\d+|numpy|blocks|xp|array_namespace|out|scratch")
#: The endings of the functions generated beside each kernel: its blocked driver and its Array
#: API twins. A kernel named with one would clash with another kernel's.
GENERATED_ENDING = re.compile(r".*_(blocks|xp|xp_rows)")
#: Functions with a NumPy ufunc of the same meaning.
ELEMENTARY = (
    sp.exp, sp.log, log1p, expm1, sp.Abs, sp.Min, sp.Max,
    sp.sin, sp.cos, sp.tan, sp.sinh, sp.cosh, sp.tanh,
)
ARITHMETIC = (sp.Add, sp.Mul, sp.Pow)


def compile_problems(
    name: str,
    expr: sp.Expr,
    arguments: Sequence[sp.Basic],
    vector_index: sp.Symbol | None,
    setting: Setting,
) -> list[str]:
    """Why the generator cannot compile ``expr`` as ``name(*arguments)``; empty if it can.

    The checks run in order and stop at the first group that finds something: once an argument
    is unusable, the rest would only repeat it.
    """
    checks = (
        lambda: list(_name_problems(name)),
        lambda: list(_matrix_form_problems(expr)),
        lambda: list(_argument_problems(name, arguments, vector_index, setting)),
        lambda: list(_indexing_form_problems(expr, vector_index, setting)),
        lambda: list(_construct_problems(expr)),
        lambda: list(_symbol_problems(expr, arguments)),
    )
    for check in checks:
        problems = check()
        if problems:
            return problems
    return []


def argument_name(argument: sp.Basic) -> str:
    """The parameter name of a kernel argument: a symbol's name, or a vector's label."""
    if isinstance(argument, sp.IndexedBase):
        return str(argument.label)
    return str(argument)


# -- names -----------------------------------------------------------------------------------


def _name_problems(name: str) -> Iterator[str]:
    if not name.isidentifier() or keyword.iskeyword(name):
        yield f"the kernel name {name!r} is not a Python identifier"
    elif GENERATED_NAME.fullmatch(name):
        yield f"the kernel name {name!r} clashes with a name the generated code uses"
    elif GENERATED_ENDING.fullmatch(name):
        yield (
            f"the kernel name {name!r} ends as the functions generated beside a kernel do "
            "(_blocks, _xp, _xp_rows); choose another"
        )


def _argument_problems(
    name: str, arguments: Sequence[sp.Basic], vector_index: sp.Symbol | None, setting: Setting
) -> Iterator[str]:
    names = [argument_name(argument) for argument in arguments]
    for duplicate in sorted({n for n in names if names.count(n) > 1}):
        yield f"the argument {duplicate} is given twice"
    for argument in arguments:
        yield from _one_argument_problems(argument, name, vector_index, setting)


def _one_argument_problems(
    argument: sp.Basic, kernel: str, vector_index: sp.Symbol | None, setting: Setting
) -> Iterator[str]:
    if not isinstance(argument, sp.Symbol | sp.IndexedBase):
        yield f"the argument {argument} is not a symbol or a vector; pass the declared variables"
        return
    name = argument_name(argument)
    if keyword.iskeyword(name):
        yield (
            f"the argument {name!r} is a Python keyword, which cannot name a parameter; "
            "declare it under another name"
        )
    elif not name.isidentifier():
        yield f"the argument {name!r} is not a Python identifier"
    elif GENERATED_NAME.fullmatch(name) or name == kernel or name in _notation_names():
        yield (
            f"the argument {name!r} clashes with a name the generated code uses (temporaries "
            "a0, t0, ..., numpy, blocks, xp, array_namespace, out, scratch, the kernel's own name, the "
            "notation functions' kernels)"
        )
    variable = setting.variables.get(name)
    if variable is None:
        yield (
            f"the argument {name} is not a declared variable (declare it with real(), scalar() "
            "or vector(); sizes and indices are not arguments)"
        )
    elif len(variable.shape) > 1:
        yield (
            f"the argument {name} is a matrix; kernels take scalars and vectors, and matrix "
            "products are not supported"
        )
    elif variable.shape and vector_index is None:
        yield f"the argument {name} is a vector, but no vector_index says which axis the kernel runs along"


def _notation_names() -> set[str]:
    return {function.__name__ for function in NOTATION}


# -- the form: elementwise, or along one vector index ----------------------------------------


def _matrix_form_problems(expr: sp.Expr) -> Iterator[str]:
    if isinstance(expr, sp.MatrixExpr) or expr.atoms(sp.MatrixSymbol):
        yield (
            "the expression is in matrix form (matrix products and transposes such as Xᵀ(Xθ − y)); "
            "the generator compiles scalar and single-vector-index forms only: implement the "
            "indexed form, or write the matrix algebra by hand in gradbook.functions"
        )


def _indexing_form_problems(
    expr: sp.Expr, vector_index: sp.Symbol | None, setting: Setting
) -> Iterator[str]:
    if vector_index is not None and vector_index not in setting.indices:
        yield f"vector_index {vector_index} is not a declared index"
        return
    length = setting.indices[vector_index].size if vector_index is not None else None
    yield from _indexing_problems(expr, vector_index, length, setting)


def _indexing_problems(
    expr: sp.Basic, axis: sp.Symbol | None, length: sp.Symbol | None, setting: Setting
) -> Iterator[str]:
    """Every vector entry must be indexed by ``axis``: the vector index at the top, the summed
    index inside a sum. Only then is lowering ``z[k] → z`` and ``Σ_j → sum(axis=-1)`` exact."""
    if isinstance(expr, sp.Indexed):
        yield from _entry_problems(expr, axis, length, setting)
    elif isinstance(expr, sp.Sum):
        yield from _sum_problems(expr, length, setting)
    else:
        for arg in expr.args:
            yield from _indexing_problems(arg, axis, length, setting)


def _entry_problems(
    entry: sp.Indexed, axis: sp.Symbol | None, length: sp.Symbol | None, setting: Setting
) -> Iterator[str]:
    if len(entry.indices) != 1:
        yield f"{entry} has {len(entry.indices)} indices; matrix entries are not supported"
        return
    if axis is None:
        yield f"the expression has the vector entry {entry}, but no vector_index was given"
        return
    (index,) = entry.indices
    if index != axis:
        yield (
            f"{entry} is indexed by {index} where the kernel runs along {axis}; several free "
            "indices, or another index inside a sum, are not supported"
        )
    variable = setting.variables.get(str(entry.base.label))
    if variable is not None and variable.shape != (length,):
        shape = ", ".join(map(str, variable.shape))
        yield f"{entry.base} has length {shape}, not {length}, the length along {axis}"


def _sum_problems(total: sp.Sum, length: sp.Symbol | None, setting: Setting) -> Iterator[str]:
    if length is None:
        yield f"the expression has the sum {total}, but no vector_index says which axis it runs along"
        return
    if len(total.limits) != 1:
        yield f"the sum {total} runs over several indices; write one sum per index"
        return
    index, lower, upper = total.limits[0]
    if lower != 1 or upper != length:
        yield (
            f"the sum {total} runs over {index} from {lower} to {upper}; only sums over the "
            f"kernel's axis, from 1 to {length}, are supported (not over another axis or part of it)"
        )
        return
    if not _has_entry_along(total.function, index):
        yield f"the summand of {total} has no entry indexed by {index}; a constant summand is not supported"
    yield from _indexing_problems(total.function, index, length, setting)


def _has_entry_along(expr: sp.Basic, index: sp.Symbol) -> bool:
    """Whether ``expr`` has an entry ``v[index]`` outside any inner sum."""
    if isinstance(expr, sp.Indexed):
        return expr.indices == (index,)
    if isinstance(expr, sp.Sum):
        return False
    return any(_has_entry_along(arg, index) for arg in expr.args)


# -- what can be printed ---------------------------------------------------------------------


def _construct_problems(expr: sp.Basic) -> Iterator[str]:
    """Constructs with no NumPy form in the generator: Piecewise, KroneckerDelta, Derivative, ..."""
    if isinstance(expr, sp.Indexed | sp.Symbol | sp.Number) or expr in (sp.pi, sp.E):
        return
    if isinstance(expr, sp.Sum):
        yield from _construct_problems(expr.function)
        return
    if isinstance(expr, NotationFunction) and not expr.has_kernel:
        yield f"{expr.unicode_name} ({expr}) has no kernel; write out its definition before implementing"
        return
    supported = isinstance(expr, (*ARITHMETIC, NotationFunction)) or expr.func in ELEMENTARY
    if not supported:
        yield f"{type(expr).__name__} ({expr}) has no NumPy form in the kernel generator"
        return
    for arg in expr.args:
        yield from _construct_problems(arg)


def _symbol_problems(expr: sp.Basic, arguments: Sequence[sp.Basic]) -> Iterator[str]:
    given = {argument_name(argument) for argument in arguments}
    used = _names_used(expr)
    missing = sorted(used - given)
    if missing:
        yield (
            f"the expression uses {', '.join(missing)}, which the kernel does not take as "
            f"argument(s) ({', '.join(sorted(given)) or 'none'}); a size or an index cannot be used "
            "as a number in a kernel"
        )


def _names_used(expr: sp.Basic) -> set[str]:
    """The names the kernel needs: symbols and vector labels, not indices or sum ranges."""
    if isinstance(expr, sp.Indexed):
        return {str(expr.base.label)}
    if isinstance(expr, sp.Symbol):
        return {str(expr)}
    if isinstance(expr, sp.Sum):
        return _names_used(expr.function)
    return set().union(*(_names_used(arg) for arg in expr.args))
