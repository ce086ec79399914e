"""Straight-line NumPy code for array kernels, reusing temporaries that are no longer needed.

A printed expression such as ``exp(z - c)/sum(exp(z - c)) - y`` allocates a new full-size array
for every operation. On a (200 000, 100) batch each allocation costs about as much as the
arithmetic, so the softmax gradient would run at 1.6× hand-written NumPy, which writes
``numpy.exp(t, out=t)`` and ``t /= s``. This module emits code in that style: one statement per
operation, and an operation writes into one of its operands (``out=``) when that operand is a
temporary of the result's shape with no use left. Inputs are never written to.

This is the only printer of kernel code: :class:`KernelPrinter` has one ``_print_<Class>`` method
for every construct :mod:`gradbook.compilable` accepts, and anything else is refused by name.
"""

from __future__ import annotations

from collections import Counter

import sympy as sp
from sympy.codegen.cfunctions import expm1, log1p
from sympy.printing.printer import Printer

from gradbook.errors import CodegenError
from gradbook.notation import NotationFunction

UNARY = {
    sp.exp: "numpy.exp", sp.log: "numpy.log", sp.Abs: "numpy.abs",
    log1p: "numpy.log1p", expm1: "numpy.expm1",
    sp.sin: "numpy.sin", sp.cos: "numpy.cos", sp.tan: "numpy.tan",
    sp.sinh: "numpy.sinh", sp.cosh: "numpy.cosh", sp.tanh: "numpy.tanh",
}
BINARY = {sp.Min: "numpy.minimum", sp.Max: "numpy.maximum"}
CONSTANTS = {sp.pi: "numpy.pi", sp.E: "numpy.e"}
FULL, ROW, SCALAR = "full", "row", "scalar"


class RowSum(sp.Function):
    """Σ over the last axis of an array expression, keeping that axis for broadcasting.

    What a sum over a vector index becomes once the index is lowered to the array's last axis
    (:func:`gradbook.kernel_source.lower_to_arrays`).
    """

    nargs = 1


