"""What a derivation declares about its page: its place, the functions it documents, its extras.

A derivation script owns its page. Everything the page shows besides the checked steps is
declared in the same file, after the steps, with :meth:`Derivation.page
<gradbook.derivation.Derivation.page>`::

    page = d.page(part=2, section="The sigmoid", order=1, documents=["sigmoid_prime"],
                  reading=[("The notes on the sigmoid", "https://example.org/sigmoid")])

    @page.examples
    def examples():
        from gradbook.examples import WorkedExample, WorkedValue
        from gradbook.functions import sigmoid
        return [WorkedExample("σ at 0.", (WorkedValue(r"\\sigma(0)", sigmoid(0.0), "0.5"),))]

    @page.figure("sigmoid.svg", alt="The sigmoid and its derivative", caption="...")
    def draw(drawing):
        drawing.subplots().plot(...)

* ``part``, ``section`` and ``order`` place the page on the learning path: the site's nav and the
  map on its home page list the parts by number, each under its title, and the pages of a part
  by ``order``. Every derivation of a part must give the part the same title, and a page must
  come after the pages of the derivations it ``uses``; the build says which file breaks either
  rule. A derivation that declares no page still gets one, in a last part, "Other derivations".
* ``documents`` names the public functions whose code the page shows: a name of
  :mod:`gradbook.functions`, or the dotted path of any other function. The API reference
  links each function to the pages that document it.
* ``reading`` is a list of (title, address) links shown under "Further reading".
* The function decorated with :meth:`Page.examples` returns the page's numeric sections
  (worked examples, naive-against-stable tables, gradient checks, a usage script; see
  :mod:`gradbook.examples`). It runs only when the site is built, never when the script is
  checked, so it may import :mod:`gradbook.functions` and take its time.
* A function decorated with :meth:`Page.figure` draws one figure on the matplotlib figure it is
  given; it too runs only when the site is built. :meth:`Page.show_figure` shows, by file name,
  a figure another derivation draws.

This module imports neither NumPy nor matplotlib: declaring a page costs a script nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gradbook.errors import GradbookError

if TYPE_CHECKING:
    from matplotlib.figure import Figure as Drawing

#: The title of the last part, which holds the derivations that declare no place.
OTHER_SECTION = "Other derivations"


class PageDeclarationError(GradbookError):
    """A page declaration that cannot be used: a bad place, a missing function, a failing extra."""


@dataclass(frozen=True)
class Reading:
    """A link under "Further reading": its title and its address."""

    title: str
    href: str


@dataclass(frozen=True)
class Figure:
    """A figure file name, its alt text, the function that draws it, and a caption.

    ``draw`` adds its axes to the empty matplotlib figure it is given, of ``size`` inches.
    """

    filename: str
    alt: str
    draw: Callable[[Drawing], None]
    caption: str = ""
    size: tuple[float, float] = (6, 3.4)


@dataclass
class Page:
    """The page declaration of one derivation; see the module docstring."""

    derivation: str
    part: int | None = None
    section: str = OTHER_SECTION
    order: int = 0
    documents: tuple[str, ...] = ()
    reading: tuple[Reading, ...] = ()
    #: In the order the page shows them: figures drawn here, and file names of figures drawn
    #: by another derivation.
    figures: list[Figure | str] = field(default_factory=list)
    examples_function: Callable[[], Iterable[Any]] | None = None

    @classmethod
    def declared(
        cls,
        derivation: str,
        part: int,
        section: str,
        order: int,
        documents: Sequence[str] = (),
        reading: Sequence[tuple[str, str]] = (),
    ) -> Page:
        """A page at ``part``/``order`` of the learning path, checked for its types."""
        if isinstance(part, bool) or not isinstance(part, int) or part < 1:
            raise PageDeclarationError(f"{derivation}: part={part!r}; expected a number from 1")
        if isinstance(order, bool) or not isinstance(order, int):
            raise PageDeclarationError(f"{derivation}: order={order!r}; expected a whole number")
        if not isinstance(section, str) or not section.strip():
            raise PageDeclarationError(f"{derivation}: section={section!r}; expected the part's title")
        if isinstance(documents, str):
            raise PageDeclarationError(
                f"{derivation}: documents={documents!r}; expected a list of names, e.g. [{documents!r}]"
            )
        links = tuple(Reading(title, href) for title, href in reading)
        return cls(derivation, part, section.strip(), order, tuple(documents), links)

    @property
    def placed(self) -> bool:
        """Whether the derivation declared its place on the learning path."""
        return self.part is not None

    def examples(self, function: Callable[[], Iterable[Any]]) -> Callable[[], Iterable[Any]]:
        """Decorator: ``function()`` returns the page's numeric sections; run at build time only."""
        if self.examples_function is not None:
            raise PageDeclarationError(f"{self.derivation}: the page has two examples functions")
        self.examples_function = function
        return function

    def figure(
        self, filename: str, alt: str, caption: str = "", size: tuple[float, float] = (6, 3.4)
    ) -> Callable[[Callable[[Drawing], None]], Callable[[Drawing], None]]:
        """Decorator: the function draws the figure ``filename`` (an ``.svg``) of this page."""
        if not filename.endswith(".svg") or "/" in filename:
            raise PageDeclarationError(
                f"{self.derivation}: figure {filename!r}; expected a file name like plot.svg"
            )

        def declare(draw: Callable[[Drawing], None]) -> Callable[[Drawing], None]:
            self.figures.append(Figure(filename, alt, draw, caption, size))
            return draw

        return declare

    def show_figure(self, filename: str) -> None:
        """Show the figure ``filename`` that another derivation's page draws."""
        self.figures.append(filename)

    def sections(self) -> list[Any]:
        """What the examples function returns, as a list; its failure names the derivation."""
        if self.examples_function is None:
            return []
        try:
            return list(self.examples_function())
        except Exception as error:
            raise PageDeclarationError(
                f"the examples of {self.derivation} ({self.examples_function.__name__}) failed: "
                f"{type(error).__name__}: {error}"
            ) from error

    @property
    def drawn(self) -> list[Figure]:
        """The figures this page draws itself."""
        return [figure for figure in self.figures if isinstance(figure, Figure)]


def undeclared(derivation: str) -> Page:
    """The page of a derivation that declares none: in the last part, with no extras."""
    return Page(derivation)
