"""Rendering derivations into Markdown pages, and writing the pages.

The pages are read back through Python-Markdown with the extensions of ``mkdocs.yml``: what
matters is not the Markdown text but that the reader gets exactly the LaTeX and the plain text
the derivation holds.
"""

from __future__ import annotations

import dataclasses
import html
import os
import re
import textwrap

import markdown
import pytest
from mkdocs.utils.meta import get_data
from mkdocs.utils.yaml import yaml_load
from paths import ROOT
from sympy import Derivative, Symbol, evaluate, exp

from gradbook import Derivation, mistakes, sigmoid, site
from gradbook.checking import Verification
from gradbook.derivation import Step
from gradbook.page import Figure
from gradbook.render import docstring, inline_math, is_generated, plain_text, remove_stale, render
from gradbook.site import Catalogue, FigureView, PageBuildError, build_pages, derivation_page
from gradbook.writing import write_if_changed

# Plain text a justification may hold that Markdown or arithmatex would otherwise act on.
AWKWARD = r"a*b*c, snake_case_name, [link](x.md), `tick`, \not math\, $x$ and $$y$$, <b>, a|b, {c}"

TINY_SCRIPT = '''
"""The derivative of the sigmoid, briefly.

Two steps: enough to show a page.
"""
from sympy import Derivative, evaluate, exp

from gradbook import Derivation, examples, sigmoid

d = Derivation("{name}", __doc__)
z = d.real("z", "the input")
with evaluate(False):
    d.start(Derivative(sigmoid(z), z), title="A chain")
    d.step(exp(-z) / (1 + exp(-z)) ** 2, "differentiate 1/(1 + e^{{−z}})")
    d.step(sigmoid(z) * (1 - sigmoid(z)), "the definition of σ, twice")
d.result("{name}")
'''


@pytest.fixture(scope="module")
def tiny() -> Derivation:
    """A two-chain derivation written here, with awkward text in its titles and rules."""
    d = Derivation("tiny_sigmoid", f"A *tiny* derivation.\n\nIts lead has {AWKWARD}.")
    z = d.real("z", f"a logit; {AWKWARD}")
    with evaluate(False):
        d.start(Derivative(sigmoid(z), z), title=f"First chain: {AWKWARD}")
        d.step(Derivative(1 / (1 + exp(-z)), z), f"the definition of σ; {AWKWARD}")
        d.step(exp(-z) / (1 + exp(-z)) ** 2, "the chain rule")
        d.step(sigmoid(z) * (1 - sigmoid(z)), "1 − σ(z) = e^{−z}/(1 + e^{−z})")
    d.result("tiny_sigmoid_prime")
    with evaluate(False):
        d.start(sigmoid(-z), title="Second chain", lhs=Symbol("s"))
        d.step(1 - sigmoid(z), "σ(−z) = 1 − σ(z)")
    d.note(f"A note with {AWKWARD}.")
    return d


@pytest.fixture(scope="module")
def page(tiny: Derivation) -> str:
    return derivation_page(tiny, Catalogue([tiny]))


def to_html(page_markdown: str) -> str:
    """The page as MkDocs would render it: front matter removed, mkdocs.yml's extensions."""
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, options = [], {}
    for entry in config["markdown_extensions"]:
        name = entry if isinstance(entry, str) else next(iter(entry))
        names.append(name)
        options[name] = {} if isinstance(entry, str) else dict(entry[name] or {})
    options["pymdownx.snippets"] = {"base_path": [str(ROOT / "site_src")]}
    body, _ = get_data(page_markdown)
    return markdown.Markdown(extensions=names, extension_configs=options).convert(body)


def display_math(page_html: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r'<div class="arithmatex">\\\[\n(.*?)\n\\\]</div>',
                                                 page_html, re.S)]


