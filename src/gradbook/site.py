"""The generated part of the documentation site.

One page per derivation, the map of the learning path, the API page, the mistakes page and the
figures.

:func:`build_pages` is the whole of it. ``mkdocs build`` and ``mkdocs serve`` call it through the
``gradbook`` plugin (``mkdocs_plugin.py``) before MkDocs collects its files, and the plugin puts
:func:`derivation_nav` into the nav; it can also be run on its own (``python -m gradbook.site``),
which is what a generator other than MkDocs would need.

Everything a derivation page shows comes from its script: the steps, and what the script
declares with ``d.page(...)`` (:mod:`gradbook.page`): its place on the learning path
(:mod:`gradbook.learning_path`), the functions it documents, its links, examples and figures.

The pages go to ``<docs>/derivations/`` and ``<docs>/generated/``, the figures to
``<docs>/generated/figures/`` (drawn for the light palette) and ``<docs>/generated/figures/dark/``
(the same figures for the dark one). Both folders are ignored by git: the pages are a function of the
derivation scripts, the templates and the NumPy functions, so committing them would only add a
second copy that can drift. A page is rewritten only when its text changes, and generated pages
whose derivation is gone are deleted.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gradbook import display, examples, glossary, learning_path, plots, reference_notes, render
from gradbook.book import shipped_used_by
from gradbook.derivation import Chain, Derivation, Step
from gradbook.errors import GradbookError
from gradbook.learning_path import Section, page_of
from gradbook.mistakes import MISTAKES, Mistake
from gradbook.page import Figure, PageDeclarationError
from gradbook.scripts import in_dependency_order, load_derivations, load_scripts, script_paths
from gradbook.writing import write_if_changed

DERIVATION_PAGES = "derivations"
GENERATED_PAGES = "generated"
MAP_FRAGMENT = f"{GENERATED_PAGES}/derivation-map.md"
API_PAGE = f"{GENERATED_PAGES}/api.md"
MISTAKES_PAGE = f"{GENERATED_PAGES}/mistakes.md"
NOTATION_PAGE = f"{GENERATED_PAGES}/notation.md"
REFERENCE_NOTES_PAGE = f"{GENERATED_PAGES}/reference-notes.md"
FIGURES = f"{GENERATED_PAGES}/figures"
#: The figures drawn for the dark palette, under the same file names (:mod:`gradbook.plots`).
DARK_FIGURES = f"{FIGURES}/dark"

class PageBuildError(GradbookError):
    """Some pages could not be built; the message lists every failure, not just the first."""


def build_pages(docs_dir: Path, derivations_dir: Path, shipped: Path | None = None) -> list[Path]:
    """Write every generated page under ``docs_dir``; the pages whose text changed.

    With ``shipped`` (a book's site, :mod:`gradbook.mkdocs_plugin`), the shipped derivations
    that those of ``derivations_dir`` use get pages too. Failures are collected over all pages
    and raised together as :class:`PageBuildError`.
    """
    catalogue = _catalogue(loaded_derivations(derivations_dir, shipped))
    makers = {docs_dir / catalogue.page(d.name): _derivation_maker(d) for d in catalogue.derivations}
    makers |= {
        docs_dir / MAP_FRAGMENT: map_page,
        docs_dir / API_PAGE: api_page,
        docs_dir / MISTAKES_PAGE: mistakes_page,
        docs_dir / NOTATION_PAGE: notation_page,
    }
    if has_reference_notes(catalogue):
        makers[docs_dir / REFERENCE_NOTES_PAGE] = reference_notes_page
    makers |= {docs_dir / FIGURES / name: _figure_maker(name, "light") for name in catalogue.figures}
    makers |= {docs_dir / DARK_FIGURES / name: _figure_maker(name, "dark") for name in catalogue.figures}
    pages: dict[Path, str] = {}
    failures: list[tuple[Path, Exception]] = []
    for path, make in makers.items():
        try:
            pages[path] = make(catalogue)
        except Exception as error:
            failures.append((path, error))
    if failures:
        report = "\n  ".join(f"{path.name}: {type(error).__name__}: {error}" for path, error in failures)
        raise PageBuildError(f"could not build {len(failures)} page(s):\n  {report}") from failures[0][1]
    written = [path for path, text in pages.items() if write_if_changed(path, text)]
    for folder in (DERIVATION_PAGES, GENERATED_PAGES):
        render.remove_stale(docs_dir / folder, pages)  # pages only: figures are not *.md
    return written


def derivation_nav(derivations_dir: Path, shipped: Path | None = None) -> list[dict[str, list[str]]]:
    """The nav entries of the derivation pages: the learning path, one section per part."""
    catalogue = _catalogue(loaded_derivations(derivations_dir, shipped))
    return learning_path.nav(catalogue.sections, DERIVATION_PAGES)


def _catalogue(derivations: list[Derivation]) -> Catalogue:
    try:
        return Catalogue(derivations)
    except PageDeclarationError as error:
        raise PageBuildError(f"the pages cannot be laid out: {error}") from error


# -- loading --------------------------------------------------------------------------------


def loaded_derivations(directory: Path, shipped: Path | None = None) -> list[Derivation]:
    """Every derivation of ``directory``, with (given ``shipped``) the shipped ones they use.

    Through the one loader (:mod:`gradbook.scripts`): each script is checked once per content,
    by a worker or from the verdicts kept on disk, so a rebuild with nothing changed (such as
    the one ``mkdocs serve`` triggers by writing pages into the docs folder) checks nothing.
    """
    paths = script_paths(directory)
    if not paths:
        raise PageBuildError(f"no derivation scripts in {directory}")
    own = load_scripts(paths)
    if shipped is None:
        return in_dependency_order(own)
    return in_dependency_order(own + shipped_used_by(own, shipped, load_derivations))


# -- the derivations and their links -------------------------------------------------------


@dataclass(frozen=True)
class Link:
    title: str
    href: str


class Catalogue:
    """All derivations, who uses whom, which derivation made each NumPy kernel and draws each figure.

    Raises :class:`~gradbook.page.PageDeclarationError` if the declared places do not make one
    learning path, or two derivations draw a figure of the same name.
    """

    def __init__(self, derivations: list[Derivation]) -> None:
        self.sections = learning_path.sections(derivations)
        self.derivations = [d for section in self.sections for d in section.derivations]
        self.by_name = {d.name: d for d in derivations}
        self.used_by = {d.name: [u for u in derivations if d.name in u.uses] for d in derivations}
        self.kernel_origin = {
            impl.name: d.name
            for d in derivations
            for impl in [*d.implementations, *d.joint_implementations]
        }
        self.figures: dict[str, tuple[str, Figure]] = {}
        for d in self.derivations:
            for figure in page_of(d).drawn:
                if figure.filename in self.figures:
                    raise PageDeclarationError(
                        f"{self.figures[figure.filename][0]} and {d.name} both draw {figure.filename}; "
                        "rename one, or show the other's with page.show_figure()"
                    )
                self.figures[figure.filename] = (d.name, figure)

    def figure(self, filename: str, shown_by: str) -> Figure:
        """The figure ``filename`` that the page of ``shown_by`` shows; an error naming both if none."""
        if filename not in self.figures:
            raise PageDeclarationError(f"{shown_by} shows the figure {filename}, which no derivation draws")
        return self.figures[filename][1]

    @staticmethod
    def page(name: str) -> str:
        return f"{DERIVATION_PAGES}/{name}.md"

    def link(self, name: str, start: str = DERIVATION_PAGES) -> Link:
        """A link to the page of ``name`` from a page in the folder ``start`` ("" for the top)."""
        page = self.page(name)
        href = {DERIVATION_PAGES: f"{name}.md", "": page}.get(start, f"../{page}")
        return Link(self.by_name[name].title, href)


# -- a derivation page ---------------------------------------------------------------------


@dataclass(frozen=True)
class Code:
    """A function's name as the reader imports it, and its source."""

    name: str
    source: str


@dataclass(frozen=True)
class ChainCode:
    """The NumPy code shown after a chain: the kernel compiled from it, if any, and the
    functions the page documents that call that kernel."""

    kernel: Code | None = None
    callers: tuple[Code, ...] = ()
    #: The kernel's Array API twin, for arrays of other libraries.
    twin: Code | None = None


@dataclass(frozen=True)
class FunctionCode:
    """A documented function shown in the page's "In NumPy" section, with the kernels it calls
    and the derivations they come from."""

    code: Code
    uses_kernels: tuple[tuple[str, Link], ...] = ()


@dataclass(frozen=True)
class ChainView:
    """A chain with its heading, its result as "start = end", and its code."""

    chain: Chain
    title: str
    result_math: str
    code: ChainCode


def derivation_page(derivation: Derivation, catalogue: Catalogue) -> str:
    """The page of ``derivation``; refused if a step would be shown other than as checked."""
    display.check_display(derivation)
    page = page_of(derivation)
    documented = documented_functions(derivation)
    computed = examples.PageExamples.of(page.sections(), derivation.name) if page.examples_function else None
    text = render.render(
        "derivation.md.j2",
        header=page_header(f"derivations/{_script_name(derivation)}", derivation.title),
        derivation=derivation,
        source=f"derivations/{_script_name(derivation)}",
        notation_href=f"../{NOTATION_PAGE}",
        builds_on=[catalogue.link(name) for name in derivation.uses],
        built_on_by=[catalogue.link(user.name) for user in catalogue.used_by[derivation.name]],
        reading=page.reading,
        setting=render.setting_items(derivation.setting),
        chains=[chain_view(chain, number, documented, catalogue)
                for number, chain in enumerate(derivation.lesson, 1)],
        exercises=[ExerciseView.of(chain, number) for number, chain in enumerate(derivation.exercises, 1)],
        functions=page_functions(derivation, documented, catalogue),
        examples=computed,
        check_rows=[check.rows() for check in computed.checks] if computed else [],
        usage_output=computed.usage.run(derivation.name) if computed and computed.usage else "",
        fd_step=examples.step_latex(),
        figures=[FigureView.of(catalogue.figure(figure, derivation.name) if isinstance(figure, str)
                               else figure) for figure in page.figures],
    )
    return _with_notes_linked(text, catalogue, f"../{REFERENCE_NOTES_PAGE}")


@dataclass(frozen=True)
class FigureView:
    """A figure as a derivation page embeds it: the links from the page to its drawings for the
    light and the dark palette, alt text, caption."""

    href: str
    dark_href: str
    alt: str
    caption: str

    @classmethod
    def of(cls, figure: Figure) -> FigureView:
        return cls(f"../{FIGURES}/{figure.filename}", f"../{DARK_FIGURES}/{figure.filename}",
                   figure.alt, figure.caption)


def _derivation_maker(derivation: Derivation) -> Callable[[Catalogue], str]:
    return functools.partial(derivation_page, derivation)


def figure_svg(filename: str, theme: str, catalogue: Catalogue) -> str:
    """The figure ``filename`` drawn as SVG for the palette ``theme``; a drawing that fails
    names its derivation."""
    owner, figure = catalogue.figures[filename]
    try:
        return plots.render_svg(figure, theme)
    except Exception as error:
        raise PageDeclarationError(
            f"the figure {filename} of {owner} ({figure.draw.__name__}) failed: "
            f"{type(error).__name__}: {error}"
        ) from error


def _figure_maker(filename: str, theme: str) -> Callable[[Catalogue], str]:
    return functools.partial(figure_svg, filename, theme)


def _script_name(derivation: Derivation) -> str:
    return derivation.source.name if derivation.source else f"{derivation.name}.py"


@dataclass(frozen=True)
class ExerciseView:
    """An exercise as its page shows it: the question, the lines it shows, the hidden answer.

    ``shown`` are the steps the question shows (for a spot-the-mistake exercise, the lines up to
    the wrong one, which is shown in its wrong version); ``first_number`` is subtracted from the
    steps' numbers so that an exercise numbers its own lines from 1.
    """

    number: int
    chain: Chain
    shown: list[Step]
    first_number: int

    @classmethod
    def of(cls, chain: Chain, number: int) -> ExerciseView:
        wrong = chain.mistake_step
        shown = [] if wrong is None else [step for step in chain.steps if step.number <= wrong.number]
        return cls(number, chain, shown, chain.steps[0].number - 1)

    @property
    def lhs_latex(self) -> str | None:
        return None if self.chain.lhs is None else render.latex(self.chain.lhs)

    def counterexample(self) -> str:
        """Where the wrong line and the line before it differ, as the checker found it."""
        found = self.chain.mistake_step.mistake.counterexample
        if not found.point:
            return found.note
        where = ", ".join(f"{name} = {value}" for name, value in found.point.items())
        return f"at {where} the line before is {found.before} and the wrong line is {found.after}"


def chain_view(
    chain: Chain, number: int, documented: dict[str, Documented], catalogue: Catalogue
) -> ChainView:
    start = chain.lhs if chain.lhs is not None else chain.steps[0].expr
    return ChainView(
        chain,
        chain.title or f"Part {number}",
        rf"{render.latex(start)} = {chain.last.latex}",
        chain_code(chain, documented),
    )


def chain_code(chain: Chain, documented: dict[str, Documented]) -> ChainCode:
    """The kernel compiled from ``chain``, and the documented functions that call it."""
    if chain.implementation is None:
        return ChainCode()
    function = kernel_function(chain.implementation.name)
    kernel = Code(f"gradbook.kernels.{function.__name__}", inspect.getsource(function))
    callers = tuple(f.code for f in documented.values() if function.__name__ in f.kernels)
    return ChainCode(kernel, callers, array_api_twin(function.__name__))


def array_api_twin(name: str) -> Code | None:
    """The source of the Array API twin of the kernel ``name`` (with its by-rows driver, for a
    kernel with a shift), as generated beside it."""
    kernels = importlib.import_module("gradbook.kernels")
    twins = [getattr(kernels, f"{name}{suffix}", None) for suffix in ("_xp", "_xp_rows")]
    found = [twin for twin in twins if twin is not None]
    if not found:
        return None
    source = "\n\n".join(inspect.getsource(twin) for twin in found)
    return Code(f"gradbook.kernels.{found[0].__name__}", source)


def page_functions(
    derivation: Derivation, documented: dict[str, Documented], catalogue: Catalogue
) -> list[FunctionCode]:
    """The documented functions that call no kernel compiled on this page, for "In NumPy"."""
    here = {impl.name for impl in derivation.implementations}
    shown = []
    for function in documented.values():
        if here.intersection(function.kernels):
            continue  # shown after the chain that compiles its kernel
        links = tuple((kernel, catalogue.link(catalogue.kernel_origin[kernel]))
                      for kernel in sorted(function.kernels) if kernel in catalogue.kernel_origin)
        shown.append(FunctionCode(function.code, links))
    return shown


def page_header(made_from: str, title: str) -> str:
    """The front matter of a generated page: a comment that says so, and the page's title.

    The title is given here because MkDocs only takes a page's title from its heading when the
    heading is the first thing on the page.
    """
    return (
        f"---\n# {render.GENERATED_MARKER}.site from {made_from} at every build.\n"
        "# Do not edit: change the derivation script or src/gradbook/templates/ instead.\n"
        f"title: {json.dumps(title, ensure_ascii=False)}\n---"
    )


def fragment_header(made_from: str) -> str:
    """The first line of a generated fragment (included into a page, so no front matter)."""
    return f"<!-- {render.GENERATED_MARKER}.site from {made_from} at every build. Do not edit. -->"


# -- the NumPy code behind a derivation ----------------------------------------------------


def kernel_function(name: str) -> Callable[..., object]:
    kernels = importlib.import_module("gradbook.kernels")
    function = getattr(kernels, name, None)
    if not inspect.isfunction(function):
        raise PageBuildError(
            f"gradbook.kernels has no kernel {name!r}; regenerate it with `gradbook generate`"
        )
    return function


def public_functions() -> dict[str, Callable[..., object]]:
    """The public functions of :mod:`gradbook.functions`, by name, in ``__all__`` order."""
    module = importlib.import_module("gradbook.functions")
    names = getattr(module, "__all__", [n for n in vars(module) if not n.startswith("_")])
    return {name: getattr(module, name) for name in names if callable(getattr(module, name))}


def public_code(name: str) -> Code:
    function = public_functions()[name]
    return Code(f"gradbook.functions.{name}", inspect.getsource(inspect.unwrap(function)))


@dataclass(frozen=True)
class Documented:
    """A function a derivation documents: its code as the page shows it, the kernels it calls."""

    code: Code
    kernels: tuple[str, ...]


def documented_functions(derivation: Derivation) -> dict[str, Documented]:
    """The functions ``derivation`` documents (``d.page(documents=...)``), by the name it gives.

    A name without a dot is a function of :mod:`gradbook.functions`; a dotted name is imported.
    A name that is not a function fails the page, naming the derivation.
    """
    found = {}
    for name in page_of(derivation).documents:
        if "." not in name:
            if name not in public_functions():
                raise PageDeclarationError(
                    f"{derivation.name} documents {name!r}, which is not a function of gradbook.functions"
                )
            found[name] = Documented(public_code(name), kernels_called(name))
        else:
            found[name] = Documented(_dotted_code(name, derivation.name), ())
    return found


def _dotted_code(path: str, derivation: str) -> Code:
    module_name, _, attribute = path.rpartition(".")
    try:
        function = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise PageDeclarationError(
            f"{derivation} documents {path!r}, which cannot be imported: {error}"
        ) from None
    if not callable(function):
        raise PageDeclarationError(f"{derivation} documents {path!r}, which is not a function")
    return Code(path, inspect.getsource(inspect.unwrap(function)))


def documented_by(catalogue: Catalogue) -> dict[str, list[str]]:
    """Function name (as documented) → the derivations that document it, in path order."""
    pages: dict[str, list[str]] = {}
    for d in catalogue.derivations:
        for name in page_of(d).documents:
            pages.setdefault(name, []).append(d.name)
    return pages


def kernels_called(name: str) -> tuple[str, ...]:
    """The kernels the public function ``name`` calls (:func:`gradbook.functions.calls_kernels`)."""
    functions = importlib.import_module("gradbook.functions")
    return functions.KERNELS_CALLED.get(name, ())


# -- the map of derivations and the API page -----------------------------------------------


def map_page(catalogue: Catalogue) -> str:
    """The learning path, section by section, as a fragment the home page includes."""
    sections: list[Section] = catalogue.sections
    return render.render(
        "map.md.j2",
        header=fragment_header("the page declarations and the uses= of the derivation scripts"),
        sections=sections,
        catalogue=catalogue,
    )


@dataclass(frozen=True)
class ApiEntry:
    """One function of the API reference: how it is called, its docstring, where it is derived."""

    name: str
    signature: str
    doc: str
    kernels: tuple[tuple[str, Link], ...]
    documented_on: tuple[Link, ...]


def api_page(catalogue: Catalogue) -> str:
    """Every function of :mod:`gradbook.functions`, then every other function a derivation
    documents, each with its docstring and links to the pages that derive and document it."""
    module = importlib.import_module("gradbook.functions")
    pages = documented_by(catalogue)
    entries = []
    for name, function in public_functions().items():
        kernels = tuple(
            (kernel, catalogue.link(catalogue.kernel_origin[kernel], GENERATED_PAGES))
            for kernel in sorted(kernels_called(name))
            if kernel in catalogue.kernel_origin
        )
        on = tuple(catalogue.link(d, GENERATED_PAGES) for d in pages.get(name, ()))
        entries.append(ApiEntry(name, f"gradbook.functions.{name}{inspect.signature(function)}",
                                inspect.getdoc(function) or "", kernels, on))
    for path, derivations in pages.items():
        if "." in path:
            function = getattr(importlib.import_module(path.rpartition(".")[0]), path.rpartition(".")[2])
            on = tuple(catalogue.link(d, GENERATED_PAGES) for d in derivations)
            entries.append(ApiEntry(path, f"{path}{inspect.signature(function)}",
                                    inspect.getdoc(function) or "", (), on))
    return render.render(
        "api.md.j2",
        header=page_header("the docstrings of gradbook.functions and the page declarations", "API reference"),
        module_doc=inspect.getdoc(module) or "",
        entries=entries,
    )


# -- the mistakes of the reference notes ---------------------------------------------------


@dataclass(frozen=True)
class MistakeView:
    """A mistake with its three steps as LaTeX and the checker's verdict on the wrong one.

    ``point`` and the two values come from the ``StepNotEquivalentError`` the checker raised
    while this page was built; ``correct_badge`` is the short mark of the correct step,
    ``correct_check`` says how it was verified and ``correct_proved`` whether SymPy proved it.
    """

    mistake: Mistake
    steps: dict[str, str]
    point: tuple[tuple[str, str], ...]
    value_before: str
    value_wrong: str
    correct_badge: str
    correct_check: str
    correct_proved: bool

    @classmethod
    def of(cls, mistake: Mistake) -> MistakeView:
        caught = mistake.caught()  # MistakeNotCaughtError fails the build if the step passes
        verification = mistake.take_correct_step().verification
        return cls(
            mistake,
            mistake.latex(),
            tuple(caught.point.items()),
            caught.before.replace("-", "−"),
            caught.after.replace("-", "−"),
            verification.badge if verification else "",
            verification.details if verification else "",
            bool(verification and verification.proved),
        )


def mistakes_page(catalogue: Catalogue) -> str:
    """Every mistake of :data:`gradbook.mistakes.MISTAKES`, checked again while the page is built."""
    text = render.render(
        "mistakes.md.j2",
        header=page_header("gradbook.mistakes", "Mistakes the checker catches"),
        mistakes=[MistakeView.of(mistake) for mistake in MISTAKES],
    )
    return _with_notes_linked(text, catalogue, "reference-notes.md")


def has_reference_notes(catalogue: Catalogue) -> bool:
    """Whether the site shows "The reference notes": only when it has every page they link to."""
    return reference_notes.pages_named() <= set(catalogue.by_name)


def _with_notes_linked(text: str, catalogue: Catalogue, href: str) -> str:
    return render.link_the_notes(text, href) if has_reference_notes(catalogue) else text


def notation_page(catalogue: Catalogue) -> str:
    """The one notation of the book; refused if a derivation gives one of its symbols another meaning."""
    problems = glossary.conflicts(catalogue.derivations)
    if problems:
        raise PageBuildError("a symbol has two meanings:\n  " + "\n  ".join(problems))
    own: dict[str, dict[str, list[str]]] = {}
    for declared in glossary.unlisted(catalogue.derivations):
        own.setdefault(declared.name, {}).setdefault(declared.meaning, []).append(declared.derivation)
    return render.render(
        "notation.md.j2",
        header=page_header("gradbook.glossary", "Notation"),
        groups=glossary.GROUPS,
        functions=glossary.FUNCTIONS,
        own=own,
    )


def reference_notes_page(catalogue: Catalogue) -> str:
    """The notes the shipped derivations grew from, and every error in them with its correction."""
    mistakes = {mistake.name for mistake in MISTAKES}
    rows = []
    for error in reference_notes.ERRORS:
        if error.page == "mistakes":
            if error.mistake not in mistakes:
                raise PageBuildError(f"the reference notes name an unknown mistake {error.mistake!r}")
            link = Link("Mistakes the checker catches", f"mistakes.md#{error.mistake.replace('_', '-')}")
        else:
            link = catalogue.link(error.page, GENERATED_PAGES)
        rows.append((error, link))
    return render.render(
        "reference-notes.md.j2",
        header=page_header("gradbook.reference_notes", "The reference notes"),
        notes=reference_notes.NOTES,
        kinds=reference_notes.KINDS,
        rows=rows,
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m gradbook.site [DOCS_DIR [DERIVATIONS_DIR]]``: write the pages, list them."""
    args = sys.argv[1:] if argv is None else argv
    docs_dir = Path(args[0]) if args else Path("site_src")
    derivations_dir = Path(args[1]) if len(args) > 1 else Path("derivations")
    for path in build_pages(docs_dir, derivations_dir):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