class KernelPrinter(Printer):
    """Prints a kernel's body as NumPy statements, one ``_print_<Class>`` method per construct.

    Unlike SymPy's own printers, printing an expression here *emits statements*: the value of
    ``_print`` is the name (or literal) that holds the expression once they have run. What is
    known about each name is kept on the printer: ``shapes`` says whether a variable spans the
    whole array (``full``) or has the last axis reduced to one (``row``); ``remaining`` counts
    the references to each common subexpression not yet reached; ``pending`` counts the
    references already handed out but not yet consumed by an operation (the left operand of
    a − b while b is being computed); ``temporaries`` are the variables the kernel allocated
    itself. A temporary may be overwritten only when neither count has anything left.

    A construct without a method reaches :meth:`emptyPrinter`, which refuses it by name:
    :mod:`gradbook.compilable` lets through only what has a method here.
    """

    def __init__(self, shapes: dict[str, str]) -> None:
        super().__init__()
        self.shapes = shapes
        self.lines: list[str] = []
        self.remaining: dict[str, int] = {}
        self.pending: Counter = Counter()
        self.temporaries: set[str] = set()
        self.aliases: dict[str, str] = {}
        self.counter = 0

    def assign(self, name: str, expr: sp.Expr) -> None:
        """``name = expr`` for a common subexpression."""
        value = self._print(expr)
        self._consume([value])
        self.lines.append(f"{name} = {value}")
        self.shapes[name] = self.shapes.get(value, SCALAR)
        if value in self.temporaries:
            self.temporaries.add(name)
            self.aliases[name] = value

    def root(self, name: str) -> str:
        """The temporary that ``name`` names: itself, or what a common subexpression was set to."""
        while name in self.aliases:
            name = self.aliases[name]
        return name

    # -- one method per construct ----------------------------------------------------------

    def emptyPrinter(self, expr: sp.Basic) -> str:
        raise CodegenError(f"{type(expr).__name__} ({expr}) has no array form in the kernel generator")

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        return self._use(str(expr))

    def _print_Number(self, expr: sp.Number) -> str:
        return number_literal(expr)

    def _print_NumberSymbol(self, expr: sp.NumberSymbol) -> str:
        if expr not in CONSTANTS:
            return self.emptyPrinter(expr)
        return CONSTANTS[expr]

    def _print_Exp1(self, expr: sp.Expr) -> str:
        return CONSTANTS[sp.E]

    def _print_RowSum(self, expr: RowSum) -> str:
        """``numpy.add.reduce``, which is ``numpy.sum`` without its Python-level dispatch (a
        third of a small call's time)."""
        summed = self._print(expr.args[0])
        self._consume([summed])
        return self._emit(f"numpy.add.reduce({summed}, axis=-1, keepdims=True)", ROW)

    def _print_Function(self, expr: sp.Function) -> str:
        """An elementary function of one argument is its NumPy ufunc (:data:`UNARY`); a
        notation function is a call of its kernel.

        SymPy's dispatch never reaches a ``_print_NotationFunction`` for ``sigmoid``: for
        subclasses of ``Function`` it only tries the class's own name, names ending in
        "Base", and ``Function`` and above. So the notation functions are told apart here.
        """
        if isinstance(expr, NotationFunction):
            return self._kernel_call(expr)
        if expr.func not in UNARY:
            return self.emptyPrinter(expr)
        if expr.func == sp.exp and isinstance(expr.args[0], sp.Add):
            return self._exponential_of_sum(expr.args[0])
        if expr.func == sp.exp and _product_can_overflow(expr.args[0]):
            return self._exponential_of_product(expr.args[0])
        return self._ufunc(UNARY[expr.func], [self._print(expr.args[0])])

    def _exponential_of_sum(self, exponent: sp.Add) -> str:
        return self._ufunc(UNARY[sp.exp], [self._exponent(exponent)])

    def _exponential_of_product(self, exponent: sp.Mul) -> str:
        """exp(c·x) for an even c as exp(c/2·x)²: the halved exponent cannot overflow where
        c·x would, and a square costs a small call a fifth of what ``errstate`` does (0.3 µs
        against 1.35 µs); other products are computed in ``errstate`` (:meth:`_exponent`)."""
        coefficient, factors = exponent.as_coeff_mul()
        if len(factors) == 1 and coefficient.is_Integer and coefficient % 2 == 0:
            half = sp.exp(coefficient / 2 * factors[0], evaluate=False)
            return self._ufunc("numpy.square", [self._print(half)])
        return self._exponential_that_may_overflow(exponent)

    def _exponential_that_may_overflow(self, exponent: sp.Mul) -> str:
        return self._ufunc(UNARY[sp.exp], [self._exponent(exponent)])

    def _exponent(self, exponent: sp.Expr) -> str:
        """The sum, difference or product in an exponential, computed with overflow to ±inf
        allowed.

        A shifted score z − s of a row that spans more than the float range (z = −1e308 where
        s = 1e308) overflows to −inf, and so does −2|z| for |z| above 9e307; exp(−inf) = 0 is
        the correctly rounded exponential of every number below about −745: the overflow
        changes nothing in the result, so NumPy is told not to warn about it. An exponent that
        overflows to +inf gives exp = +inf, where the true value is not finite either. The
        statements are only those of this exponent: a value they share with another part of
        the kernel is computed outside (``sympy.cse``).
        """
        start = len(self.lines)
        value = self._print(exponent)
        if len(self.lines) > start:
            inside = [f"    {line}" for line in self.lines[start:]]
            self.lines[start:] = ['with numpy.errstate(over="ignore"):', *inside]
        return value

    def _print_MinMaxBase(self, expr: sp.Expr) -> str:
        """min or max of any number of arguments, as a chain of numpy.minimum/maximum."""
        function = BINARY[expr.func]
        total = self._print(expr.args[0])
        for arg in expr.args[1:]:
            total = self._ufunc(function, [total, self._print(arg)])
        return total

    def _kernel_call(self, expr: NotationFunction) -> str:
        """A notation function is a call of the kernel of that name.

        Every kernel returns an array it allocated itself (never one of its arguments; the
        tests check this), so the result is a temporary like any other.
        """
        arguments = [self._print(arg) for arg in expr.args]
        self._consume(arguments)
        shape = _broadcast([self.shapes.get(argument, SCALAR) for argument in arguments])
        return self._emit(f"{type(expr).__name__}({', '.join(arguments)})", shape)

    def _print_Add(self, expr: sp.Add) -> str:
        positive = [t for t in expr.args if not t.could_extract_minus_sign()]
        negative = [-t for t in expr.args if t.could_extract_minus_sign()]
        if not positive:
            total = self._ufunc("numpy.negative", [self._print(negative.pop(0))])
        else:
            total = self._print(positive.pop(0))
        for term in positive:
            total = self._ufunc("numpy.add", [total, self._print(term)])
        for term in negative:
            total = self._ufunc("numpy.subtract", [total, self._print(term)])
        return total

    def _print_Mul(self, expr: sp.Mul) -> str:
        coefficient, factors = expr.as_coeff_mul()
        numerators = [f for f in factors if not _is_denominator(f)]
        denominators = [f.base ** -f.exp for f in factors if _is_denominator(f)]
        product = self._print(numerators.pop(0)) if numerators else "1"
        for factor in numerators:
            product = self._ufunc("numpy.multiply", [product, self._print(factor)])
        for factor in denominators:
            product = self._ufunc("numpy.divide", [product, self._print(factor)])
        if coefficient == -1:
            return self._ufunc("numpy.negative", [product])
        if coefficient != 1:
            return self._ufunc("numpy.multiply", [number_literal(coefficient), product])
        return product

    def _print_Pow(self, expr: sp.Pow) -> str:
        if expr.exp == -1:
            return self._ufunc("numpy.divide", ["1", self._print(expr.base)])
        if expr.exp == 2:
            return self._ufunc("numpy.square", [self._print(expr.base)])
        return self._ufunc("numpy.power", [self._print(expr.base), self._print(expr.exp)])

    # -- emitting statements ---------------------------------------------------------------

    def _ufunc(self, function: str, operands: list[str]) -> str:
        self._consume(operands)
        shape = _broadcast([self.shapes.get(operand, SCALAR) for operand in operands])
        for operand in operands:
            if self._reusable(operand, shape):
                # The output as a positional argument, which costs a small call 0.15 µs less
                # than a keyword; NumPy has deprecated that for minimum and maximum only.
                output = f"out={operand}" if function in BINARY.values() else operand
                self.lines.append(f"{function}({', '.join(operands)}, {output})")
                return operand
        return self._emit(f"{function}({', '.join(operands)})", shape)

    def _reusable(self, name: str, shape: str) -> bool:
        spent = self.remaining.get(name, 0) == 0 and self.pending[name] == 0
        return name in self.temporaries and spent and self.shapes.get(name) == shape

    def _consume(self, names: list[str]) -> None:
        for name in names:
            if self.pending[name] > 0:
                self.pending[name] -= 1

    def _emit(self, code: str, shape: str) -> str:
        name = f"a{self.counter}"
        self.counter += 1
        self.lines.append(f"{name} = {code}")
        self.shapes[name] = shape
        self.temporaries.add(name)
        self.pending[name] += 1
        return name

    def _use(self, name: str) -> str:
        if name in self.remaining:
            self.remaining[name] -= 1
        self.pending[name] += 1
        return name


