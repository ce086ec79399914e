"""The generated part of the documentation site.

One page per derivation, the map of the learning path, the API page, the mistakes page and the
figures.

:func:`build_pages` is the whole of it. ``mkdocs build`` and ``mkdocs serve`` call it through the
hook in ``mkdocs_hook.py`` before MkDocs collects its files; it can also be run on its own
(``python -m gradbook.site``), which is what a generator other than MkDocs would need.

The pages go to ``<docs>/derivations/`` and ``<docs>/generated/``, the figures to
``<docs>/generated/figures/``. Both folders are ignored by git: the pages are a function of the
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

from gradbook import display, examples, plots, render
from gradbook.book import shipped_used_by
from gradbook.derivation import Chain, Derivation
from gradbook.errors import GradbookError
from gradbook.mistakes import MISTAKES, Mistake
from gradbook.scripts import in_dependency_order, load_derivations, load_scripts, script_paths
from gradbook.writing import write_if_changed

DERIVATION_PAGES = "derivations"
GENERATED_PAGES = "generated"
MAP_FRAGMENT = f"{GENERATED_PAGES}/derivation-map.md"
API_PAGE = f"{GENERATED_PAGES}/api.md"
MISTAKES_PAGE = f"{GENERATED_PAGES}/mistakes.md"
FIGURES = f"{GENERATED_PAGES}/figures"

#: The order in which the site teaches the derivations, in sections: the nav of ``mkdocs.yml``
#: and the map on the home page follow it, and each derivation comes after those it uses
#: (tests/test_learning_path.py checks both).
LEARNING_PATH: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("1. Error functions and probabilities", ("maximum_likelihood", "entropy_cross_entropy")),
    ("2. The sigmoid", ("sigmoid_prime", "stable_sigmoid", "softmax_two_classes", "log_loss")),
    ("3. Gradients", (
        "bce_derivative", "unit_error_gradient", "logistic_cost_gradient", "softmax_cross_entropy",
    )),
    ("4. Training", ("gradient_descent", "linear_regression_mse")),
)


class PageBuildError(GradbookError):
    """Some pages could not be built; the message lists every failure, not just the first."""


def build_pages(docs_dir: Path, derivations_dir: Path, shipped: Path | None = None) -> list[Path]:
    """Write every generated page under ``docs_dir``; the pages whose text changed.

    With ``shipped`` (a book's site, :mod:`gradbook.mkdocs_plugin`), the shipped derivations
    that those of ``derivations_dir`` use get pages too. Failures are collected over all pages
    and raised together as :class:`PageBuildError`.
    """
    catalogue = Catalogue(loaded_derivations(derivations_dir, shipped))
    makers = {docs_dir / catalogue.page(d.name): _derivation_maker(d) for d in catalogue.derivations}
    makers |= {
        docs_dir / MAP_FRAGMENT: map_page,
        docs_dir / API_PAGE: api_page,
        docs_dir / MISTAKES_PAGE: mistakes_page,
    }
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
    written += plots.write_figures(docs_dir / FIGURES)
    for folder in (DERIVATION_PAGES, GENERATED_PAGES):
        render.remove_stale(docs_dir / folder, pages)  # pages only: figures are not *.md
    return written


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
    """All derivations, who uses whom, and which derivation made each NumPy kernel."""

    def __init__(self, derivations: list[Derivation]) -> None:
        self.derivations = derivations
        self.by_name = {d.name: d for d in derivations}
        self.used_by = {d.name: [u for u in derivations if d.name in u.uses] for d in derivations}
        self.kernel_origin = {
            impl.name: d.name for d in derivations for impl in d.implementations
        }

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
    """The NumPy code shown after a chain.

    ``kernel`` is the kernel compiled from the chain and ``callers`` the public functions that
    call it. A chain that publishes a result named like a public function has no kernel of its
    own: ``callers`` is that function and ``uses_kernels`` the kernels it calls, each with the
    derivation it comes from. ``compiled_in`` links to the derivation that compiles a result
    which is compiled elsewhere.
    """

    kernel: Code | None = None
    callers: tuple[Code, ...] = ()
    uses_kernels: tuple[tuple[str, Link], ...] = ()
    compiled_in: Link | None = None


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
    computed = examples.page_examples(derivation.name)
    return render.render(
        "derivation.md.j2",
        header=page_header(f"derivations/{_script_name(derivation)}", derivation.title),
        derivation=derivation,
        source=f"derivations/{_script_name(derivation)}",
        builds_on=[catalogue.link(name) for name in derivation.uses],
        built_on_by=[catalogue.link(user.name) for user in catalogue.used_by[derivation.name]],
        setting=render.setting_items(derivation.setting),
        chains=[chain_view(chain, number, derivation, catalogue)
                for number, chain in enumerate(derivation.chains, 1)],
        examples=computed,
        check_rows=[check.rows() for check in computed.checks] if computed else [],
        usage_output=computed.usage.run(derivation.name) if computed and computed.usage else "",
        fd_step=examples.step_latex(),
        figures=[FigureView.of(figure) for figure in plots.figures_on_page(derivation.name)],
    )


@dataclass(frozen=True)
class FigureView:
    """A figure as a derivation page embeds it: the link from the page, alt text, caption."""

    href: str
    alt: str
    caption: str

    @classmethod
    def of(cls, figure: plots.Figure) -> FigureView:
        return cls(f"../{FIGURES}/{figure.filename}", figure.alt, figure.caption)


def _derivation_maker(derivation: Derivation) -> Callable[[Catalogue], str]:
    return functools.partial(derivation_page, derivation)


def _script_name(derivation: Derivation) -> str:
    return derivation.source.name if derivation.source else f"{derivation.name}.py"


def chain_view(chain: Chain, number: int, derivation: Derivation, catalogue: Catalogue) -> ChainView:
    start = chain.lhs if chain.lhs is not None else chain.steps[0].expr
    return ChainView(
        chain,
        chain.title or f"Part {number}",
        rf"{render.latex(start)} = {chain.last.latex}",
        chain_code(chain, derivation, catalogue),
    )


def chain_code(chain: Chain, derivation: Derivation, catalogue: Catalogue) -> ChainCode:
    if chain.implementation is not None:
        function = kernel_function(chain.implementation.name)
        kernel = Code(f"gradbook.kernels.{function.__name__}", inspect.getsource(function))
        return ChainCode(kernel, tuple(public_code(name) for name in callers_of(function.__name__)))
    if chain.result is None:
        return ChainCode()
    if chain.result.name in public_functions():
        used = sorted(kernels_called(chain.result.name))
        origins = {name: catalogue.kernel_origin[name] for name in used if name in catalogue.kernel_origin}
        if derivation.name in origins.values():
            return ChainCode()  # the function is shown below, with the kernel this page derives
        links = tuple((name, catalogue.link(origin)) for name, origin in origins.items())
        return ChainCode(callers=(public_code(chain.result.name),), uses_kernels=links)
    origin = catalogue.kernel_origin.get(chain.result.name)
    if origin is not None and origin != derivation.name:
        return ChainCode(compiled_in=catalogue.link(origin))
    return ChainCode()


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


def callers_of(kernel: str) -> list[str]:
    """The public functions that call the kernel ``kernel``, as they declare it."""
    return [name for name in public_functions() if kernel in kernels_called(name)]


def kernels_called(name: str) -> tuple[str, ...]:
    """The kernels the public function ``name`` calls (:func:`gradbook.functions.calls_kernels`)."""
    functions = importlib.import_module("gradbook.functions")
    return functions.KERNELS_CALLED.get(name, ())


# -- the map of derivations and the API page -----------------------------------------------


@dataclass(frozen=True)
class MapSection:
    """One section of the learning path: its title and its derivations, in reading order."""

    title: str
    derivations: tuple[Derivation, ...]


def learning_path_sections(catalogue: Catalogue) -> list[MapSection]:
    """:data:`LEARNING_PATH` with the derivations that exist; any others in a last section."""
    sections = [
        MapSection(title, tuple(catalogue.by_name[n] for n in names if n in catalogue.by_name))
        for title, names in LEARNING_PATH
    ]
    placed = {name for _title, names in LEARNING_PATH for name in names}
    others = tuple(d for d in catalogue.derivations if d.name not in placed)
    if others:
        sections.append(MapSection("Other derivations", tuple(sorted(others, key=lambda d: d.name))))
    return [section for section in sections if section.derivations]


def map_page(catalogue: Catalogue) -> str:
    """The learning path, section by section, as a fragment the home page includes."""
    return render.render(
        "map.md.j2",
        header=fragment_header("gradbook.site.LEARNING_PATH and the uses= of the derivation scripts"),
        sections=learning_path_sections(catalogue),
        catalogue=catalogue,
    )


@dataclass(frozen=True)
class ApiEntry:
    name: str
    signature: str
    doc: str
    kernels: tuple[tuple[str, Link], ...]


def api_page(catalogue: Catalogue) -> str:
    module = importlib.import_module("gradbook.functions")
    entries = []
    for name, function in public_functions().items():
        kernels = tuple(
            (kernel, catalogue.link(catalogue.kernel_origin[kernel], GENERATED_PAGES))
            for kernel in sorted(kernels_called(name))
            if kernel in catalogue.kernel_origin
        )
        signature = f"{name}{inspect.signature(function)}"
        entries.append(ApiEntry(name, signature, inspect.getdoc(function) or "", kernels))
    return render.render(
        "api.md.j2",
        header=page_header("the docstrings of gradbook.functions", "API reference"),
        module_doc=inspect.getdoc(module) or "",
        entries=entries,
    )


# -- the mistakes of the reference notes ---------------------------------------------------


@dataclass(frozen=True)
class MistakeView:
    """A mistake with its three steps as LaTeX and the checker's verdict on the wrong one.

    ``point`` and the two values come from the ``StepNotEquivalentError`` the checker raised
    while this page was built; ``correct_check`` says how the correct step was verified and
    ``correct_proved`` whether SymPy proved it.
    """

    mistake: Mistake
    steps: dict[str, str]
    point: tuple[tuple[str, str], ...]
    value_before: str
    value_wrong: str
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
            verification.summary if verification else "",
            bool(verification and verification.proved),
        )


def mistakes_page(catalogue: Catalogue) -> str:
    """Every mistake of :data:`gradbook.mistakes.MISTAKES`, checked again while the page is built."""
    return render.render(
        "mistakes.md.j2",
        header=page_header("gradbook.mistakes", "Mistakes the checker catches"),
        mistakes=[MistakeView.of(mistake) for mistake in MISTAKES],
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