def visible_text(page_html: str) -> str:
    without_math = re.sub(r'<(span|div) class="arithmatex">.*?</\1>', " ", page_html, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", without_math))


# -- the derivation page ----------------------------------------------------------------------


def test_every_step_is_display_math_with_its_exact_latex(tiny, page):
    shown = display_math(to_html(page))
    first, *rest = tiny.chains[0].steps
    assert first.latex in shown
    for step in rest:
        assert f"= {step.latex}" in shown
    second_start = tiny.chains[1].steps[0]
    assert f"s = {second_start.latex}" in shown


def test_every_justification_reaches_the_reader_unchanged(tiny, page):
    text = visible_text(to_html(page))
    for step in tiny.steps[1:]:
        assert step.justification in text
    assert tiny.chains[0].title in text
    assert f"A note with {AWKWARD}." in text
    # A lead is prose in which `backticks` still mark code; everything else stays as written.
    lead = f"Its lead has {AWKWARD}.".replace("`tick`", "tick")
    assert lead in text
    assert "<code>tick</code>" in to_html(page)


def test_plain_text_never_becomes_math_emphasis_or_a_link(page):
    page_html = to_html(page)
    math_count = page.count(r"\(") + page.count(r"\[")
    assert page_html.count('class="arithmatex"') == math_count
    assert "<em>" not in page_html
    assert '<a href="x.md"' not in page_html


def test_one_short_badge_per_checked_step_with_the_details_behind_it(tiny, page):
    badges = re.findall(
        r'<details class="gb-check gb-(proved|numeric)">\s*<summary class="gb-badge gb-\1">([^<]*)</summary>'
        r' <span class="gb-details">([^<]*)</span>',
        to_html(page),
    )
    checked = [step for step in tiny.steps if step.verification is not None]
    assert len(badges) == len(checked)
    for (kind, badge, details), step in zip(badges, checked, strict=True):
        assert kind == ("proved" if step.verification.proved else "numeric")
        assert html.unescape(badge) == ("✓ proved" if step.verification.proved else "≈ checked numerically")
        assert html.unescape(details) == step.verification.details


def test_result_box_shows_start_equals_result(tiny, page):
    box = re.search(r'<div class="gb-result">(.*?)</div>\s*</div>', to_html(page), re.S)
    assert box is not None
    chain = tiny.chains[0]
    assert f"{chain.steps[0].latex} = {chain.last.latex}" in display_math(box.group(0))
    assert "tiny_sigmoid_prime" in box.group(1)


def test_setting_lists_each_variable_with_its_domain(page):
    assert r"\(z \in \mathbb{R}\)" in page


def test_page_front_matter_marks_it_generated_and_gives_the_title(tiny, page):
    body, meta = get_data(page)
    assert meta["title"] == tiny.title
    assert "Generated by gradbook" in page.split("title:")[0]
    assert body.lstrip().startswith(f"# {plain_text(tiny.title)}")


# -- small templates and filters, exact -------------------------------------------------------


def test_step_template_exact_output():
    step = Step(
        3, exp(Symbol("z")), "the rule_of *thumb*",
        Verification(proved=False, points=24, max_deviation=1e-40, seconds=0.1,
                     used_assumptions=("Σₖ yₖ = 1",)),
    )
    view = type("View", (), {"chain": type("Chain", (), {"lhs": None})()})()
    badge = (
        '<details class="gb-check gb-numeric"><summary class="gb-badge gb-numeric">≈ checked numerically'
        '</summary> <span class="gb-details">checked numerically at 24 points, max deviation 1.0e-40</span>'
        ' <span class="gb-uses">using Σₖ yₖ = 1</span></details>'
    )
    assert render("step.md.j2", step=step, view=view) == textwrap.dedent("""\
        <div class="gb-step" markdown>
        <span class="gb-step-label">Step 3 · the rule&#95;of &#42;thumb&#42;</span>

        \\[
        = e^{z}
        \\]

        BADGE
        </div>
        """).replace("BADGE", badge)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("σ′(z) = σ(z)(1 − σ(z))", "σ′(z) = σ(z)(1 − σ(z))"),
        ("a_b*c", "a&#95;b&#42;c"),
        ("\\x\\", "&#92;x&#92;"),
        ("$x$", "&#36;x&#36;"),
        ("e^{−z}", "e&#94;&#123;−z&#125;"),
        ("[a](b)", "&#91;a&#93;(b)"),
        ("- not a list", "&#45; not a list"),
        ("1. not a list", "&#49;. not a list"),
        ("x - y", "x - y"),
        ("two\nlines", "two lines"),
    ],
)
def test_plain_text_escaping(text, expected):
    assert plain_text(text) == expected
    shown = markdown.markdown(plain_text(text))
    assert html.unescape(shown.removeprefix("<p>").removesuffix("</p>")) == " ".join(text.split())


