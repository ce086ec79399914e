"""Derivations: sequences of steps, each checked against the one before as it is written.

A :class:`Derivation` holds one or more *chains*, each written in a ``with d.chain(title):``
block, where SymPy keeps every expression as Python builds it. A chain starts from an
expression (say ``Derivative(σ(z), z)``) and every :meth:`Derivation.step` gives a new
expression with the rule that justifies it. The step is checked at once (see
:mod:`gradbook.checking`); a wrong step raises :class:`~gradbook.errors.StepNotEquivalentError`
naming the derivation, the step and a counterexample. The last step of a chain can be published
as a named result, which becomes a generated NumPy function.
"""

from __future__ import annotations

import contextvars
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sympy as sp
from sympy.core.parameters import global_parameters

from gradbook import domains, verdicts
from gradbook.checking import Counterexample, Unevaluable, Verification, compare
from gradbook.domains import Domain
from gradbook.errors import (
    CodegenError,
    DerivationError,
    GradbookError,
    StepNotEquivalentError,
    StepNotEvaluableError,
)
from gradbook.evaluation import ESCALATION
from gradbook.implementation import Implementation, JointImplementation
from gradbook.latex import to_latex
from gradbook.matrices import held, plain
from gradbook.page import Page
from gradbook.sampling import sizes_to_check
from gradbook.setting import Assumption, Definition, Index, Setting, Size, Variable


@dataclass(frozen=True)
class Step:
    """One line of a derivation: an expression, the rule that gives it, how it was verified.

    The first step of a chain has no rule and no verification: it is the starting point.
    """

    number: int
    expr: sp.Expr
    justification: str
    verification: Verification | None
    #: In a spot-the-mistake exercise, the wrong line shown in this step's place.
    mistake: ShownMistake | None = None

    @property
    def latex(self) -> str:
        return to_latex(self.expr)


@dataclass(frozen=True)
class ShownMistake:
    """A wrong version of a step, shown to a reader who is asked to find it.

    It is shown only because the checker refused it: ``counterexample`` is the point where it
    differs from the line before, as the checker found it, and is what the answer quotes.
    """

    expr: sp.Expr
    counterexample: Counterexample

    @property
    def latex(self) -> str:
        return to_latex(self.expr)


@dataclass(frozen=True)
class Result:
    """A named final expression: what the chain proves, and what code generation compiles.

    ``arguments`` are the symbols the generated function takes, in order.
    """

    name: str
    expr: sp.Expr
    arguments: tuple[sp.Basic, ...]
    description: str


@dataclass
class Chain:
    """A run of steps that are all equal to each other, e.g. "∂E/∂wⱼ = ... = −(y − ŷ)xⱼ"."""

    title: str
    lhs: sp.Expr | None
    steps: list[Step] = field(default_factory=list)
    result: Result | None = None
    implementation: Implementation | None = None
    #: The question this chain answers, when it is an exercise (see :meth:`Derivation.exercise`).
    question: str | None = None

    @property
    def last(self) -> Step:
        return self.steps[-1]

    @property
    def is_exercise(self) -> bool:
        return self.question is not None

    @property
    def mistake_step(self) -> Step | None:
        """The step a spot-the-mistake exercise shows wrong, or None."""
        return next((step for step in self.steps if step.mistake is not None), None)


@dataclass(frozen=True)
class StepInterrupted:
    """The step whose writing raised ``error``: for the report of a script that stopped there.

    ``justification`` is None when the one given was not a string.
    """

    number: int
    justification: str | None
    error: BaseException


@dataclass
class Recording:
    """Every derivation a script builds, and every step refused in one, while the script runs:
    also a derivation kept only in a list, and a refusal whose exception the script caught and
    whose entry in ``failures`` it then removed."""

    built: list[Derivation] = field(default_factory=list)
    failures: list[tuple[Derivation, GradbookError]] = field(default_factory=list)


_recording: contextvars.ContextVar[Recording | None] = contextvars.ContextVar(
    "gradbook_recording", default=None
)


@contextmanager
def recording_derivations() -> Iterator[Recording]:
    """Record what the code run inside the ``with`` block builds and refuses (the loader runs
    each script inside one)."""
    recording = Recording()
    token = _recording.set(recording)
    try:
        yield recording
    finally:
        _recording.reset(token)


