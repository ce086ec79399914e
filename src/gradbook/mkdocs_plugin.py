"""The MkDocs plugin of a book's site: ``plugins: [gradbook]`` in the book's ``mkdocs.yml``.

Registered as the ``mkdocs.plugins`` entry point ``gradbook`` (pyproject.toml). It does for any
book what ``mkdocs_hook.py`` does for this repository's own site, and adds what a book's folder
does not carry: the pages of the shipped derivations its derivations use, and KaTeX, gradbook's
stylesheet and the script that renders the math, from the package (no network at build time).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from gradbook import book

log = logging.getLogger("mkdocs.plugins.gradbook")

#: The site assets of a book, relative to :func:`gradbook.book.site_assets`, in load order:
#: katex-init.js only subscribes to Material's document$, so KaTeX must be loaded when it emits.
JAVASCRIPT = (
    "javascripts/katex-init.js",
    "assets/vendor/katex/katex.min.js",
    "assets/vendor/katex/contrib/auto-render.min.js",
)
CSS = ("assets/vendor/katex/katex.min.css", "stylesheets/gradbook.css")
#: Where the assets go in the built site, clear of the book's own files.
SITE_FOLDER = "gradbook"
#: The KaTeX files the stylesheet loads (fonts) and its licence, copied with it.
KATEX = "assets/vendor/katex"


class GradbookPlugin(BasePlugin):
    """Generate the pages of a book's derivations before each build, and add the math assets."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        snippets = config["mdx_configs"].get("pymdownx.snippets")
        if snippets is not None:
            snippets["base_path"] = [config["docs_dir"]]
        config["extra_javascript"] = [f"{SITE_FOLDER}/{path}" for path in JAVASCRIPT] + list(
            config["extra_javascript"]
        )
        config["extra_css"] = [f"{SITE_FOLDER}/{path}" for path in CSS] + list(config["extra_css"])
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        from gradbook.build_record import generate_pages
        from gradbook.mkdocs_hook import describe_build

        started = time.perf_counter()
        root = Path(config["config_file_path"]).parent
        written = generate_pages(
            Path(config["docs_dir"]), root / book.DERIVATIONS, shipped=book.shipped_derivations()
        )
        log.info(describe_build(written, time.perf_counter() - started))

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        assets = book.site_assets()
        wanted = [*JAVASCRIPT, *CSS, *(p.relative_to(assets).as_posix()
                                       for p in (assets / KATEX).rglob("*") if p.is_file())]
        for path in dict.fromkeys(wanted):
            if path.endswith("README.md"):
                continue
            files.append(File.generated(config, f"{SITE_FOLDER}/{path}", abs_src_path=str(assets / path)))
        return files
