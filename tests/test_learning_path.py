"""The learning path: read from the derivations' page declarations, checked against their uses.

The nav and the home page's map both follow :func:`gradbook.learning_path.sections`; the order
below is the one the site teaches, written out here so that a declaration that moves a page is
seen.
"""

from __future__ import annotations

import pytest
from paths import DERIVATIONS

from gradbook import Derivation
from gradbook.learning_path import LearningPathError, nav, sections
from gradbook.mkdocs_plugin import with_derivations
from gradbook.scripts import script_paths

#: The learning path of this repository's site.
SITE_PATH = [
    ("1. Error functions and probabilities", ["maximum_likelihood", "entropy_cross_entropy"]),
    ("2. The sigmoid", ["sigmoid_prime", "stable_sigmoid", "softmax_two_classes", "log_loss",
                        "activation_derivatives"]),
    ("3. Gradients", ["bce_derivative", "unit_error_gradient", "logistic_cost_gradient",
                      "softmax_cross_entropy", "softmax_regression"]),
    ("4. Training", ["gradient_descent", "linear_regression_mse", "batch_and_stochastic_gradient_descent",
                     "cross_entropy_vs_squared_error"]),
    ("5. Networks", ["backprop_hidden_layer"]),
]


def titles_and_names(path) -> list[tuple[str, list[str]]]:
    return [(section.title, [d.name for d in section.derivations]) for section in path]


def derivation(name: str, uses: tuple[str, ...] = (), place: tuple | None = None) -> Derivation:
    """A derivation with no steps (the path needs none), placed at (part, section, order)."""
    d = Derivation(name, f"The derivation {name}.\n\nFor the test.", uses=list(uses))
    if place is not None:
        part, section, order = place
        d.page(part=part, section=section, order=order)
    return d


def test_the_site_s_path_is_declared_by_its_derivations(derivations):
    """The parts and pages above come first, in this order; a derivation added later may follow."""
    path = titles_and_names(sections(list(derivations.values())))
    assert [title for title, _names in path[: len(SITE_PATH)]] == [title for title, _names in SITE_PATH]
    for (title, names), (_title, expected) in zip(path, SITE_PATH, strict=False):
        assert names[: len(expected)] == expected, title
    listed = [name for _title, names in path for name in names]
    assert sorted(listed) == sorted(script.stem for script in script_paths(DERIVATIONS))


def test_the_declared_order_wins_over_the_order_given():
    a = derivation("a", place=(2, "Later", 1))
    b = derivation("b", place=(1, "First", 5))
    c = derivation("c", place=(1, "First", 2))
    assert titles_and_names(sections([a, b, c])) == [("1. First", ["c", "b"]), ("2. Later", ["a"])]


def test_the_nav_has_one_section_per_part_after_the_home_page():
    path = sections([derivation("a", place=(1, "First", 1)), derivation("b", place=(2, "Second", 1))])
    entries = nav(path, "derivations")
    assert entries == [{"1. First": ["derivations/a.md"]}, {"2. Second": ["derivations/b.md"]}]
    written = [{"Home": "index.md"}, {"More": [{"Guide": "guide.md"}]}]
    assert with_derivations(written, entries) == [written[0], *entries, written[1]]
    assert with_derivations(None, entries)[:3] == ["index.md", *entries]


def test_a_derivation_that_declares_no_page_comes_last():
    placed = derivation("placed", place=(1, "First", 1))
    free = derivation("free_one")
    assert titles_and_names(sections([free, placed])) == [
        ("1. First", ["placed"]), ("Other derivations", ["free_one"]),
    ]


def test_a_derivation_placed_before_one_it_uses_is_refused_naming_both():
    used = derivation("basics", place=(2, "Sigmoid", 2))
    user = derivation("advanced", uses=("basics",), place=(2, "Sigmoid", 1))
    with pytest.raises(LearningPathError) as refused:
        sections([used, user])
    message = str(refused.value)
    assert "advanced.py (part 2, order 1) comes before basics.py (part 2, order 2), which it uses" in message
    assert "place advanced after basics" in message


def test_a_placed_derivation_that_uses_an_unplaced_one_is_refused():
    free = derivation("free_one")
    user = derivation("user", uses=("free_one",), place=(1, "First", 1))
    with pytest.raises(LearningPathError, match=r"free_one\.py \(declares no page"):
        sections([free, user])


def test_two_titles_for_one_part_are_refused_naming_the_files():
    a = derivation("a", place=(3, "Gradients", 1))
    b = derivation("b", place=(3, "Gradient", 2))
    with pytest.raises(LearningPathError, match=r"part 3 has more than one title: 'Gradients' in a.py; "
                                                r"'Gradient' in b.py"):
        sections([a, b])


def test_two_pages_at_one_place_are_refused():
    a = derivation("a", place=(1, "First", 1))
    b = derivation("b", place=(1, "First", 1))
    with pytest.raises(LearningPathError, match=r"a\.py and b\.py both take part 1, order 1"):
        sections([a, b])