@dataclass
class Derivation:
    """A checked derivation; see the module docstring.

    ``uses`` names the derivations this one builds on (for the site's links and map).
    ``source`` is the script's path: pass ``source=__file__`` (a string is kept as a ``Path``).
    Without it, :meth:`main` sets it when the script runs as ``__main__``, and otherwise the
    page, the export and generated code name the script ``<name>.py``.
    """

    name: str
    doc: str = ""
    uses: list[str] = field(default_factory=list)
    setting: Setting = field(default_factory=Setting)
    chains: list[Chain] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source: Path | None = None
    failures: list[GradbookError] = field(default_factory=list)
    #: Kernels that compute several implemented expressions at once (:meth:`implement_together`).
    joint_implementations: list[JointImplementation] = field(default_factory=list)
    #: What the site shows besides the steps, declared with :meth:`page` (None: nothing).
    declared_page: Page | None = None
    #: The last step whose writing raised, with the exception (see :meth:`_writing`).
    interrupted: StepInterrupted | None = field(default=None, repr=False, compare=False)
    _opened: Chain | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise DerivationError(f"derivation name {self.name!r} must be a Python identifier")
        if not self.doc.strip():
            raise DerivationError(f"{self.name}: pass the script's docstring (title and lead)")
        if self.source is not None:
            self.source = Path(self.source)
        recording = _recording.get()
        if recording is not None:
            recording.built.append(self)

    def _record_failure(self, error: GradbookError) -> None:
        """Keep a refused step in ``failures`` and in the record of the script being run, which
        the script's own code does not reach by accident (see :func:`recording_derivations`)."""
        self.failures.append(error)
        recording = _recording.get()
        if recording is not None:
            recording.failures.append((self, error))

    @property
    def title(self) -> str:
        """The first line of the docstring, without its full stop."""
        return self.doc.strip().splitlines()[0].strip().rstrip(".")

    @property
    def lead(self) -> str:
        """The rest of the docstring: what is derived and why it matters."""
        return "\n".join(self.doc.strip().splitlines()[1:]).strip()

    # -- declaring the setting -------------------------------------------------------------

    def real(self, name: str, meaning: str = "", **assumptions) -> sp.Symbol:
        """A real scalar, e.g. a logit z."""
        return self.scalar(name, domains.REAL, meaning, real=True, **assumptions)

    def scalar(self, name: str, domain: Domain, meaning: str = "", **assumptions) -> sp.Symbol:
        """A scalar from ``domain`` (a label, a probability, a positive rate, ...).

        SymPy assumptions may only restate what the domain implies: the checker samples the
        domain while the prover uses the assumptions, and the two must describe the same set
        (``d.real("z", positive=True)`` would be proved for z > 0 and sampled on all reals).
        """
        assumptions.setdefault("real", True)
        if domain in (domains.POSITIVE, domains.PROBABILITY):
            assumptions.setdefault("positive", True)
        elif domain is domains.NEGATIVE:
            assumptions.setdefault("negative", True)
        _require_implied(name, domain, assumptions)
        symbol = sp.Symbol(name, **assumptions)
        return self.setting.add_variable(Variable(symbol, domain, (), meaning))

    def size(
        self, name: str, checked_at: tuple[int, ...] | None = None, meaning: str = "", *, only: bool = False
    ) -> sp.Symbol:
        """A symbolic size such as m, n or K; see :func:`gradbook.sampling.sizes_to_check`.

        By default it is checked numerically at 1, 2, 3, 4, 5 and 8. ``checked_at`` adds sizes,
        and its smallest value is the smallest size checked (a K that is at least 2); with
        ``only=True`` exactly ``checked_at`` is checked.
        """
        symbol = sp.Symbol(name, integer=True, positive=True)
        sizes = sizes_to_check(checked_at, only)
        return self.setting.add_size(Size(symbol, sizes, meaning, only))

    def index(self, name: str, size: sp.Symbol, meaning: str = "") -> sp.Symbol:
        """An integer index running from 1 to ``size``."""
        symbol = sp.Symbol(name, integer=True, positive=True)
        return self.setting.add_index(Index(symbol, size, meaning))

    def vector(
        self, name: str, size: sp.Symbol, domain: Domain = domains.REAL, meaning: str = ""
    ) -> sp.IndexedBase:
        """A vector with entries ``name[1] ... name[size]``."""
        base = sp.IndexedBase(name, real=True)
        return self.setting.add_variable(Variable(base, domain, (size,), meaning))

    def matrix(
        self, name: str, rows: sp.Symbol, cols: sp.Symbol, domain: Domain = domains.REAL,
        meaning: str = "",
    ) -> sp.IndexedBase:
        """A matrix with entries ``name[i, j]``; a vector domain applies to each row."""
        base = sp.IndexedBase(name, real=True)
        return self.setting.add_variable(Variable(base, domain, (rows, cols), meaning))

    def define(
        self, name: str, expr: sp.Expr, meaning: str = "",
        index: sp.Symbol | tuple[sp.Symbol, sp.Symbol] | None = None,
    ) -> sp.Symbol | sp.IndexedBase:
        """A name for ``expr`` that steps may use (ŷ for σ(Σⱼ wⱼxⱼ + b)).

        With ``index``, the name is indexed: ``define("h", σ(Σⱼ θⱼX[i, j]), index=i)`` makes
        ``h[i]`` stand for that expression at any index. With two indices it has rows and
        columns: ``define("z", Σₖ X[i, k]W[k, c], index=(i, c))`` makes ``z[i, c]`` the scores,
        and :meth:`as_matrix` gives the whole m × K matrix.
        """
        self._require_declared(expr, f"the definition of {name}")
        if isinstance(index, list | tuple):
            index = tuple(index)
            if len(index) not in (1, 2) or any(symbol not in self.setting.indices for symbol in index):
                raise DerivationError(
                    f"{self.name}: the definition of {name} takes one or two declared indices, got {index}"
                )
            index = index[0] if len(index) == 1 else index
        symbol = sp.IndexedBase(name, real=True) if index is not None else sp.Symbol(name, real=True)
        return self.setting.add_definition(Definition(symbol, expr, index, meaning))

    def as_matrix(self, base: sp.IndexedBase) -> sp.MatrixSymbol:
        """The declared vector or matrix ``base`` for steps in matrix notation (Xᵀ r).

        ``base`` may also be an indexed definition (hᵢ, or P[i, c] with two indices): a column, or
        a matrix with a row per value of its first index.

        Its arithmetic is right inside a chain too, where SymPy's own would turn A − 2B into
        A + 2B (see :mod:`gradbook.matrices`).
        """
        return held(self.setting.matrix_symbol(base))

    def assume(self, lhs: sp.Expr, rhs: sp.Expr, text: str) -> None:
        """A fact the symbolic prover may substitute, such as Σₖ yₖ = 1.

        The numeric check does not use it: it holds there because of the variables' domains
        (a label vector drawn from the simplex sums to one), which is what makes it honest.
        """
        self.setting.assumptions.append(Assumption(lhs, rhs, text))

    def note(self, text: str) -> None:
        """A remark shown on the page after the steps."""
        self.notes.append(text)

    def page(
        self,
        part: int,
        section: str,
        order: int,
        documents: Sequence[str] = (),
        reading: Sequence[tuple[str, str]] = (),
    ) -> Page:
        """Declare this derivation's page: its place on the learning path and what it shows.

        ``part`` numbers the part of the learning path and ``section`` is its title; ``order``
        places the page within the part. ``documents`` names the public functions whose code
        the page shows, ``reading`` (title, address) links for further reading. Examples and
        figures are added with the decorators of the :class:`~gradbook.page.Page` returned;
        see :mod:`gradbook.page`.
        """
        if self.declared_page is not None:
            raise DerivationError(f"{self.name}: the page is declared twice")
        self.declared_page = Page.declared(self.name, part, section, order, documents, reading)
        return self.declared_page

    # -- writing the steps -----------------------------------------------------------------

    @contextmanager
    def chain(self, title: str = "", lhs: sp.Expr | None = None) -> Iterator[Chain]:
        """A chain of steps, each kept exactly as it is written inside the ``with`` block.

        ::

            with d.chain("σ′ in terms of σ"):
                d.start(Derivative(sigmoid(z), z))
                d.step(Derivative(1 / (1 + exp(-z)), z), "the definition of σ")

        SymPy simplifies an expression while Python builds it (``−y·(1/ŷ)`` would become
        ``−y/ŷ`` before the step sees it), which would erase the very step being shown. Inside
        the block it does not: the expressions are built with SymPy's ``evaluate(False)``, and
        what is checked and shown is the tree the author's Python built. The checks themselves
        run with evaluation on. The block's first step must be :meth:`start`; ``lhs`` is what
        the chain computes, for display.
        """
        with self._block(Chain(title=title, lhs=lhs)) as opened:
            yield opened

    @contextmanager
    def exercise(self, question: str, lhs: sp.Expr | None = None) -> Iterator[Chain]:
        """An exercise for the reader: ``question``, answered by the chain written in the block.

        The answer is written and checked like any chain, and the page shows it hidden under
        the question::

            with d.exercise("Show that σ(−z) = 1 − σ(z)."):
                d.start(sigmoid(-z))
                d.step(1 / (1 + exp(z)), "the definition of σ")
                ...

        A *spot-the-mistake* exercise gives one step a ``wrong=`` version
        (:meth:`step`): the question shows the lines up to that one with the wrong version in
        its place, and the answer shows the checker's counterexample and the correct chain.
        An exercise publishes no result and compiles no kernel.
        """
        if not question.strip():
            raise DerivationError(f"{self.name}: an exercise needs a question")
        with self._block(Chain(title="", lhs=lhs, question=question.strip())) as opened:
            yield opened

    @contextmanager
    def _block(self, chain: Chain) -> Iterator[Chain]:
        self._opened = chain
        try:
            with sp.evaluate(False):
                yield chain
        finally:
            self._opened = None

    def start(self, expr: sp.Expr, title: str = "", lhs: sp.Expr | None = None) -> Step:
        """Begin a new chain from ``expr``; ``lhs`` is what the chain computes, for display.

        Inside :meth:`chain` the title and ``lhs`` are the block's.
        """
        with self._writing(self._next_number(), ""):
            expr = tidy(expr)
            self._require_declared(expr, "the start of a chain")
            chain = self._opened if self._opened is not None else Chain(title=title, lhs=lhs)
            if chain.steps:
                raise DerivationError(f"{self.name}: a chain block has one start(); use step() after it")
            self.chains.append(chain)
            step = Step(number=self._next_number(), expr=expr, justification="", verification=None)
            chain.steps.append(step)
            return step

    def step(self, expr: sp.Expr, justification: str, *, wrong: sp.Expr | None = None) -> Step:
        """Add a step equal to the previous one; it is checked before it is accepted.

        ``wrong``, only in an :meth:`exercise`, is a mistaken version of this step for the
        reader to find; the checker must refuse it, or the exercise is refused.
        """
        number = self._next_number()
        with self._writing(number, justification):
            chain = self._current_chain("the first step")
            if not justification.strip():
                raise DerivationError(f"{self.name}: every step needs a justification")
            expr = tidy(expr)
            self._require_declared(expr, f"step {number}")
            previous = chain.last
            try:
                verification = self._verify(previous.expr, expr, number, justification)
                mistake = None if wrong is None else self._shown_mistake(chain, previous, wrong, number)
            except GradbookError as error:
                self._record_failure(error)
                raise
            step = Step(number, expr, justification, verification, mistake)
            chain.steps.append(step)
            return step

    def result(self, name: str, arguments: tuple[sp.Basic, ...] = (), description: str = "") -> Result:
        """Publish the current chain's last step as the result ``name``."""
        chain = self._current_chain("result()")
        self._refuse_in_exercise(chain, "result()")
        result = Result(name, chain.last.expr, tuple(arguments), description)
        chain.result = result
        return result

    def implement(
        self,
        name: str,
        arguments: tuple[sp.Basic, ...],
        doc: str,
        vector_index: sp.Symbol | None = None,
        shift: tuple[sp.Basic, sp.Basic] | None = None,
        peak: tuple[sp.Basic, sp.Basic] | None = None,
        on_overflow: str | None = None,
    ) -> Implementation:
        """Compile the current chain's last step into the NumPy kernel ``name(*arguments)``.

        ``vector_index`` is the free index of a vector result (``k`` in ``p_k − y_k``); the
        kernel then works on whole arrays along their last axis. ``shift=(s, z)`` says that the
        argument ``s`` shifts the vector ``z`` and that the chain holds for every real ``s``:
        the kernel's blocked driver then uses each row's largest ``z``, the choice that keeps
        every exponent at most 0. ``peak=(w, z)`` says that the vector argument ``w`` may be any
        vector that sums to 1 (declare that with :meth:`assume`): the driver then makes it 1 at
        each row's first largest ``z`` and 0 elsewhere. ``on_overflow`` names a kernel of the
        same value, taking the same arguments, that never overflows where this shorter one can:
        the driver runs each block with overflow raising and computes a block that overflowed
        with it (a chain from this form to that one shows they are equal). What the generator
        cannot compile is refused here with a :class:`~gradbook.errors.CodegenError`.
        """
        chain = self._current_chain("implement()")
        self._refuse_in_exercise(chain, "implement()")
        source = self.source.name if self.source else f"{self.name}.py"
        try:
            with sp.evaluate(True):
                implementation = Implementation.checked(
                    name, _as_computed(self.setting.expand_definitions(chain.last.expr)),
                    tuple(arguments), vector_index, self.setting, self.name,
                    f"derivations/{source}", doc, shift, peak, on_overflow,
                )
        except GradbookError as error:
            self._record_failure(error)
            raise
        chain.implementation = implementation
        return implementation

    def implement_together(
        self, name: str, kernels: tuple[str, ...], doc: str, on_overflow: str | None = None
    ) -> JointImplementation:
        """Compile the kernels named ``kernels`` (implemented here or by another derivation) into
        one kernel ``name`` that returns their values together, computing what they share once.

        Used for a cost and its gradient: an optimiser asks for both at every step, and one
        pass over the data is cheaper than two. The parts are looked up when the kernels module
        is generated; the joint kernel takes every part's arguments, each name once.
        ``on_overflow`` is as for :meth:`implement`: a joint kernel whose parts never overflow.
        """
        source = self.source.name if self.source else f"{self.name}.py"
        if len(kernels) < 2 or len(set(kernels)) != len(kernels):
            error = CodegenError(f"{self.name}: implement_together() needs two or more different kernels")
            self._record_failure(error)
            raise error
        joint = JointImplementation(
            name, tuple(kernels), self.name, f"derivations/{source}", doc, on_overflow=on_overflow
        )
        self.joint_implementations.append(joint)
        return joint

    @property
    def implementations(self) -> list[Implementation]:
        return [chain.implementation for chain in self.chains if chain.implementation is not None]

    @property
    def lesson(self) -> list[Chain]:
        """The chains of the lesson itself: every chain that is not an exercise."""
        return [chain for chain in self.chains if not chain.is_exercise]

    @property
    def exercises(self) -> list[Chain]:
        """The exercises, in the order they were written; each chain is the checked answer."""
        return [chain for chain in self.chains if chain.is_exercise]

    @property
    def results(self) -> list[Result]:
        return [chain.result for chain in self.chains if chain.result is not None]

    @property
    def steps(self) -> list[Step]:
        return [step for chain in self.chains for step in chain.steps]

    def errors(self) -> list[GradbookError]:
        """Why this derivation does not stand: every step refused so far, or no step at all.

        A refused step is recorded before its exception is raised, so a script that catches
        the exception still fails here; a derivation that checks nothing proves nothing.
        """
        problems = list(self.failures)
        if not any(step.verification is not None for step in self.steps):
            problems.append(DerivationError(f"{self.name}: the derivation has no checked step"))
        return problems

    # -- internals -------------------------------------------------------------------------

    @contextmanager
    def _writing(self, number: int, justification: object) -> Iterator[None]:
        """Remember which step an exception interrupted, for the loader's report of it.

        The exception is kept with the step, so the report of an exception raised later,
        outside any step, is not attributed to a step that failed before and was caught.
        """
        try:
            yield
        except BaseException as error:
            text = justification if isinstance(justification, str) else None
            self.interrupted = StepInterrupted(number, text, error)
            raise

    def _current_chain(self, what: str) -> Chain:
        if not self.chains or (self._opened is not None and self._opened is not self.chains[-1]):
            raise DerivationError(f"{self.name}: call start() before {what}")
        return self.chains[-1]

    def _refuse_in_exercise(self, chain: Chain, what: str) -> None:
        if chain.is_exercise:
            raise DerivationError(f"{self.name}: {what} is for the lesson's chains, not an exercise's")

    def _shown_mistake(self, chain: Chain, previous: Step, wrong: sp.Expr, number: int) -> ShownMistake:
        """The wrong version of step ``number``, with the counterexample that refutes it.

        The exercise promises the reader a mistake, so the checker must find one: a "wrong" line
        that passes is refused, as is a second mistake in the same exercise.
        """
        where = f"{self.name}: step {number}"
        if not chain.is_exercise:
            raise DerivationError(f"{where}: wrong= is for spot-the-mistake exercises (d.exercise)")
        if chain.mistake_step is not None:
            raise DerivationError(f"{where}: an exercise shows one mistake; step "
                                  f"{chain.mistake_step.number} already has one")
        wrong = tidy(wrong)
        self._require_declared(wrong, f"the wrong version of step {number}")
        with sp.evaluate(True):
            outcome = compare(previous.expr, wrong, self.setting)
        if not isinstance(outcome, Counterexample):
            raise DerivationError(
                f"{where}: the checker finds no counterexample to the wrong version shown to the "
                "reader, so it is no mistake; show a line that does not follow from the one before"
            )
        return ShownMistake(wrong, outcome)

    def _next_number(self) -> int:
        return sum(len(chain.steps) for chain in self.chains) + 1

    def _require_declared(self, expr: sp.Expr, where: str) -> None:
        missing = self.setting.undeclared_symbols(expr)
        if missing:
            raise DerivationError(
                f"{self.name}: {where} uses undeclared symbol(s) {', '.join(missing)}; "
                "declare them with real(), scalar(), vector(), matrix(), size() or index()"
            )

    def _verify(self, before: sp.Expr, after: sp.Expr, number: int, justification: str) -> Verification:
        """Check the step, or, while a verdict is replayed, take the check recorded for it.

        A replayed step must compare the very expressions that were checked
        (:class:`gradbook.verdicts.Replay` refuses it otherwise).
        """
        recorded = verdicts.replaying()
        if recorded is not None:
            return recorded.verification(self.name, number, justification, before, after)
        with sp.evaluate(True):
            outcome = compare(before, after, self.setting)
        if isinstance(outcome, Counterexample):
            raise StepNotEquivalentError(
                self.name, number, justification, outcome.point, outcome.before, outcome.after,
                difference=outcome.difference, note=outcome.note,
            )
        if isinstance(outcome, Unevaluable):
            reasons = "; ".join(outcome.reasons[:4])
            more = f" (and {len(outcome.reasons) - 4} more)" if len(outcome.reasons) > 4 else ""
            proof = outcome.proof_note or "could not be proved symbolically"
            raise StepNotEvaluableError(
                f"{self.name}: step {number} ({justification!r}) cannot be "
                f"evaluated at any point and {proof}: {reasons}{more}"
            )
        return outcome

    def main(self, argv: list[str] | None = None) -> None:
        """Entry point of a derivation script run as ``__main__``: print the checked steps.

        ``--latex`` prints them as LaTeX (one ``aligned`` block per chain) and ``--json`` as the
        data ``gradbook export`` writes; by default they are printed as readable text.

        It runs after the last step, so a wrong step has already stopped the script with
        Python's own report: a short traceback ending in the message that names the step and
        its counterexample. ``gradbook derive path.py`` reports it as one paragraph instead.
        """
        import argparse

        from gradbook.export import to_json, to_latex_document
        from gradbook.terminal import format_derivation

        if self.source is None:
            self.source = _main_script()
        parser = argparse.ArgumentParser(description=self.title)
        form = parser.add_mutually_exclusive_group()
        form.add_argument("--latex", action="store_true", help="print the steps as LaTeX")
        form.add_argument("--json", action="store_true", help="print the steps as JSON")
        options = parser.parse_args(argv)
        if options.latex:
            print(to_latex_document(self), end="")
        elif options.json:
            print(to_json(self))
        else:
            print(format_derivation(self))


