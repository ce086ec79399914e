"""Every generated kernel is run against the expression it was generated from, before it is written.

Code generation is clever: it lowers indexed sums to array sums (:mod:`gradbook.kernel_source`), and
the emitter (:mod:`gradbook.kernel_printer`) writes into temporaries that have no use left. A mistake
there gives code that runs and returns plausible numbers. So ``gradbook generate`` executes the
new module and, for every kernel, draws arguments from the declared domains at several vector
lengths with a batch axis, makes them read-only (a write into an input raises), and compares the
result with the same expression evaluated independently: SymPy ``lambdify`` into mpmath at 50
digits, with the sums written out term by term and every notation function replaced by its
definition. In that precision the naive textbook form does not overflow, so the reference is the
exact value for the float64 inputs. A kernel that disagrees, writes into an input, returns one
of its inputs or uses a name the module does not define is refused with a :class:`CodegenError`.
"""

from __future__ import annotations

import random
import symtable
import zlib
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import NoReturn

import mpmath
import numpy as np
import sympy as sp

from gradbook import blocks, domains
from gradbook.compilable import argument_name
from gradbook.errors import CodegenError
from gradbook.implementation import Implementation, JointImplementation
from gradbook.kernel_printer import ARRAY_API_SUFFIX
from gradbook.notation import unfold

#: Vector lengths (and, for elementwise kernels, row lengths) every kernel is run at.
LENGTHS = (1, 3, 7)
#: Rows of the batch axis.
BATCH = 4
#: Float64 kernels of stable forms agree with the exact value far closer than this.
RTOL, ATOL = 1e-9, 1e-12
DIGITS = 50
#: The largest magnitude drawn. This check is about the code being the expression; whether a
#: kernel stays accurate at extreme inputs (its stable form) is tested against mpmath elsewhere,
#: and a kernel of a form that is only stable for some arguments (softmax shifted by any c) must
#: not be refused for overflowing where its caller never puts it.
LARGEST = 30.0
#: How a blocked driver is run besides its small-input path: one row (or value) per block, the
#: blocks shared between two threads, an elementwise kernel's temporaries written into the part
#: of the result that the next blocks fill.
MANY_BLOCKS_ON_TWO_THREADS = {
    "block_values": 1, "elementwise_block_values": 1, "parallel_from": 0, "threads": 2,
    "smallest_spare_block": 1,
}


Kernel = Implementation | JointImplementation


def check_module(source: str, implementations: Sequence[Kernel]) -> None:
    """Run every kernel of the module ``source`` against its implementation's expression."""
    names = [impl.name for impl in implementations]
    for name in sorted({name for name in names if names.count(name) > 1}):
        sources = sorted({impl.source for impl in implementations if impl.name == name})
        raise CodegenError(f"two kernels are called {name} ({', '.join(sources)}); rename one")
    namespace = _execute(source)
    globals_used = _globals_used(source)
    for implementation in implementations:
        for function in (implementation.name, f"{implementation.name}{ARRAY_API_SUFFIX}"):
            undefined = sorted(globals_used.get(function, set()) - namespace.keys())
            if undefined:
                raise _refusal(
                    implementation,
                    f"{function} uses name(s) the module does not define: {', '.join(undefined)}",
                )
        check_kernel(namespace, implementation)
        check_array_api_twin(namespace, implementation)


def check_kernel(namespace: MutableMapping[str, object], implementation: Kernel) -> None:
    """Refuse the kernel ``implementation.name`` in ``namespace``, or its blocked driver, unless
    they compute its expressions.

    The driver is run twice on the same inputs: as it runs for a large input (blocks of one row
    or one value, shared between two threads) and as it runs for a small one (one block).
    """
    kernel = namespace.get(implementation.name)
    driver = namespace.get(f"{implementation.name}_blocks")
    for function, what in ((kernel, "it"), (driver, "its blocked driver")):
        if not callable(function):
            raise _refusal(implementation, f"the generated module does not define {what}")
    if implementation.vector_index is not None and implementation.vector_length is None:
        raise _refusal(implementation, "it has a vector_index but no vector_length to check it at")
    rng = random.Random(zlib.crc32(f"{implementation.derivation}:{implementation.name}".encode()))
    for length in LENGTHS:
        inputs = _as_called(implementation, _draw_inputs(implementation, length, rng))
        _compare_all(implementation, inputs, _run(kernel, inputs, implementation), length)
        shifted = _with_row_maximum_shift(implementation, inputs)
        arguments = _driver_inputs(implementation, shifted)
        for plan in (MANY_BLOCKS_ON_TWO_THREADS, {}):
            with blocks.planned(**plan):
                got = _run(driver, arguments, implementation, "its blocked driver")
            _compare_all(implementation, shifted, got, length, "its blocked driver")
            if implementation.on_overflow is not None:
                what = f"its blocked driver on overflow (through {implementation.on_overflow})"
                with blocks.planned(**plan), _overflowing(namespace, implementation.name):
                    got = _run(driver, arguments, implementation, what)
                _compare_all(implementation, shifted, got, length, what)


