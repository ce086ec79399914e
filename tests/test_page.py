"""Page declarations: what a derivation declares is what its page shows, and a bad declaration
fails the build with a message that names the derivation."""

from __future__ import annotations

import pytest

from gradbook import Derivation
from gradbook.page import PageDeclarationError
from gradbook.site import PageBuildError, build_pages

SCRIPT = '''
"""A derivation with a page, briefly.

Two steps: enough to show a page.
"""
from sympy import Derivative, exp

from gradbook import Derivation, sigmoid

d = Derivation("{name}", __doc__)
z = d.real("z", "the input")
d.start(Derivative(sigmoid(z), z), title="A chain")
d.step(exp(-z) / (1 + exp(-z)) ** 2, "differentiate 1/(1 + e^{{−z}})")
d.step(sigmoid(z) * (1 - sigmoid(z)), "the definition of σ, twice")

page = d.page(part=1, section="Tests", order={order}, documents={documents},
              reading=[("A book on the sigmoid", "https://example.org/sigmoid")])
{extra}
'''

EXAMPLES = '''
@page.examples
def examples():
    from gradbook.examples import WorkedExample, WorkedValue
    from gradbook.functions import sigmoid_prime
    {body}
    return [WorkedExample("At zero.", (WorkedValue(r"\\sigma'(0)", sigmoid_prime(0.0), "0.25"),))]
'''

FIGURE = '''
@page.figure("{filename}", alt="A straight line, drawn for the test of figures.")
def draw(drawing):
    {body}
    drawing.subplots().plot([0, 1], [0, 1])
'''


def write(folder, name, order=1, documents="[]", extra=""):
    folder.mkdir(exist_ok=True)
    script = SCRIPT.format(name=name, order=order, documents=documents, extra=extra)
    (folder / f"{name}.py").write_text(script, encoding="utf-8")


def test_what_the_page_declares_is_on_the_page(tmp_path):
    scripts, docs = tmp_path / "derivations", tmp_path / "docs"
    extra = EXAMPLES.format(body="pass") + FIGURE.format(filename="line.svg", body="pass")
    write(scripts, "first", documents='["sigmoid_prime"]', extra=extra)
    build_pages(docs, scripts)
    page = (docs / "derivations" / "first.md").read_text(encoding="utf-8")
    assert "**Further reading:** [A book on the sigmoid](https://example.org/sigmoid)" in page
    assert '<summary markdown="span">`gradbook.functions.sigmoid_prime`</summary>' in page  # its source
    assert "| \\(\\sigma'(0)\\) | 0.25 | 0.25 | same |" in page
    for drawing in ("line.svg", "dark/line.svg"):  # for the light and the dark palette
        assert f"![A straight line, drawn for the test of figures.](../generated/figures/{drawing}#" in page
        assert (docs / "generated" / "figures" / drawing).read_text().lstrip().startswith("<?xml")
    api = (docs / "generated" / "api.md").read_text(encoding="utf-8")
    assert "Documented on [A derivation with a page, briefly](../derivations/first.md)." in api


def test_a_documented_function_that_does_not_exist_fails_the_build_naming_the_derivation(tmp_path):
    scripts, docs = tmp_path / "derivations", tmp_path / "docs"
    write(scripts, "first", documents='["sigmoid_second"]')
    with pytest.raises(PageBuildError, match="first documents 'sigmoid_second', which is not a function"):
        build_pages(docs, scripts)
    assert not (docs / "derivations").exists()


def test_examples_that_raise_fail_the_build_naming_the_derivation(tmp_path):
    scripts, docs = tmp_path / "derivations", tmp_path / "docs"
    write(scripts, "first", extra=EXAMPLES.format(body="raise ValueError('no data today')"))
    with pytest.raises(PageBuildError, match=r"the examples of first \(examples\) failed: "
                                             r"ValueError: no data today"):
        build_pages(docs, scripts)


def test_a_figure_that_raises_fails_the_build_naming_the_derivation(tmp_path):
    scripts, docs = tmp_path / "derivations", tmp_path / "docs"
    write(scripts, "first", extra=FIGURE.format(filename="line.svg", body="1 / 0"))
    with pytest.raises(PageBuildError, match=r"the figure line.svg of first \(draw\) failed: "
                                             r"ZeroDivisionError"):
        build_pages(docs, scripts)


def test_a_figure_shown_but_drawn_nowhere_and_a_figure_drawn_twice_are_refused(tmp_path):
    scripts, docs = tmp_path / "derivations", tmp_path / "docs"
    write(scripts, "first", extra='page.show_figure("missing.svg")')
    shown_nowhere = r"first shows the figure missing\.svg, which no derivation draws"
    with pytest.raises(PageBuildError, match=shown_nowhere):
        build_pages(docs, scripts)
    twice = FIGURE.format(filename="same.svg", body="pass")
    write(scripts, "first", extra=twice)
    write(scripts, "second", order=2, extra=twice)
    with pytest.raises(PageBuildError, match=r"first and second both draw same\.svg"):
        build_pages(docs, scripts)


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        ({"part": 0, "section": "A", "order": 1}, "part=0; expected a number from 1"),
        ({"part": 1, "section": " ", "order": 1}, "section=' '"),
        ({"part": 1, "section": "A", "order": 1, "documents": "sigmoid"},
         r"documents='sigmoid'; expected a list of names, e\.g\. \['sigmoid'\]"),
    ],
)
def test_a_page_declaration_of_the_wrong_kind_is_refused_at_once(arguments, complaint):
    d = Derivation("some_name", "A derivation.\n\nFor the test.")
    with pytest.raises(PageDeclarationError, match=rf"some_name: {complaint}"):
        d.page(**arguments)
