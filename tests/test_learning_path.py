"""The learning path: one order, in gradbook.site.LEARNING_PATH, that the nav and the map follow.

mkdocs.yml cannot import Python, so its nav is compared with LEARNING_PATH here; and every
derivation must come after the derivations it ``uses``.
"""

from __future__ import annotations

from mkdocs.utils.yaml import yaml_load
from paths import DERIVATIONS, ROOT

from gradbook import Derivation
from gradbook.scripts import script_paths
from gradbook.site import LEARNING_PATH, Catalogue, learning_path_sections


def nav_sections() -> list[tuple[str, list[str]]]:
    """The nav's sections of derivation pages: (title, derivation names), in order."""
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    sections = []
    for entry in config["nav"]:
        if not isinstance(entry, dict):
            continue
        (title, value), = entry.items()
        pages = [page for page in value if isinstance(page, str)] if isinstance(value, list) else []
        if pages and all(page.startswith("derivations/") for page in pages):
            names = [page.removeprefix("derivations/").removesuffix(".md") for page in pages]
            sections.append((title, names))
    return sections


def path_order() -> list[str]:
    return [name for _title, names in LEARNING_PATH for name in names]


def test_the_nav_of_mkdocs_yml_is_the_learning_path():
    assert nav_sections() == [(title, list(names)) for title, names in LEARNING_PATH]


def test_the_learning_path_has_every_derivation_once():
    order = path_order()
    assert len(order) == len(set(order))
    assert set(order) == {path.stem for path in script_paths(DERIVATIONS)}


def test_every_derivation_comes_after_the_derivations_it_uses(derivations):
    order = path_order()
    for position, name in enumerate(order):
        for used in derivations[name].uses:
            assert used in order[:position], f"{name} uses {used}, which comes later on the path"


def test_the_map_follows_the_learning_path(derivations):
    catalogue = Catalogue(list(derivations.values()))
    sections = learning_path_sections(catalogue)
    assert [(s.title, [d.name for d in s.derivations]) for s in sections] == [
        (title, list(names)) for title, names in LEARNING_PATH
    ]


def test_a_derivation_off_the_path_still_reaches_the_map(derivations):
    some = [derivations["sigmoid_prime"], derivations["gradient_descent"]]
    stranger = Derivation("a_new_one", "A derivation nobody has placed on the path yet.")
    sections = learning_path_sections(Catalogue([*some, stranger]))
    assert [(s.title, [d.name for d in s.derivations]) for s in sections] == [
        ("2. The sigmoid", ["sigmoid_prime"]),
        ("4. Training", ["gradient_descent"]),
        ("Other derivations", ["a_new_one"]),
    ]