@contextmanager
def _overflowing(namespace: MutableMapping[str, object], name: str) -> Iterator[None]:
    """The kernel ``name`` in ``namespace`` replaced by one that overflows on every call, so that
    its driver takes the route of a block that overflowed: the fallback's values must be the
    kernel's expressions too."""

    def overflow(*arguments: object, **keywords: object) -> NoReturn:
        raise FloatingPointError("overflow encountered (made by the check)")

    kernel = namespace[name]
    namespace[name] = overflow
    try:
        yield
    finally:
        namespace[name] = kernel


def check_array_api_twin(namespace: Mapping[str, object], implementation: Kernel) -> None:
    """Refuse the Array API twin ``<name>_xp`` of a kernel (and ``<name>_xp_rows`` of a kernel
    with a shift) unless it computes the kernel's expressions, on the inputs the NumPy kernel
    is checked on, given as arrays of :func:`reference_namespace`."""
    xp = reference_namespace()
    twin = namespace.get(f"{implementation.name}{ARRAY_API_SUFFIX}")
    rows = namespace.get(f"{implementation.name}{ARRAY_API_SUFFIX}_rows")
    if not callable(twin) or (implementation.shift is not None and not callable(rows)):
        raise _refusal(implementation, "the generated module does not define its Array API twin")
    rng = random.Random(zlib.crc32(f"{implementation.derivation}:{implementation.name}".encode()))
    for length in LENGTHS:
        inputs = _as_called(implementation, _draw_inputs(implementation, length, rng))
        got = _run_array_api(twin, inputs, implementation, xp, "its Array API twin")
        _compare_all(implementation, inputs, got, length, "its Array API twin")
        if rows is not None:
            shifted = _with_row_maximum_shift(implementation, inputs)
            arguments = _driver_inputs(implementation, shifted)
            got = _run_array_api(rows, arguments, implementation, xp, "its Array API twin by rows")
            _compare_all(implementation, shifted, got, length, "its Array API twin by rows")


def reference_namespace() -> ModuleType:
    """The Array API library the twins are checked on: array-api-strict, the standard's
    reference, which has nothing beyond the standard, so that a kernel relying on a
    NumPy-only function or behaviour is refused here rather than on a user's GPU."""
    try:
        import array_api_strict
    except ModuleNotFoundError as error:
        raise CodegenError(
            "checking the Array API kernels needs array-api-strict and array-api-compat "
            '(pip install "gradbook[test]")'
        ) from error
    return array_api_strict


def _run_array_api(
    kernel: Callable, inputs: list[np.ndarray], implementation: Kernel, xp: ModuleType, what: str
) -> tuple[np.ndarray, ...]:
    """What ``kernel`` returns on the inputs as arrays of ``xp``, as float64 NumPy arrays."""
    arrays = [xp.asarray(array) for array in inputs]
    try:
        with np.errstate(all="ignore"):
            returned = kernel(*arrays)
    except Exception as error:
        raise _refusal(implementation, f"{what} raises {type(error).__name__}: {error}") from error
    results = returned if isinstance(returned, tuple) else (returned,)
    for result in results:
        if not isinstance(result, type(arrays[0])):
            raise _refusal(implementation, f"{what} returns a {type(result).__name__}, not an array of xp")
    return tuple(np.asarray(result, dtype=np.float64) for result in results)


def _compare_all(
    implementation: Kernel, inputs: list[np.ndarray], got: tuple[np.ndarray, ...], length: int,
    what: str = "it",
) -> None:
    """Each result against the expression it computes, evaluated at 50 digits; ``what`` ran."""
    if len(got) != len(implementation.expressions):
        raise _refusal(
            implementation, f"{what} returns {len(got)} value(s), not {len(implementation.expressions)}"
        )
    for part, result in zip(_parts(implementation), got, strict=True):
        part_inputs = _inputs_of(part, implementation, inputs)
        _compare(part, part_inputs, result, _reference(part, length)(part_inputs), what)


def _parts(implementation: Kernel) -> tuple[Implementation, ...]:
    if isinstance(implementation, JointImplementation):
        return implementation.parts
    return (implementation,)


def _inputs_of(part: Implementation, kernel: Kernel, inputs: list[np.ndarray]) -> list[np.ndarray]:
    """The inputs of a joint kernel that one of its parts takes, in the part's order."""
    by_name = {argument_name(arg): array for arg, array in zip(kernel.arguments, inputs, strict=True)}
    return [by_name[argument_name(arg)] for arg in part.arguments]


