"""The learning path: the derivations in the order the site teaches them, part by part.

Each derivation declares its place with ``d.page(part=..., section=..., order=...)``
(:mod:`gradbook.page`); the path is read from those declarations, so adding a derivation adds
it to the nav and to the home page's map with no other edit. The declarations must agree with
each other and with the derivations' ``uses``, and :func:`sections` says which file does not:

* every derivation of a part gives the part the same title;
* no two derivations of a part share an ``order``;
* a derivation comes after every derivation it uses.

Derivations that declare no place come last, in a part of their own
(:data:`gradbook.page.OTHER_SECTION`), each after those it uses.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gradbook.page import OTHER_SECTION, Page, PageDeclarationError, undeclared

if TYPE_CHECKING:
    from gradbook.derivation import Derivation


class LearningPathError(PageDeclarationError):
    """The declared places do not make one learning path; the message names the files."""


@dataclass(frozen=True)
class Section:
    """One part of the learning path: its number (None for the last part), name and derivations."""

    number: int | None
    name: str
    derivations: tuple[Derivation, ...]

    @property
    def title(self) -> str:
        """The heading in the nav and on the map, e.g. "2. The sigmoid"."""
        return f"{self.number}. {self.name}" if self.number is not None else self.name


def page_of(derivation: Derivation) -> Page:
    """The page ``derivation`` declared, or the default page of one that declared none."""
    return derivation.declared_page or undeclared(derivation.name)


def sections(derivations: Sequence[Derivation]) -> list[Section]:
    """The learning path, part by part; :class:`LearningPathError` if the places disagree.

    ``derivations`` come in an order where each follows those it uses (as loaded); the
    derivations that declare no place keep that order in the last part.
    """
    placed = [d for d in derivations if page_of(d).placed]
    parts = sorted({page_of(d).part for d in placed})
    result = [Section(part, _part_name(part, placed), _in_order(part, placed)) for part in parts]
    others = tuple(d for d in derivations if not page_of(d).placed)
    if others:
        result.append(Section(None, OTHER_SECTION, others))
    _require_uses_first([d for section in result for d in section.derivations])
    return result


def nav(path: Iterable[Section], folder: str) -> list[dict[str, list[str]]]:
    """The nav entries of the path for ``mkdocs.yml``: one section per part, one page per derivation."""
    return [{section.title: [f"{folder}/{d.name}.md" for d in section.derivations]} for section in path]


def _part_name(part: int, placed: Sequence[Derivation]) -> str:
    names: dict[str, list[str]] = {}
    for d in placed:
        if page_of(d).part == part:
            names.setdefault(page_of(d).section, []).append(_script(d))
    if len(names) > 1:
        said = "; ".join(f"{name!r} in {', '.join(files)}" for name, files in names.items())
        raise LearningPathError(f"part {part} has more than one title: {said}; give it one title")
    return next(iter(names))


def _in_order(part: int, placed: Sequence[Derivation]) -> tuple[Derivation, ...]:
    members = sorted((d for d in placed if page_of(d).part == part), key=lambda d: page_of(d).order)
    for first, second in itertools.pairwise(members):
        if page_of(first).order == page_of(second).order:
            raise LearningPathError(
                f"{_script(first)} and {_script(second)} both take part {part}, order "
                f"{page_of(first).order}; give each its own order"
            )
    return tuple(members)


def _require_uses_first(order: Sequence[Derivation]) -> None:
    position = {d.name: index for index, d in enumerate(order)}
    for d in order:
        for used in d.uses:
            if used in position and position[used] > position[d.name]:
                user, later = order[position[d.name]], order[position[used]]
                raise LearningPathError(
                    f"{_script(user)} ({_place(user)}) comes before {_script(later)} "
                    f"({_place(later)}), which it uses; place {d.name} after {used}"
                )


def _place(derivation: Derivation) -> str:
    page = page_of(derivation)
    if not page.placed:
        return f"declares no page, so it is in {OTHER_SECTION!r}"
    return f"part {page.part}, order {page.order}"


def _script(derivation: Derivation) -> str:
    return derivation.source.name if derivation.source else f"{derivation.name}.py"