def numbers(*values: float | int) -> tuple[sp.Float, ...]:
    """``values`` as SymPy numbers, for worked examples such as −log(0.6 · 0.2 · 0.1 · 0.7).

    Python multiplies two of its own floats before SymPy sees them, so the product would reach
    the step as one number, 0.0084; SymPy numbers stay written out inside a chain. Each is the
    decimal as typed, to more digits than the checker ever uses: a float's 16 digits would make
    −log(0.6 · 0.2 · 0.1) and −log 0.6 − log 0.2 − log 0.1 differ by a rounding error, which
    the checker rightly reports.
    """
    digits = 2 * ESCALATION[-1]
    return tuple(sp.Float(repr(value), digits) for value in values)


#: The SymPy assumptions each domain implies; any other is refused by ``Derivation.scalar``.
_IMPLIED_BY_EVERY_DOMAIN = {"real": True, "commutative": True, "finite": True}
_IMPLIED = {
    domains.POSITIVE: {"positive": True, "nonzero": True, "nonnegative": True},
    domains.NEGATIVE: {"negative": True, "nonzero": True, "nonpositive": True},
    domains.PROBABILITY: {"positive": True, "nonzero": True, "nonnegative": True},
    domains.SOFT_LABEL: {"nonnegative": True},
    domains.LABEL: {"nonnegative": True, "integer": True},
}