def _as_called(implementation: Kernel, inputs: list[np.ndarray]) -> list[np.ndarray]:
    """The drawn inputs, or for a kernel with a peak the inputs its driver gives it.

    A peak w is only meaningful beside the shift it goes with: log1p(Σ(e − w)) is accurate
    where w marks the term that the shift makes exactly 1, and cancels (an absolute error of
    1e−10 in a loss of 1e−46) for an arbitrary s and w. The derivation holds for any of them;
    the kernel is only ever called with the driver's.
    """
    return inputs if implementation.peak is None else _with_row_maximum_shift(implementation, inputs)


def _with_row_maximum_shift(implementation: Kernel, inputs: list[np.ndarray]) -> list[np.ndarray]:
    """The inputs with a declared shift set to its row's largest entry, and a declared peak to
    1 at that entry, as the driver sets them."""
    if implementation.shift is None:
        return inputs
    shift, vector = implementation.shift
    names = [argument_name(arg) for arg in implementation.arguments]
    maximum = inputs[names.index(vector)].max(axis=-1, keepdims=True)
    maximum.flags.writeable = False
    made = {shift: maximum}
    if implementation.peak is not None:
        marker, marked = implementation.peak
        made[marker] = blocks.row_peaks(inputs[names.index(marked)])
        made[marker].flags.writeable = False
    return [made.get(name, array) for name, array in zip(names, inputs, strict=True)]


def _driver_inputs(implementation: Kernel, inputs: list[np.ndarray]) -> list[np.ndarray]:
    names = [argument_name(arg) for arg in implementation.arguments]
    return [inputs[names.index(name)] for name in implementation.driver_arguments]


def _execute(source: str) -> dict[str, object]:
    namespace: dict[str, object] = {"__name__": "gradbook_kernels_being_checked"}
    exec(compile(source, "<generated kernels>", "exec"), namespace)
    return namespace


def _globals_used(source: str) -> dict[str, set[str]]:
    """For each function of the module ``source``, the global names its body uses, read from the
    source's symbol table. Builtins count: a kernel needs none, and one it used by accident,
    such as ``sum``, would be wrong."""
    module = symtable.symtable(source, "<generated kernels>", "exec")
    return {
        table.get_name(): set(table.get_globals())
        for table in module.get_children()
        if isinstance(table, symtable.Function)
    }


# -- inputs ----------------------------------------------------------------------------------


def _draw_inputs(implementation: Implementation, length: int, rng: random.Random) -> list[np.ndarray]:
    """Read-only float64 arrays: vectors (BATCH, length), their per-row scalars (BATCH, 1);
    every argument of an elementwise kernel (BATCH, length)."""
    domains_ = implementation.domains or (domains.REAL,) * len(implementation.arguments)
    arrays = []
    for argument, domain in zip(implementation.arguments, domains_, strict=True):
        if isinstance(argument, sp.IndexedBase):
            rows = [domain.sample_vector(rng, length, LARGEST) for _ in range(BATCH)]
        elif implementation.vector_index is not None:
            rows = [[domain.sample(rng, LARGEST)] for _ in range(BATCH)]
        else:
            rows = [[domain.sample(rng, LARGEST) for _ in range(length)] for _ in range(BATCH)]
        array = np.array([[float(value) for value in row] for row in rows], dtype=np.float64)
        array.flags.writeable = False
        arrays.append(array)
    return arrays


# -- the kernel ------------------------------------------------------------------------------


def _run(
    kernel: Callable, inputs: list[np.ndarray], implementation: Kernel, what: str = "it"
) -> tuple[np.ndarray, ...]:
    """What ``kernel(*inputs)`` returns, as a tuple of float64 arrays."""
    try:
        with np.errstate(all="ignore"):
            returned = kernel(*inputs)
    except ValueError as error:
        if "read-only" in str(error):
            raise _refusal(implementation, f"{what} writes into one of its inputs ({error})") from error
        raise _refusal(implementation, f"{what} raises ValueError: {error}") from error
    except Exception as error:
        raise _refusal(implementation, f"{what} raises {type(error).__name__}: {error}") from error
    results = returned if isinstance(returned, tuple) else (returned,)
    names = [argument_name(arg) for arg in implementation.arguments]
    if len(inputs) != len(names):
        names = implementation.driver_arguments
    for result in results:
        for name, array in zip(names, inputs, strict=True):
            if np.shares_memory(result, array):
                raise _refusal(
                    implementation,
                    f"{what} returns its input {name} (or a view of it); kernels must return "
                    "arrays they allocate, since callers write into them",
                )
    return tuple(np.asarray(result, dtype=np.float64) for result in results)


# -- the reference ---------------------------------------------------------------------------