#: Each NumPy operation the printer emits, as an Array API expression of its operands.
ARRAY_API_FORMS = {
    "numpy.add": "{0} + {1}", "numpy.subtract": "{0} - {1}", "numpy.multiply": "{0} * {1}",
    "numpy.divide": "{0} / {1}", "numpy.negative": "-{0}", "numpy.power": "xp.pow({0}, {1})",
    "numpy.square": "xp.square({0})", "numpy.minimum": "xp.minimum({0}, {1})",
    "numpy.maximum": "xp.maximum({0}, {1})",
    **{numpy_name: f"xp.{numpy_name.removeprefix('numpy.')}({{0}})" for numpy_name in UNARY.values()},
}


class ArrayApiPrinter(KernelPrinter):
    """Prints a kernel's body against the Array API namespace ``xp`` of its arguments.

    The statements are those of :class:`KernelPrinter`, one operation each, but every one makes
    a new array: the standard has no ``out=`` and some of its libraries (JAX, Dask) have
    immutable arrays. Arithmetic is written with operators, which every library accepts with a
    Python number on either side.

    There is no ``errstate`` in the standard either, and a library built on NumPy (Dask,
    array-api-strict) would warn where a shifted score z − s overflows. So an exponential of a
    sum is computed as exp(z/2 − s/2)²: the halves never overflow, and the square of a number in
    [0, 1] cannot either. It is the same value on the reals, within two roundings of the direct
    form; the kernel check compares it with the expression like any other kernel.
    """

    def _print_RowSum(self, expr: RowSum) -> str:
        summed = self._print(expr.args[0])
        self._consume([summed])
        return self._emit(f"xp.sum({summed}, axis=-1, keepdims=True)", ROW)

    def _print_NumberSymbol(self, expr: sp.NumberSymbol) -> str:
        if expr not in CONSTANTS:
            return self.emptyPrinter(expr)
        return CONSTANTS[expr].replace("numpy.", "xp.")

    def _print_Exp1(self, expr: sp.Expr) -> str:
        return "xp.e"

    def _exponential_of_sum(self, exponent: sp.Add) -> str:
        halves = sp.Add(*(term / 2 for term in exponent.args), evaluate=False)
        return self._ufunc("numpy.square", [self._ufunc("numpy.exp", [self._print(halves)])])

    def _exponential_that_may_overflow(self, exponent: sp.Mul) -> str:
        # Printed as it is, with no errstate to call on: no kernel has such an exponent yet
        # (tanh′'s −2|z| is an even multiple, printed as exp(−|z|)² like in NumPy).
        return self._ufunc("numpy.exp", [self._print(exponent)])

    def _kernel_call(self, expr: NotationFunction) -> str:
        arguments = [self._print(arg) for arg in expr.args]
        self._consume(arguments)
        shape = _broadcast([self.shapes.get(argument, SCALAR) for argument in arguments])
        return self._emit(f"{type(expr).__name__}{ARRAY_API_SUFFIX}({', '.join(arguments)})", shape)

    def _ufunc(self, function: str, operands: list[str]) -> str:
        self._consume(operands)
        shape = _broadcast([self.shapes.get(operand, SCALAR) for operand in operands])
        grouped = [f"({operand})" if operand[0] == "-" or "/" in operand else operand for operand in operands]
        return self._emit(ARRAY_API_FORMS[function].format(*grouped), shape)


