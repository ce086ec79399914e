"""The setting of a derivation: its symbols, their domains, sizes and index ranges.

A derivation declares every symbol it uses through a :class:`Setting`. The declarations are
what the numeric checker samples from, what the symbolic prover assumes, and what the page
lists under "Setting", so the three can never disagree.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import mpmath
import sympy as sp

from gradbook.domains import Domain
from gradbook.errors import DerivationError


@dataclass(frozen=True)
class Size:
    """A symbolic size (m data points, n features, K classes) and the values it is checked at."""

    symbol: sp.Symbol
    checked_at: tuple[int, ...]
    meaning: str
    #: Whether ``checked_at`` are the only values the author means (``size(..., only=True)``):
    #: then no step adds sizes of its own (see :func:`gradbook.sampling.threshold_sizes`).
    only: bool = False


@dataclass(frozen=True)
class Index:
    """An integer index running from 1 to ``size``."""

    symbol: sp.Symbol
    size: sp.Symbol
    meaning: str


@dataclass(frozen=True)
class Variable:
    """A scalar, vector or matrix of values from ``domain``.

    ``shape`` is empty for a scalar, ``(n,)`` for a vector and ``(m, n)`` for a matrix; a vector
    domain such as the simplex applies to each vector (each row of a matrix).
    """

    symbol: sp.Symbol | sp.IndexedBase
    domain: Domain
    shape: tuple[sp.Symbol, ...]
    meaning: str

    @property
    def name(self) -> str:
        return str(self.symbol)


@dataclass(frozen=True)
class Assumption:
    """A fact the steps may use, such as Σₖ yₖ = 1, as a substitution ``lhs → rhs``."""

    lhs: sp.Expr
    rhs: sp.Expr
    text: str


@dataclass(frozen=True)
class Definition:
    """A name for an expression, such as ŷ = σ(Σⱼ wⱼxⱼ + b), hᵢ = σ(Σⱼ θⱼXᵢⱼ) or
    z[i, c] = Σₖ X[i, k]W[k, c].

    Steps may use the name; the checker substitutes the expression before it evaluates or
    differentiates anything. ``index`` is the placeholder index of an indexed name (i of hᵢ),
    or a tuple of two for a name with rows and columns ((i, c) of z[i, c]).
    """

    symbol: sp.Symbol | sp.IndexedBase
    expr: sp.Expr
    index: sp.Symbol | tuple[sp.Symbol, ...] | None
    meaning: str

    @property
    def indices(self) -> tuple[sp.Symbol, ...]:
        """The placeholder indices, in order: none, (i,) or (i, c)."""
        if self.index is None:
            return ()
        return self.index if isinstance(self.index, tuple) else (self.index,)

    def expand(self, expr: sp.Expr) -> sp.Expr:
        if self.index is None:
            return _by_name_first(expr, self.symbol).xreplace({self.symbol: self.expr})
        return expr.replace(
            lambda node: isinstance(node, sp.Indexed) and node.base == self.symbol,
            lambda node: self.expr.xreplace(dict(zip(self.indices, node.indices, strict=True))),
        )


def _by_name_first(expr: sp.Expr, symbol: sp.Symbol) -> sp.Expr:
    """``expr`` with every derivative by the defined ``symbol`` carried out while it is still a
    name: ∂BCE(y, ŷ)/∂ŷ is the partial derivative by ŷ, taken at ŷ = σ(z), and a derivative by
    σ(z) itself is no derivative SymPy can take."""
    if not expr.has(sp.Derivative):
        return expr
    with sp.evaluate(True):
        return expr.replace(
            lambda node: isinstance(node, sp.Derivative) and symbol in node.variables,
            lambda node: node.doit(),
        )


@dataclass
class Setting:
    """Everything declared by one derivation, in the order it was declared."""

    sizes: dict[sp.Symbol, Size] = field(default_factory=dict)
    indices: dict[sp.Symbol, Index] = field(default_factory=dict)
    variables: dict[str, Variable] = field(default_factory=dict)
    assumptions: list[Assumption] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    #: Steps at concrete sizes, kept by the checker: each step is compared with the one before
    #: and the one after, and each comparison starts from the same concrete forms.
    concrete_cache: dict = field(default_factory=dict, repr=False, compare=False)

    def add_definition(self, definition: Definition) -> sp.Symbol | sp.IndexedBase:
        self._require_new_name(str(definition.symbol), "definition")
        self.definitions.append(definition)
        return definition.symbol

    def expand_definitions(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` with every defined name replaced by what it stands for, latest first."""
        for definition in reversed(self.definitions):
            expr = definition.expand(expr)
        return expr

    def matrix_symbol(self, base: sp.IndexedBase) -> sp.MatrixSymbol:
        """The declared vector or matrix ``base`` as a SymPy MatrixSymbol (vectors as columns).

        ``base`` may also be an indexed definition: its shape is the sizes of its indices.
        """
        rows, *cols = self._shape(base)
        return sp.MatrixSymbol(str(base.label), rows, cols[0] if cols else 1)

    def _shape(self, base: sp.IndexedBase) -> tuple[sp.Symbol, ...]:
        name = str(base.label)
        if name in self.variables:
            return self.variables[name].shape
        definition = self._indexed_definition(name)
        return tuple(self.indices[index].size for index in definition.indices)

    def _indexed_definition(self, name: str) -> Definition:
        for definition in self.definitions:
            if definition.index is not None and str(definition.symbol) == name:
                return definition
        raise DerivationError(f"{name} is neither a declared vector or matrix nor an indexed definition")

    def as_indexed(self, expr: sp.Expr) -> sp.Expr:
        """Replace matrix elements X[i, j] (0-based) by the declared entries X[i+1, j+1]."""
        return expr.replace(
            lambda node: isinstance(node, sp.matrices.expressions.matexpr.MatrixElement),
            self._indexed_entry,
        )

    def _indexed_entry(self, element) -> sp.Expr:
        name = str(element.parent.name)
        if name in self.variables:
            base = self.variables[name].symbol
        else:
            base = self._indexed_definition(name).symbol
        if len(self._shape(base)) == 1:
            return base[element.i + 1]
        return base[element.i + 1, element.j + 1]

    def add_size(self, size: Size) -> sp.Symbol:
        self._require_new_name(str(size.symbol), "size")
        self.sizes[size.symbol] = size
        return size.symbol

    def _require_new_name(self, name: str, what: str) -> None:
        """One name, one meaning: a definition called like a declared variable is the same SymPy
        symbol, so every step would be checked with the variable replaced by the definition."""
        declared = {str(symbol) for symbol in (*self.sizes, *self.indices)} | set(self.variables)
        declared |= {str(definition.symbol) for definition in self.definitions}
        if name in declared:
            raise DerivationError(f"the {what} {name} is named like something already declared; rename one")

    def add_index(self, index: Index) -> sp.Symbol:
        self._require_new_name(str(index.symbol), "index")
        if index.size not in self.sizes:
            raise DerivationError(f"index {index.symbol} runs up to an undeclared size {index.size}")
        self.indices[index.symbol] = index
        return index.symbol

    def add_variable(self, variable: Variable) -> sp.Symbol | sp.IndexedBase:
        self._require_new_name(variable.name, "variable")
        for size in variable.shape:
            if size not in self.sizes:
                raise DerivationError(f"{variable.name} has an undeclared size {size}")
        self.variables[variable.name] = variable
        return variable.symbol

    def index_facts(self) -> sp.Basic:
        """The assumptions 1 ≤ k ≤ n for every declared index, for ``refine``."""
        facts = [
            sp.Q.ge(index.symbol, 1) & sp.Q.le(index.symbol, index.size)
            for index in self.indices.values()
        ]
        return sp.And(*facts) if facts else sp.true

    def undeclared_symbols(self, expr: sp.Basic) -> list[str]:
        """Names of free symbols in ``expr`` that this setting does not declare."""
        known = {str(symbol) for symbol in (*self.sizes, *self.indices)} | set(self.variables)
        known |= {str(definition.symbol) for definition in self.definitions}
        bases = {str(node.base.label) for node in expr.atoms(sp.Indexed)}
        names = {str(symbol) for symbol in expr.free_symbols if not isinstance(symbol, sp.Indexed)}
        return sorted((names | bases) - known)

    def draw_values(
        self, rng: random.Random, shape: dict[sp.Symbol, int], largest: float | None = None
    ) -> dict[sp.Basic, mpmath.mpf]:
        """Random values for every variable, as a map from SymPy atoms to mpmath numbers.

        ``largest`` bounds the magnitudes drawn (see :meth:`gradbook.domains.Domain.sample`).
        """
        values: dict[sp.Basic, mpmath.mpf] = {}
        for variable in self.variables.values():
            values.update(_draw_variable(variable, rng, shape, largest))
        return values


def _draw_variable(
    variable: Variable, rng: random.Random, shape: dict[sp.Symbol, int], largest: float | None
) -> dict[sp.Basic, mpmath.mpf]:
    dims = [shape[size] for size in variable.shape]
    if not dims:
        return {variable.symbol: variable.domain.sample(rng, largest)}
    base = variable.symbol
    if len(dims) == 1:
        entries = variable.domain.sample_vector(rng, dims[0], largest)
        return {base[i + 1]: value for i, value in enumerate(entries)}
    values = {}
    for row in range(dims[0]):
        entries = variable.domain.sample_vector(rng, dims[1], largest)
        values.update({base[row + 1, col + 1]: value for col, value in enumerate(entries)})
    return values