def _require_implied(name: str, domain: Domain, assumptions: dict) -> None:
    implied = _IMPLIED_BY_EVERY_DOMAIN | _IMPLIED.get(domain, {})
    extra = sorted(f"{key}={value}" for key, value in assumptions.items() if implied.get(key) != value)
    if extra:
        raise DerivationError(
            f"{name}: the assumption(s) {', '.join(extra)} are not implied by the domain "
            f"{domain.name}; the checker samples the domain, so declare it instead "
            "(e.g. d.scalar(name, domains.POSITIVE))"
        )


def tidy(expr: sp.Basic) -> sp.Basic:
    """Undo what Python's left-to-right ``*`` does to an unevaluated product.

    ``a*b*c`` builds ``(a·b)·c`` and ``-Σ(...)/m`` builds ``(−1·Σ)·(1/m)``; the author meant one
    product of three factors, and only that prints as the textbook does. A product nested
    anywhere else, as in (1/u)·(e⁻ᶻ/u), was grouped by the author and stays. Sums likewise:
    ``a - b - c`` is one sum of three terms, ``a - (b - c)`` keeps its bracket. Matrices of
    :meth:`Derivation.as_matrix` become ordinary SymPy matrices again.

    A product built unevaluated that starts with a reciprocal, 1/u · (1 − 1/u), keeps that
    reciprocal as a factor of its own (SymPy's ``UnevaluatedExpr``, which only the printers
    see): the same tree also comes from (1 − 1/u)/u, which SymPy prints as one fraction, but
    only an author puts the reciprocal first.
    """
    expr = plain(expr)
    expr = expr.replace(
        lambda node: _is_scalar_product(node) and _is_scalar_product(node.args[0]),
        _flatten_leading_product,
    )
    expr = expr.replace(
        lambda node: _is_scalar_sum(node) and _is_scalar_sum(node.args[0]),
        _flatten_leading_sum,
    )
    if global_parameters.evaluate:
        return expr
    return expr.replace(_starts_with_reciprocal, _reciprocal_kept_apart)