#: The Array API kernel of the NumPy kernel ``name`` is ``name + ARRAY_API_SUFFIX``.
ARRAY_API_SUFFIX = "_xp"


def number_literal(number: sp.Number) -> str:
    """A SymPy number as a Python literal: ``3``, ``1/2``, or the nearest float."""
    if isinstance(number, sp.Integer):
        # A float literal: NumPy converts a Python float faster than an int, and either keeps
        # the array's precision (a Python number never widens a float32 array).
        return repr(float(number)) if abs(int(number)) < 2**53 else str(int(number))
    if isinstance(number, sp.Rational):
        return f"{number.p}/{number.q}"
    return repr(float(number))


def _product_can_overflow(exponent: sp.Expr) -> bool:
    """Whether an exponent that is a product may overflow for finite arguments: all but −x and
    c·x with |c| ≤ 1, which stay within the magnitude of x."""
    if not isinstance(exponent, sp.Mul):
        return False
    coefficient, factors = exponent.as_coeff_mul()
    return len(factors) > 1 or isinstance(factors[0], sp.Pow) or abs(coefficient) > 1


def _is_denominator(factor: sp.Basic) -> bool:
    return isinstance(factor, sp.Pow) and factor.exp.is_Integer and factor.exp < 0


def _broadcast(shapes: list[str]) -> str:
    if FULL in shapes:
        return FULL
    return ROW if ROW in shapes else SCALAR


