"""What a book is, where the shipped derivations are, and making a new book.

A **book** is a folder that holds a ``derivations/`` folder of derivation scripts; its site is
configured by the ``mkdocs.yml`` beside it (``gradbook build`` and ``serve`` need one). The
command line finds the book it is run in from the current folder upwards (or takes ``--root``).
This repository is a book too.

The derivations of this repository are **shipped** inside the package (as ``gradbook.shipped``,
see pyproject.toml): ``gradbook list`` and ``gradbook derive`` show them outside a book, and a
book's ``uses=["sigmoid_prime"]`` refers to the shipped derivation when the book has none of
that name. In a source checkout, where the package is not installed, they are the checkout's
``derivations/`` folder itself; the same goes for the site assets (``site_src/``).

This module imports neither SymPy nor MkDocs: the command line uses it before it knows whether
it will need either.
"""

from __future__ import annotations

import importlib.util
import shutil
import string
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from gradbook.errors import GradbookError

if TYPE_CHECKING:
    from gradbook.derivation import Derivation

DERIVATIONS = "derivations"
SITE_CONFIG = "mkdocs.yml"
#: The files of a new book, with ``$book_name`` where its name goes.
TEMPLATE = Path(__file__).parent / "book_template"
#: The files of the template whose text names the book.
NAMED_FILES = ("mkdocs.yml", "README.md", "docs/index.md")


class BookError(GradbookError):
    """No book where one is needed, or a book that cannot be made where it was asked for."""


# -- finding a book ----------------------------------------------------------------------------


def is_book(folder: Path) -> bool:
    """Whether ``folder`` holds a ``derivations/`` folder."""
    return (folder / DERIVATIONS).is_dir()


def find_book(start: Path) -> Path | None:
    """The nearest book from ``start`` upwards, or None if ``start`` is in none."""
    start = start.resolve()
    return next((folder for folder in (start, *start.parents) if is_book(folder)), None)


def require_book(root: Path | None, start: Path) -> Path:
    """The book at ``root`` (``--root``), else the one around ``start``; BookError if none."""
    if root is not None:
        if not is_book(root):
            raise BookError(
                f"--root {root} is not a book: a book is a folder with a {DERIVATIONS}/ folder"
            )
        return root.resolve()
    found = find_book(start)
    if found is None:
        raise BookError(
            f"{start.resolve()} is not inside a book (a folder with a {DERIVATIONS}/ folder, here or "
            "above); make one with `gradbook new NAME`, or pass --root"
        )
    return found


# -- what ships inside the package ------------------------------------------------------------


def shipped_derivations() -> Path:
    """The folder of the derivations shipped with gradbook."""
    return _package_folder("gradbook.shipped", DERIVATIONS)


def site_assets() -> Path:
    """The folder of the files every book's site needs: KaTeX, the stylesheet, the script."""
    return _package_folder("gradbook.site_assets", "site_src")


def _package_folder(package: str, checkout_folder: str) -> Path:
    """The folder of a data package; in a source checkout, the folder of the repository it maps."""
    spec = importlib.util.find_spec(package)
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    checkout = Path(__file__).resolve().parents[2] / checkout_folder
    if checkout.is_dir():
        return checkout
    raise BookError(f"this installation of gradbook has no {package}; reinstall gradbook")


def shipped_names() -> list[str]:
    """The names of the shipped derivations (each script is named after its derivation)."""
    return sorted(path.stem for path in shipped_derivations().glob("*.py") if not path.stem.startswith("_"))


def shipped_used_by(
    derivations: Iterable[Derivation], shipped: Path, load: Callable[[Path], list[Derivation]]
) -> list[Derivation]:
    """The derivations of the folder ``shipped`` that ``derivations`` use (directly or not) and lack.

    ``load`` runs one script (:func:`gradbook.scripts.load_derivations`). A name that is neither
    defined nor shipped is left for the caller's check of the ``uses`` to report.
    """
    derivations = list(derivations)
    have = {d.name for d in derivations}
    wanted = [name for d in derivations for name in d.uses if name not in have]
    found: list[Derivation] = []
    while wanted:
        name = wanted.pop()
        script = shipped / f"{name}.py"
        if name in have or not script.is_file():
            continue
        for derivation in load(script):
            have.add(derivation.name)
            found.append(derivation)
            wanted.extend(derivation.uses)
    return found


# -- a new book -------------------------------------------------------------------------------


def new_book(folder: Path) -> list[Path]:
    """Make a book in ``folder`` (which must not exist yet, or be empty); the files written."""
    name = folder.name
    if not name.isidentifier() and not name.replace("-", "_").isidentifier():
        raise BookError(f"book name {name!r}: expected letters, digits, '_' or '-' (e.g. mybook)")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BookError(f"{folder} already exists and is not an empty folder; choose another name")
    around = find_book(folder.parent)
    if around is not None:
        raise BookError(f"{folder} would be inside the book {around}; make the new book outside it")
    written = []
    for source in sorted(path for path in TEMPLATE.rglob("*") if path.is_file()):
        relative = source.relative_to(TEMPLATE)
        if "__pycache__" in relative.parts:
            continue
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if relative.as_posix() in NAMED_FILES:
            text = string.Template(source.read_text(encoding="utf-8")).safe_substitute(book_name=name)
            target.write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(source, target)
        written.append(target)
    return written