def _reference(implementation: Implementation, length: int) -> Callable[[list[np.ndarray]], np.ndarray]:
    """The expression, evaluated at 50 digits on every row (or entry) of the inputs."""
    if implementation.vector_index is None:
        return _elementwise_reference(implementation)
    return _row_reference(implementation, length)


def _elementwise_reference(implementation: Implementation) -> Callable[[list[np.ndarray]], np.ndarray]:
    function = sp.lambdify(implementation.arguments, unfold(implementation.expr), "mpmath")

    def evaluate(inputs: list[np.ndarray]) -> np.ndarray:
        values = np.empty(inputs[0].shape)
        for position in np.ndindex(values.shape):
            values[position] = _exact(function, [array[position] for array in inputs])
        return values

    return evaluate


def _row_reference(implementation: Implementation, length: int) -> Callable[[list[np.ndarray]], np.ndarray]:
    """Each row: the components ``expr[k = 1..length]`` (or the one value of a reduction), with
    the sums written out, as a function of the row's entries."""
    entries = [_entry_symbols(argument, length) for argument in implementation.arguments]
    flat = [symbol for symbols in entries for symbol in symbols.values()]
    components = [
        unfold(component.doit()).xreplace({k: v for symbols in entries for k, v in symbols.items()})
        for component in _components(implementation, length)
    ]
    function = sp.lambdify(flat, components, "mpmath")

    def evaluate(inputs: list[np.ndarray]) -> np.ndarray:
        rows = [
            _exact_each(function, [x for array in inputs for x in array[row]], len(components))
            for row in range(BATCH)
        ]
        return np.array(rows, dtype=np.float64)

    return evaluate


def _components(implementation: Implementation, length: int) -> list[sp.Expr]:
    expr = implementation.expr
    if implementation.vector_length is not None:
        expr = expr.xreplace({implementation.vector_length: sp.Integer(length)})
    if not _is_vector_result(implementation):
        return [expr]
    index = implementation.vector_index
    return [expr.xreplace({index: sp.Integer(position)}) for position in range(1, length + 1)]


def _is_vector_result(implementation: Implementation) -> bool:
    """Whether the result has the vector index free (``p_k − y_k``), not summed away."""
    index = implementation.vector_index
    return index is not None and index in implementation.expr.free_symbols


def _entry_symbols(argument: sp.Basic, length: int) -> dict[sp.Basic, sp.Symbol]:
    """A plain symbol for each entry ``v[1] ... v[length]`` of a vector (a scalar is itself)."""
    if isinstance(argument, sp.IndexedBase):
        positions = range(1, length + 1)
        return {argument[position]: sp.Dummy(f"{argument.label}_{position}") for position in positions}
    return {argument: argument}


def _exact(function: Callable, values: list[float]) -> float:
    with mpmath.workdps(DIGITS):
        try:
            return float(function(*(mpmath.mpf(value) for value in values)))
        except (ZeroDivisionError, ValueError, TypeError):  # undefined, or complex
            return float("nan")


def _exact_each(function: Callable, values: list[float], count: int) -> list[float]:
    with mpmath.workdps(DIGITS):
        try:
            return [float(value) for value in function(*(mpmath.mpf(v) for v in values))]
        except (ZeroDivisionError, ValueError, TypeError):  # undefined, or complex
            return [float("nan")] * count


# -- comparing -------------------------------------------------------------------------------


def _compare(
    implementation: Implementation, inputs: list[np.ndarray], got: np.ndarray, wanted: np.ndarray,
    what: str = "it",
) -> None:
    if got.shape != wanted.shape:
        raise _refusal(implementation, f"{what} returns an array of shape {got.shape}, not {wanted.shape}")
    close = np.isclose(got, wanted, rtol=RTOL, atol=ATOL, equal_nan=True)
    if close.all():
        return
    row, column = np.argwhere(~close)[0]
    at = ", ".join(
        f"{argument_name(argument)} = {_value_text(argument, array[row], column, implementation)}"
        for argument, array in zip(implementation.arguments, inputs, strict=True)
    )
    if _is_vector_result(implementation):
        at += f", component {implementation.vector_index} = {column + 1}"
    raise _refusal(
        implementation,
        f"{what} does not compute the checked expression: at {at} it returns {float(got[row, column])!r} "
        f"where the expression is {float(wanted[row, column])!r}",
    )


def _value_text(argument: sp.Basic, row: np.ndarray, column: int, implementation: Implementation) -> str:
    """The argument where the kernel is wrong: its entry there, its row for a vector."""
    if isinstance(argument, sp.IndexedBase):
        return repr(row.tolist())
    return repr(float(row[column if implementation.vector_index is None else 0]))


def _refusal(implementation: Implementation, reason: str) -> CodegenError:
    return CodegenError(
        f"{implementation.derivation}: the generated kernel {implementation.name} "
        f"({implementation.source}) is refused: {reason}"
    )