def array_api_statements(
    assignments: list[tuple[sp.Symbol, sp.Expr]], results: list[sp.Expr], full: set[str]
) -> list[str]:
    """The statements of an Array API kernel body (:class:`ArrayApiPrinter`), ending in
    ``return``."""
    printer = ArrayApiPrinter({name: FULL for name in full})
    for name, value in assignments:
        printer.assign(str(name), value)
    returned = [printer.doprint(result) for result in results]
    return [*printer.lines, f"return {', '.join(returned)}"]


def array_statements(
    assignments: list[tuple[sp.Symbol, sp.Expr]],
    results: list[sp.Expr],
    full: set[str],
    scratch: bool = False,
) -> tuple[list[str], int]:
    """The statements of a kernel body, ending in ``return``, and how many scratch arrays the
    body takes; ``full`` names the array inputs.

    The kernel writes each result into the array its ``out`` parameter gives (``out`` for one
    result, ``out[i]`` for several), or allocates it when that is None: the operation that
    first makes the result's array is given it as its output. That is how a blocked driver has
    the kernel write each block straight into its place in the whole result.

    With ``scratch`` (elementwise kernels), every other operation that makes a full-size array
    is given one too, ``scratch[i]``, which is None unless the caller passes arrays: a blocked
    driver passes parts of the result that later blocks have not written yet, so that a large
    call allocates nothing but its result.
    """
    shapes = {name: FULL for name in full}
    printer = KernelPrinter(shapes)
    references = [*(value for _, value in assignments), *results]
    for name, _ in assignments:
        printer.remaining[str(name)] = sum(_count(expr, name) for expr in references)
    for name, value in assignments:
        printer.assign(str(name), value)
    returned = []
    for result in results:
        name = printer.doprint(result)
        printer.pending[name] += 1  # a result is kept: nothing after it may write into it
        returned.append(name)
    outputs = ["out"] if len(results) == 1 else [f"out[{i}]" for i in range(len(results))]
    roots = [printer.root(name) for name in returned]
    lines = _written_into(printer.lines, roots, outputs)
    temporaries = _full_allocations(lines, printer.shapes, roots) if scratch else []
    lines = _written_into(lines, temporaries, [f"scratch[{i}]" for i in range(len(temporaries))])
    return [*lines, f"return {', '.join(returned)}"], len(temporaries)


def _full_allocations(lines: list[str], shapes: dict[str, str], results: list[str]) -> list[str]:
    """The temporaries that a ufunc allocates at full size, in the order they are made: the
    arrays a scratch buffer can stand for. A call of another kernel allocates inside that
    kernel, out of reach."""
    names = []
    for line in lines:
        name, _, code = line.lstrip().partition(" = ")
        if name in results or shapes.get(name) != FULL or not code.startswith("numpy."):
            continue
        if code.endswith(")") and "out=" not in code:
            names.append(name)
    return names


def _written_into(lines: list[str], results: list[str], outputs: list[str]) -> list[str]:
    """``lines`` with the statement that allocates each result given that result's output."""
    if len(set(results)) != len(results):
        raise CodegenError(f"two results of the kernel are the same array ({', '.join(results)})")
    lines = list(lines)
    for result, output in zip(results, outputs, strict=True):
        position = next(
            (i for i, line in enumerate(lines) if line.lstrip().startswith(f"{result} = ")), None
        )
        if position is None or not lines[position].endswith(")"):
            # It returns an input: the kernel check refuses that, naming the input.
            continue
        lines[position] = f"{lines[position][:-1]}, out={output})"
    return lines


def _count(expr: sp.Basic, symbol: sp.Symbol) -> int:
    if expr == symbol:
        return 1
    return sum(_count(arg, symbol) for arg in expr.args)