def test_inline_math_in_plain_text_stays_math_and_the_rest_is_escaped():
    """A rule may say \\(p_c\\) rather than a raw p_c; the text around it is still escaped."""
    text = r"cancel \(p_c\) in *each* term, \(\sum_c y_c = 1\)"
    assert plain_text(text) == r"cancel \(p_c\) in &#42;each&#42; term, \(\sum_c y_c = 1\)"


@pytest.mark.parametrize(
    ("example", "shown"),
    [
        (">>> float(sigmoid(0.4))  # doctest: +ELLIPSIS\n0.598687...",
         ">>> float(sigmoid(0.4))\n0.598687..."),
        (">>> f(x)  #doctest:+SKIP\n>>> g(x)  # doctest: +NORMALIZE_WHITESPACE, +ELLIPSIS\n1",
         ">>> f(x)\n>>> g(x)\n1"),
        (">>> x = 1  # a comment the reader should see", ">>> x = 1  # a comment the reader should see"),
    ],
)
def test_docstring_examples_are_shown_without_doctest_directives(example, shown):
    assert docstring(f"Prose.\n\n{example}") == f"Prose.\n\n```pycon\n{shown}\n```"


def test_figures_template_shows_each_figure_for_each_palette_linked_to_its_svg():
    figure = Figure("line.svg", "A *line*.", lambda drawing: None, "Its caption.")
    light, dark = "../generated/figures/line.svg", "../generated/figures/dark/line.svg"
    assert render("figures.md.j2", figures=[FigureView.of(figure)]) == textwrap.dedent(f"""\

        <figure class="gb-figure" markdown>
        [![A &#42;line&#42;.]({light}#only-light)]({light}){{ .gb-only-light }}
        [![A &#42;line&#42;.]({dark}#only-dark)]({dark}){{ .gb-only-dark }}
        <figcaption>Its caption.</figcaption>
        </figure>
        """)


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        (r"\sigma\left(z\right)", r"\(\sigma\left(z\right)\)"),
        (r"\left|{z}\right|", r"\(\left\vert {z}\right\vert \)"),
        (r"\|x\|", r"\(\|x\|\)"),
    ],
)
def test_inline_math_is_safe_in_a_table_cell(latex, expected):
    assert inline_math(latex) == expected


# -- writing pages ----------------------------------------------------------------------------


def test_write_if_changed_leaves_an_unchanged_file_alone(tmp_path):
    path = tmp_path / "page.md"
    assert write_if_changed(path, "one\n") is True
    before = os.stat(path).st_mtime_ns
    os.utime(path, ns=(before - 10**9, before - 10**9))  # an mtime a rewrite would change
    assert write_if_changed(path, "one\n") is False
    assert os.stat(path).st_mtime_ns == before - 10**9
    assert write_if_changed(path, "two\n") is True
    assert path.read_text() == "two\n"
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]  # no temporary file left


