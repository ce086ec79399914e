"""Open the built site in headless Chromium and check that all math is rendered offline.

Run with ``pytest -m browser``; needs Debian's ``chromium`` and the ``playwright`` package
(no ``playwright install``). The real site (``mkdocs.yml`` at the repo root, or the
config named by ``$GRADBOOK_MKDOCS_CONFIG``) is built once with ``mkdocs build --strict``;
every page in the built site gets its own test. A small throwaway site with deliberately
broken formulas checks that the checks can fail.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from gradbook.scripts import script_paths

try:
    from . import browser as br
except ImportError:  # tests/ is not a package: pytest put it on sys.path
    import browser as br

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
SITE_SRC = REPO / "site_src"
CONFIG = Path(os.environ.get("GRADBOOK_MKDOCS_CONFIG", REPO / "mkdocs.yml")).resolve()


# --------------------------------------------------------------------------------------
# the real site, built once per session
#
# Page discovery has to happen at collection time (one test per page), so the build runs
# in pytest_generate_tests; the result is kept on the pytest config and reused by the
# fixture. The server is started before the build because Material's instant navigation
# needs site_url to be the exact address the site is served from.


@dataclass
class RealSite:
    url: str = ""
    site_dir: Path | None = None
    pages: list[str] = field(default_factory=list)
    error: str | None = None


_REAL_SITE = pytest.StashKey[RealSite]()


def _real_site(config: pytest.Config, build_lock) -> RealSite:
    if _REAL_SITE in config.stash:
        return config.stash[_REAL_SITE]
    stack = ExitStack()  # closed when pytest finishes: server first, then the temp dir
    config.add_cleanup(stack.close)
    site_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="gradbook-site-")))
    site = RealSite(url=stack.enter_context(br.serve_directory(site_dir)), site_dir=site_dir)
    try:
        with build_lock():
            br.build_site(CONFIG, site_dir, site_url=site.url)
        site.pages = br.discover_pages(site_dir)
    except (br.BuildError, OSError) as exc:
        site.error = str(exc)
    config.stash[_REAL_SITE] = site
    return site


def _browser_tests_selected(config: pytest.Config) -> bool:
    """False only when ``-m`` clearly deselects browser tests (skip the build then)."""
    markexpr = config.option.markexpr
    if not markexpr:
        return True
    try:
        from _pytest.mark.expression import Expression

        return bool(Expression.compile(markexpr).evaluate(lambda name, **kw: name == "browser"))
    except Exception:  # private API moved: just build
        return True


def expected_pages() -> list[str]:
    """The address of every page the site must have, from its sources, without building it.

    Collection runs in every test process; listing the pages from the sources keeps the build,
    which checks every derivation, to the one process that runs this file. A test below
    compares the list with the pages the build wrote, so no page goes untested.
    """
    hand_written = [path.relative_to(SITE_SRC).with_suffix("") for path in SITE_SRC.rglob("*.md")
                    if path.parts[len(SITE_SRC.parts)] not in {"assets", "derivations", "generated"}]
    pages = ["/" if str(page) == "index" else f"/{page}/" for page in hand_written]
    pages += [f"/derivations/{path.stem}/" for path in script_paths(REPO / "derivations")]
    pages += [f"/generated/{name}/" for name in ("api", "mistakes", "notation", "reference-notes")]
    return sorted(pages, key=lambda page: (page != "/", page))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "page_path" not in metafunc.fixturenames:
        return
    if not _browser_tests_selected(metafunc.config):
        metafunc.parametrize("page_path", [])
        return
    metafunc.parametrize("page_path", expected_pages())


@pytest.fixture(scope="session")
def real_site(request: pytest.FixtureRequest, site_build_lock) -> RealSite:
    site = _real_site(request.config, site_build_lock)
    if site.error is not None:
        pytest.fail(site.error, pytrace=False)
    return site


@pytest.fixture(scope="session")
def browser():
    try:
        with br.launch_chromium() as b:
            yield b
    except RuntimeError as exc:
        if br.CHROMIUM_MISSING in str(exc) or "Playwright" in str(exc):
            pytest.fail(str(exc), pytrace=False)
        raise


# --------------------------------------------------------------------------------------
# a throwaway site: same vendored KaTeX, katex-init.js and CSS, some good and bad pages

SAMPLE_PAGES = {
    "index.md": r"""
        # Sample home

        Inline \(\sigma(z) = \frac{1}{1 + e^{-z}}\) and $\hat{y} = \sigma(z)$.
        Go to [the good page](good.md).
        """,
    "good.md": r"""
        # Good

        \[
        \begin{aligned}
        \frac{\partial L}{\partial z}
          &= \frac{\partial L}{\partial \hat{y}} \cdot \frac{d \hat{y}}{d z} \\
        &= \hat{y} - y
        \end{aligned}
        \]

        $$
        J = \frac{1}{m} \sum_{i=1}^{m} L\left(\hat{y}_i, y_i\right)
        $$

        Code is left alone: `\(x\)`.
        """,
    "bad-macro.md": r"""
        # Undefined macro

        Prediction \(\hatt{y}\).
        """,
    "bad-braces.md": r"""
        # Unbalanced braces

        Half \(\frac{1}{2\) of it.
        """,
    "bad-dollar.md": r"""
        # Padded dollars

        Arithmatex ignores $ x^2 $ with inner spaces.
        """,
    "bad-external.md": r"""
        # External request

        Fine math \(x^2\), but an image from the internet:
        ![pixel](https://example.invalid/pixel.png)
        """,
    "wide.md": r"""
        # Wide, and scrolls

        \[
        J = -\frac{1}{m} \sum_{i=1}^{m} \left( y_i \ln \sigma\left(w \cdot x_i + b\right)
          + \left(1 - y_i\right) \ln \left(1 - \sigma\left(w \cdot x_i + b\right)\right) \right)
          + \frac{\lambda}{2} \sum_{j=1}^{n} w_j^2
        \]

        | first column | second column | third column | fourth column | fifth column | sixth column |
        |---|---|---|---|---|---|
        | a long cell of text | another long cell | and one more | and another | still more | the last |
        """,
    "bad-overflow.md": r"""
        # Cut off without a cue

        <style>.md-typeset [data-gb-overflow] { -webkit-mask-image: none; mask-image: none; }</style>

        \[
        J = -\frac{1}{m} \sum_{i=1}^{m} \left( y_i \ln \sigma\left(w \cdot x_i + b\right)
          + \left(1 - y_i\right) \ln \left(1 - \sigma\left(w \cdot x_i + b\right)\right) \right)
        \]

        <div style="width: 1200px">A block wider than any phone.</div>
        """,
}

SAMPLE_CONFIG = """\
site_name: gradbook sample
site_url: !ENV GRADBOOK_SITE_URL
docs_dir: docs
theme:
  name: material
  font: false
  features: [navigation.instant]
markdown_extensions:
  - pymdownx.arithmatex:
      generic: true
extra_javascript:
  - javascripts/katex-init.js
  - assets/vendor/katex/katex.min.js
  - assets/vendor/katex/contrib/auto-render.min.js
  - javascripts/scroll-cue.js
extra_css:
  - assets/vendor/katex/katex.min.css
  - stylesheets/gradbook.css
exclude_docs: |
  /assets/vendor/katex/README.md
nav:
  - Home: index.md
  - Good: good.md
  - Bad macro: bad-macro.md
  - Bad braces: bad-braces.md
  - Bad dollar: bad-dollar.md
  - Bad external: bad-external.md
  - Wide: wide.md
  - Bad overflow: bad-overflow.md
"""


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("sample-site")
    docs = root / "docs"
    shutil.copytree(SITE_SRC / "assets" / "vendor" / "katex", docs / "assets/vendor/katex")
    shutil.copytree(SITE_SRC / "javascripts", docs / "javascripts")
    shutil.copytree(SITE_SRC / "stylesheets", docs / "stylesheets")
    for name, text in SAMPLE_PAGES.items():
        (docs / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    (root / "mkdocs.yml").write_text(SAMPLE_CONFIG, encoding="utf-8")
    site_dir = root / "site"
    site_dir.mkdir()
    with br.served_site(root / "mkdocs.yml", site_dir) as url:
        yield url


# --------------------------------------------------------------------------------------
# the real site


def test_page_math_renders_offline(browser, real_site: RealSite, page_path: str) -> None:
    problems = br.check_page(browser, real_site.url + page_path.lstrip("/"))
    assert not problems, f"{page_path}:\n  " + "\n  ".join(problems)


def test_page_fits_a_phone_and_cut_formulas_and_tables_show_a_scroll_cue(
    browser, real_site: RealSite, page_path: str
) -> None:
    """At 390 px: every display formula and table either fits its box or scrolls with the cue,
    steps and results hold their content, the page does not scroll sideways."""
    problems = br.check_layout(browser, real_site.url + page_path.lstrip("/"))
    assert not problems, f"{page_path} at 390 px:\n  " + "\n  ".join(problems)


def test_pages_with_figures_fit_a_phone_in_the_dark_palette_and_show_its_figures(
    browser, real_site: RealSite
) -> None:
    with_figures = [
        p for p in real_site.pages
        if 'class="gb-figure"' in (real_site.site_dir / p.strip("/") / "index.html").read_text(
            encoding="utf-8")
    ]  # fmt: skip
    assert len(with_figures) >= 3, with_figures  # the pages of sigmoid_prime, log_loss, gradient_descent
    for path in with_figures:
        for viewport in (br.PHONE, br.VIEWPORT):
            problems = br.check_layout(browser, real_site.url + path.lstrip("/"), viewport=viewport,
                                       color_scheme="dark")
            assert not problems, f"{path} at {viewport['width']} px, dark:\n  " + "\n  ".join(problems)
    problems = br.check_layout(browser, real_site.url + with_figures[0].lstrip("/"), viewport=br.VIEWPORT)
    assert not problems, f"{with_figures[0]} at 1280 px, light:\n  " + "\n  ".join(problems)


def test_the_browser_tests_visit_every_built_page(real_site: RealSite) -> None:
    assert expected_pages() == real_site.pages


def test_real_site_instant_navigation(browser, real_site: RealSite) -> None:
    """Home page -> a nav link to another page: swapped in without a full load, math ok."""
    assert len(real_site.pages) >= 2, "the site should have a page per derivation"
    # Prefer a target page that has math.
    with_math = [
        p for p in real_site.pages[1:]
        if 'class="arithmatex"' in (real_site.site_dir / p.strip("/") / "index.html").read_text(
            encoding="utf-8")
    ]  # fmt: skip
    context = br.new_context(browser)
    try:
        page = context.new_page()
        page.goto(real_site.url, wait_until="load")
        targets = [p for p in br.visible_nav_targets(page) if p != "/"]
    finally:
        context.close()
    assert targets, "the home page shows no navigation link to another page"
    target = next((p for p in targets if p in with_math), targets[0])
    problems = br.check_instant_navigation(browser, real_site.url, target)
    assert not problems, f"/ -> {target}:\n  " + "\n  ".join(problems)


# --------------------------------------------------------------------------------------
# the checks themselves, on the throwaway site


def test_sample_good_pages_pass(browser, sample_site: str) -> None:
    for path in ("", "good/"):
        problems = br.check_page(browser, sample_site + path)
        assert not problems, f"/{path}:\n  " + "\n  ".join(problems)


def test_sample_instant_navigation(browser, sample_site: str) -> None:
    problems = br.check_instant_navigation(browser, sample_site, "/good/")
    assert not problems, "\n  ".join(problems)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("bad-macro/", ["data-math-errors", "console error", "raw math delimiter"]),
        ("bad-braces/", ["without rendered .katex", "raw math delimiter"]),
        ("bad-dollar/", ["TeX between $ signs"]),
        ("bad-external/", ["non-local host: https://example.invalid/pixel.png"]),
    ],
)
def test_checker_flags_broken_page(browser, sample_site: str, path: str, expected) -> None:
    problems = br.check_page(browser, sample_site + path)
    report = "\n".join(problems)
    for needle in expected:
        assert needle in report, f"expected a problem mentioning {needle!r}, got:\n{report}"


def test_a_wide_formula_and_table_that_scroll_with_the_cue_pass_the_layout_check(
    browser, sample_site: str
) -> None:
    assert br.check_layout(browser, sample_site + "wide/") == []


def test_layout_check_flags_a_formula_cut_without_a_cue_and_a_page_too_wide(
    browser, sample_site: str
) -> None:
    report = "\n".join(br.check_layout(browser, sample_site + "bad-overflow/"))
    assert "without a scroll cue" in report, report
    assert "the page scrolls sideways: 1" in report, report


def test_instant_navigation_check_flags_broken_target(browser, sample_site: str) -> None:
    problems = br.check_instant_navigation(browser, sample_site, "/bad-macro/")
    assert any("data-math-errors" in p for p in problems), problems
    assert not any(p.startswith("start page:") for p in problems), problems
