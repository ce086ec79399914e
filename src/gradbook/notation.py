"""Machine-learning notation as SymPy Functions.

Derivations are written in the notation of the textbooks (σ, softplus, ...), not in raw
exponentials: the expressions stay small, SymPy differentiates them quickly, and every
function prints itself as the reader expects it in LaTeX and as a stable call in NumPy code.

Each function knows its own *definition* (:meth:`NotationFunction.definition`), the formula in
elementary functions that the checker substitutes before it evaluates anything. A derivation
step that introduces the notation ("σ(z) = 1/(1 + e⁻ᶻ)") is therefore checked like any other.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.printing.pretty.stringpict import prettyForm


class NotationFunction(sp.Function):
    """A named function of ML notation with a definition in elementary functions.

    In generated NumPy code a notation function is a call of the kernel of the same name
    (:mod:`gradbook.kernel_printer`); the generated module defines that kernel itself, from the
    derivation of its stable form.
    """

    #: LaTeX of the function's name, e.g. ``\sigma``.
    latex_name: str = ""
    #: The name in terminal output, e.g. ``σ``.
    unicode_name: str = ""
    #: Whether generated code has a kernel of this name to call.
    has_kernel: bool = True

    def definition(self) -> sp.Expr:
        """The function written out in elementary functions of its arguments."""
        raise NotImplementedError

    def _eval_rewrite_as_exp(self, *args, **kwargs) -> sp.Expr:
        return self.definition()

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return self.definition().evalf(sp.core.evalf.prec_to_dps(prec))

    def _pretty(self, printer):
        return printer._print_Function(self, func_name=self.unicode_name)

    def _latex(self, printer, exp=None) -> str:
        args = ", ".join(printer._print(arg) for arg in self.args)
        name = self.latex_name if exp is None else f"{self.latex_name}^{{{exp}}}"
        return rf"{name}\left({args}\right)"


class sigmoid(NotationFunction):
    """The logistic sigmoid σ(z) = 1 / (1 + e⁻ᶻ).

    ``sigmoid(-z)`` is kept as written: rewriting it to ``1 - sigmoid(z)`` behind the reader's
    back would make the displayed steps differ from what the author wrote.
    """

    nargs = 1
    latex_name = r"\sigma"
    unicode_name = "σ"

    @classmethod
    def eval(cls, arg: sp.Expr):
        if arg.is_zero:
            return sp.S.Half
        return None

    def definition(self) -> sp.Expr:
        return 1 / (1 + sp.exp(-self.args[0]))

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return self * (1 - self)


class softplus(NotationFunction):
    """softplus(z) = log(1 + eᶻ), the smooth maximum of 0 and z."""

    nargs = 1
    latex_name = r"\operatorname{softplus}"
    unicode_name = "softplus"

    def definition(self) -> sp.Expr:
        return sp.log(1 + sp.exp(self.args[0]))

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sigmoid(self.args[0])


class binary_cross_entropy(NotationFunction):
    """The binary cross-entropy BCE(y, ŷ) = −y log ŷ − (1 − y) log(1 − ŷ) of a label y and a
    predicted probability ŷ: the loss of a sigmoid unit, written out in many derivations.

    It has no kernel of its own: a step to be compiled writes it out first (in the stable form
    of :mod:`log_loss`, for instance), and the code generator refuses it otherwise.
    """

    nargs = 2
    latex_name = r"\operatorname{BCE}"
    unicode_name = "BCE"
    has_kernel = False

    def definition(self) -> sp.Expr:
        label, prediction = self.args
        return -label * sp.log(prediction) - (1 - label) * sp.log(1 - prediction)

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        label, prediction = self.args
        if argindex == 1:
            return sp.log(1 - prediction) - sp.log(prediction)
        return -label / prediction + (1 - label) / (1 - prediction)


#: The class index summed over in the softmax's denominator: a Dummy, so that it can never
#: capture an index of the author's, and one fixed Dummy, so that two copies of the definition
#: are the same expression (their difference cancels).
_CLASS = sp.Dummy("j", integer=True, positive=True)


class softmax(NotationFunction):
    """Entry i of the softmax of K scores z: softmax(z)ᵢ = exp(zᵢ) / Σⱼ exp(zⱼ).

    Written ``softmax(z, i, K)`` with z a vector (an ``IndexedBase``), i an index and K the
    number of scores; it prints as softmax(z)ᵢ on a page and softmax(z)[i] in a terminal, like
    the entries z[i] of a vector. The size is an argument because the definition
    sums over all K scores: at each size the checker samples, the sum is written out like any
    other. The derivative by an entry zₖ is the Jacobian softmax(z)ᵢ(δᵢₖ − softmax(z)ₖ), by
    anything else 0.

    It has no kernel of its own: a step to be compiled writes out its stable, shifted form,
    and the code generator refuses it otherwise.
    """

    nargs = 3
    latex_name = r"\operatorname{softmax}"
    unicode_name = "softmax"
    has_kernel = False

    def __new__(cls, scores: sp.IndexedBase, index: sp.Expr, size: sp.Expr, **options):
        if not isinstance(scores, sp.IndexedBase):
            raise TypeError(f"softmax takes a vector of scores (an IndexedBase), not {scores!r}")
        return super().__new__(cls, scores, index, size, **options)

    @property
    def free_symbols(self) -> set[sp.Basic]:
        """The arguments' symbols and the entry zᵢ: softmax(z)ᵢ is a function of several
        variables (so its derivative prints as ∂/∂zₖ, like that of the sum it stands for)."""
        scores, index, _ = self.args
        return super().free_symbols | {scores[index]}

    def definition(self) -> sp.Expr:
        scores, index, size = self.args
        return sp.exp(scores[index]) / sp.Sum(sp.exp(scores[_CLASS]), (_CLASS, 1, size))

    def _eval_derivative(self, variable: sp.Basic) -> sp.Expr:
        scores, index, size = self.args
        if not (isinstance(variable, sp.Indexed) and variable.base == scores):
            return sp.S.Zero
        (other,) = variable.indices
        return self * (sp.KroneckerDelta(index, other) - softmax(scores, other, size))

    def _latex(self, printer, exp=None) -> str:
        scores, index, _ = self.args
        text = rf"{self.latex_name}\left({printer._print(scores)}\right)_{{{printer._print(index)}}}"
        return text if exp is None else rf"{text}^{{{exp}}}"

    def _pretty(self, printer):
        """softmax(z)[i], as the terminal shows every entry of a vector (z[i])."""
        scores, index, _ = self.args
        call = prettyForm(*printer._print(scores).parens("(", ")")).left(self.unicode_name)
        return prettyForm(*prettyForm(*call).right("[", printer._print(index), "]"))


#: Every notation function. In generated code each is a call of the kernel of its name, so
#: :mod:`gradbook.compilable` refuses a kernel argument of one of these names.
NOTATION: tuple[type[NotationFunction], ...] = (sigmoid, softplus, binary_cross_entropy, softmax)


def unfold(expr: sp.Expr) -> sp.Expr:
    """Replace every notation function in ``expr`` by its definition, innermost first."""
    return expr.replace(
        lambda node: isinstance(node, NotationFunction),
        lambda node: node.definition(),
    )


def elementwise(function: type[NotationFunction], matrix: sp.MatrixExpr) -> sp.MatrixExpr:
    """``function`` applied to every entry of ``matrix``, as in σ(Xθ)."""
    return ElementwiseApplyFunction(function, matrix)