def _as_computed(expr: sp.Basic) -> sp.Basic:
    """``expr`` without the factors :func:`tidy` keeps apart for display only.

    Those ``UnevaluatedExpr`` wrappers say how to print a product, not what to compute, and
    the kernel generator has no NumPy form for them.
    """
    return expr.replace(lambda node: isinstance(node, sp.UnevaluatedExpr), lambda node: node.args[0])


def _is_scalar_product(node: sp.Basic) -> bool:
    """A product of scalars (SymPy's matrix product is a subclass of its scalar one)."""
    return isinstance(node, sp.Mul) and not isinstance(node, sp.MatrixExpr)


def _is_scalar_sum(node: sp.Basic) -> bool:
    return isinstance(node, sp.Add) and not isinstance(node, sp.MatrixExpr)


def _flatten_leading_sum(total: sp.Add) -> sp.Expr:
    first, *rest = total.args
    while isinstance(first, sp.Add):
        first, *inner = first.args
        rest = [*inner, *rest]
    return sp.Add(first, *rest, evaluate=False)


def _flatten_leading_product(product: sp.Mul) -> sp.Expr:
    first, *rest = product.args
    while isinstance(first, sp.Mul):
        first, *inner = first.args
        rest = [*inner, *rest]
    return sp.Mul(first, *rest, evaluate=False)


def _starts_with_reciprocal(node: sp.Basic) -> bool:
    if not _is_scalar_product(node) or len(node.args) < 2:
        return False
    first = node.args[0]
    return isinstance(first, sp.Pow) and first.exp == -1


def _reciprocal_kept_apart(product: sp.Mul) -> sp.Expr:
    first, *rest = product.args
    return sp.Mul(sp.UnevaluatedExpr(first), *rest, evaluate=False)


def _main_script() -> Path | None:
    """The path of the script Python runs as ``__main__`` (None in an interactive session)."""
    path = getattr(sys.modules.get("__main__"), "__file__", None)
    return Path(path) if path else None
