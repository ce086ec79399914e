"""Matrix symbols for steps in matrix notation (Xᵀr), whose arithmetic is right inside a chain.

A chain (:meth:`gradbook.derivation.Derivation.chain`) builds its steps with SymPy's
``evaluate(False)``, which keeps a scalar step as the author wrote it. SymPy's matrix arithmetic
is wrong there: ``A - 2*B`` calls ``doit()``, whose ``Mul(-1, 2, evaluate=True)`` runs while the
global flag says not to evaluate and comes out as ``1·2``, so the step silently becomes A + 2B.

The matrices that :meth:`~gradbook.derivation.Derivation.as_matrix` returns therefore do their
arithmetic evaluated, as SymPy does outside a chain: a matrix product or sum keeps its form
there anyway (nothing is multiplied out or reordered, only numeric factors are gathered in
front). Every result is again such a matrix (the ``_op_priority`` above SymPy's makes Python
call these operators even when the other operand is a plain SymPy expression), and
:func:`plain` turns a finished step back into ordinary SymPy classes before it is checked.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixExpr


def _evaluated(operation: Callable[..., sp.Basic]) -> Callable[..., sp.Basic]:
    """``operation`` run with evaluation on, its result made of held matrices again."""

    def method(self, *args):
        with sp.evaluate(True):
            return held(operation(self, *args))

    method.__name__ = operation.__name__
    method.__doc__ = f"SymPy's ``{operation.__name__}``, evaluated (see the module docstring)."
    return method


class HeldArithmetic:
    """The matrix operators of SymPy, always evaluated; mixed into each held matrix class."""

    _op_priority = MatrixExpr._op_priority + 1

    __neg__ = _evaluated(MatrixExpr.__neg__)
    __add__ = _evaluated(MatrixExpr.__add__)
    __radd__ = _evaluated(MatrixExpr.__radd__)
    __sub__ = _evaluated(MatrixExpr.__sub__)
    __rsub__ = _evaluated(MatrixExpr.__rsub__)
    __mul__ = _evaluated(MatrixExpr.__mul__)
    __rmul__ = _evaluated(MatrixExpr.__rmul__)
    __matmul__ = _evaluated(MatrixExpr.__matmul__)
    __rmatmul__ = _evaluated(MatrixExpr.__rmatmul__)
    __truediv__ = _evaluated(MatrixExpr.__truediv__)
    __pow__ = _evaluated(MatrixExpr.__pow__)
    transpose = _evaluated(MatrixExpr.transpose)

    @property
    def T(self) -> sp.MatrixExpr:
        return self.transpose()


class HeldMatrixSymbol(HeldArithmetic, sp.MatrixSymbol):
    """A declared matrix or vector in a matrix-notation step."""


class HeldMatAdd(HeldArithmetic, sp.MatAdd):
    """A sum of matrices in a matrix-notation step."""


class HeldMatMul(HeldArithmetic, sp.MatMul):
    """A product of matrices (and scalars) in a matrix-notation step."""


class HeldTranspose(HeldArithmetic, sp.Transpose):
    """A transpose in a matrix-notation step."""


class HeldMatPow(HeldArithmetic, sp.MatPow):
    """A matrix power in a matrix-notation step."""


class HeldInverse(HeldArithmetic, sp.Inverse):
    """A matrix inverse in a matrix-notation step."""


class HeldElementwise(HeldArithmetic, ElementwiseApplyFunction):
    """A function applied to every entry, σ(Xθ), in a matrix-notation step."""


#: Each SymPy matrix class and its held counterpart.
HELD: dict[type[sp.Basic], type[sp.Basic]] = {
    sp.MatrixSymbol: HeldMatrixSymbol,
    sp.MatAdd: HeldMatAdd,
    sp.MatMul: HeldMatMul,
    sp.Transpose: HeldTranspose,
    sp.MatPow: HeldMatPow,
    sp.Inverse: HeldInverse,
    ElementwiseApplyFunction: HeldElementwise,
}
PLAIN: dict[type[sp.Basic], type[sp.Basic]] = {held: plain for plain, held in HELD.items()}


def held(expr: sp.Basic) -> sp.Basic:
    """``expr`` with every SymPy matrix node of :data:`HELD` replaced by its held class."""
    return _convert(expr, HELD)


def plain(expr: sp.Basic) -> sp.Basic:
    """``expr`` with every held matrix node replaced by its ordinary SymPy class.

    Matrix constructors do not evaluate, so the tree keeps its exact form; a node with no held
    matrix below it is returned as it is, so a scalar step built unevaluated is not touched.
    """
    return _convert(expr, PLAIN)


def _convert(expr: sp.Basic, classes: dict[type[sp.Basic], type[sp.Basic]]) -> sp.Basic:
    if not isinstance(expr, sp.Basic) or not expr.args:
        return expr
    args = tuple(_convert(arg, classes) for arg in expr.args)
    target = classes.get(type(expr))
    if target is not None:
        return target(*args)
    return expr if args == expr.args else expr.func(*args)
