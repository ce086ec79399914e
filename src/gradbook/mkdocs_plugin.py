"""The MkDocs plugin of a book's site: ``plugins: [gradbook]`` in the book's ``mkdocs.yml``.

Registered as the ``mkdocs.plugins`` entry point ``gradbook`` (pyproject.toml); this
repository's own site uses it too. Before each build (and each ``mkdocs serve`` rebuild) it

* writes the page of every derivation, the map of the learning path, the API reference and the
  figures (:func:`gradbook.site.build_pages`), with the pages of the shipped derivations the
  book's derivations use, unless nothing they are made from has changed since the last build
  (:mod:`gradbook.build_record`);
* puts the derivation pages into the nav, part by part in learning-path order
  (:func:`gradbook.site.derivation_nav`), after the nav's first entry (the home page); the
  other entries of ``nav:`` in ``mkdocs.yml`` are the hand-written pages and stay as written.
  A book without a ``nav:`` gets the home page, the derivations and the generated pages;
* adds KaTeX, gradbook's stylesheet and the script that renders the math, from the package (no
  network at build time); ``assets: false`` leaves them out, for a site whose ``docs_dir``
  already holds them (this repository's ``site_src/`` is where they come from).

Under ``mkdocs serve`` the engine modules stay imported between rebuilds (re-importing them
would give two copies of classes such as ``Derivation``), so edits to the engine need a restart;
edits to a derivation script or a template are picked up at the next rebuild.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from gradbook import book

log = logging.getLogger("mkdocs.plugins.gradbook")

#: The site assets of a book, relative to :func:`gradbook.book.site_assets`, in load order:
#: katex-init.js only subscribes to Material's document$, so KaTeX must be loaded when it emits;
#: scroll-cue.js (which marks formulas, tables and code wider than the page) subscribes after it.
JAVASCRIPT = (
    "javascripts/katex-init.js",
    "assets/vendor/katex/katex.min.js",
    "assets/vendor/katex/contrib/auto-render.min.js",
    "javascripts/scroll-cue.js",
)
CSS = ("assets/vendor/katex/katex.min.css", "stylesheets/gradbook.css")
#: Where the assets go in the built site, clear of the book's own files.
SITE_FOLDER = "gradbook"
#: The KaTeX files the stylesheet loads (fonts) and its licence, copied with it.
KATEX = "assets/vendor/katex"
#: The generated pages a book without a ``nav:`` lists after its derivations.
GENERATED_NAV = ({"Notation": "generated/notation.md"},
                 {"Mistakes the checker catches": "generated/mistakes.md"},
                 {"API reference": "generated/api.md"})


class GradbookPluginConfig(Config):
    """``assets``: add gradbook's KaTeX, stylesheet and script to the site (default true)."""

    assets = config_options.Type(bool, default=True)


class GradbookPlugin(BasePlugin[GradbookPluginConfig]):
    """Generate the pages and the nav of a book's derivations before each build; add the assets."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        snippets = config["mdx_configs"].get("pymdownx.snippets")
        if snippets is not None:
            snippets["base_path"] = [config["docs_dir"]]
        if self.config.assets:
            config["extra_javascript"] = [f"{SITE_FOLDER}/{path}" for path in JAVASCRIPT] + list(
                config["extra_javascript"]
            )
            config["extra_css"] = [f"{SITE_FOLDER}/{path}" for path in CSS] + list(config["extra_css"])
        self.written_nav = config["nav"]
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        from gradbook.build_record import generate_pages

        started = time.perf_counter()
        root = Path(config["config_file_path"]).parent
        derivations, shipped = root / book.DERIVATIONS, book.shipped_derivations()
        written, nav = generate_pages(Path(config["docs_dir"]), derivations, shipped=shipped)
        config["nav"] = with_derivations(self.written_nav, nav)
        log.info(describe_build(written, time.perf_counter() - started))

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        if not self.config.assets:
            return files
        assets = book.site_assets()
        wanted = [*JAVASCRIPT, *CSS, *(p.relative_to(assets).as_posix()
                                       for p in (assets / KATEX).rglob("*") if p.is_file())]
        for path in dict.fromkeys(wanted):
            if path.endswith("README.md"):
                continue
            files.append(File.generated(config, f"{SITE_FOLDER}/{path}", abs_src_path=str(assets / path)))
        return files


def describe_build(written: list[Path] | None, seconds: float) -> str:
    """What the page build did: the log line of ``mkdocs build``."""
    if written is None:
        return f"gradbook: pages up to date (nothing they are made from has changed), {seconds:.2f} s"
    return f"gradbook: generated pages in {seconds:.1f} s ({len(written)} rewritten)"


def with_derivations(written: list | None, derivations: list[dict[str, list[str]]]) -> list:
    """The nav of ``mkdocs.yml`` (``written``) with the derivation sections after its first entry.

    Without a written nav: the home page, the derivations, then the generated pages.
    """
    if not written:
        return ["index.md", *derivations, *GENERATED_NAV]
    return [written[0], *derivations, *written[1:]]