def test_remove_stale_deletes_only_generated_pages(tmp_path):
    kept, stale, hand_written = (tmp_path / name for name in ("kept.md", "stale.md", "mine.md"))
    for path in (kept, stale):
        path.write_text("---\n# Generated by gradbook.site\n---\n")
    hand_written.write_text("# Written by hand\n")
    assert remove_stale(tmp_path, [kept]) == [stale]
    assert kept.exists() and hand_written.exists() and not stale.exists()
    assert is_generated(kept) and not is_generated(hand_written)


def test_build_pages_writes_once_then_only_what_changed_and_removes_stale(tmp_path):
    scripts, docs = tmp_path / "derivations", tmp_path / "docs"
    scripts.mkdir()
    (scripts / "first.py").write_text(TINY_SCRIPT.format(name="first"), encoding="utf-8")
    written = build_pages(docs, scripts)
    page = docs / "derivations" / "first.md"
    assert page in written
    assert {p.name for p in written} >= {"first.md", "api.md", "derivation-map.md"}

    old = os.stat(page).st_mtime_ns - 10**9
    os.utime(page, ns=(old, old))
    assert build_pages(docs, scripts) == []
    assert os.stat(page).st_mtime_ns == old

    (scripts / "first.py").unlink()
    (scripts / "second.py").write_text(TINY_SCRIPT.format(name="second"), encoding="utf-8")
    written = build_pages(docs, scripts)
    assert docs / "derivations" / "second.md" in written
    assert not page.exists()
    # The stale-page cleanup removes pages only: the mistakes page stays.
    assert (docs / "generated" / "mistakes.md").is_file()
    assert "[The derivative of the sigmoid, briefly](derivations/second.md)" in (
        docs / "generated" / "derivation-map.md"
    ).read_text(encoding="utf-8")


MISSING_FUNCTION_EXAMPLES = """
page = d.page(part=1, section="Tests", order={order})


@page.examples
def calls_a_missing_function():
    return [examples.Public("no_such_function")(0.0)]
"""


def test_build_pages_reports_every_failing_page_together(tmp_path):
    scripts, docs = tmp_path / "derivations", tmp_path / "docs"
    scripts.mkdir()
    for order, name in enumerate(("first", "second"), 1):
        script = TINY_SCRIPT.format(name=name) + MISSING_FUNCTION_EXAMPLES.format(order=order)
        (scripts / f"{name}.py").write_text(script, encoding="utf-8")
    with pytest.raises(PageBuildError) as failure:
        build_pages(docs, scripts)
    message = str(failure.value)
    assert "first.md" in message and "second.md" in message
    assert message.count("gradbook.functions has no function 'no_such_function'") == 2
    assert not (docs / "derivations").exists()  # nothing is written when a page fails


def test_a_mistake_the_checker_lets_through_fails_the_build(tmp_path, monkeypatch):
    scripts, docs = tmp_path / "derivations", tmp_path / "docs"
    scripts.mkdir()
    (scripts / "first.py").write_text(TINY_SCRIPT.format(name="first"), encoding="utf-8")
    real = mistakes.MISTAKES[1]

    def wrong_step_that_is_right() -> mistakes.Case:
        case = real.write()
        return dataclasses.replace(case, wrong=case.correct)

    harmless = dataclasses.replace(real, write=wrong_step_that_is_right)
    monkeypatch.setattr(site, "MISTAKES", (mistakes.MISTAKES[0], harmless))
    caught = r"mistakes\.md: MistakeNotCaughtError: mistake 'bce_derivative_sign'"
    with pytest.raises(PageBuildError, match=caught):
        build_pages(docs, scripts)


def test_every_template_opens_with_a_comment_listing_its_variables():
    from gradbook.render import TEMPLATES_DIR

    for template in sorted(TEMPLATES_DIR.glob("*.j2")):
        text = template.read_text(encoding="utf-8")
        assert text.startswith("{#-"), template.name
        comment = text[: text.index("#}")]
        assert re.search(r"^\s+\w+\s+\S", comment, re.M), f"{template.name} lists no variables"
