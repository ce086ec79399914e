"""MkDocs hook: generate the pages and figures before every build (and every `mkdocs serve` rebuild).

Listed under ``hooks:`` in ``mkdocs.yml``. MkDocs calls ``on_pre_build`` before it collects the
files of ``docs_dir``, so the generated pages (and the nav entries that name them) are found by
the same build. The work is done by :func:`gradbook.site.build_pages`, skipped when nothing the
pages are made from has changed (:mod:`gradbook.build_record`); ``python -m gradbook.site`` builds
them without MkDocs.

Under ``mkdocs serve`` the engine modules stay imported between rebuilds (re-importing them
would give two copies of classes such as ``Derivation``), so edits to the engine need a restart;
edits to a derivation script or a template are picked up at the next rebuild.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.gradbook")


def on_config(config):
    """Let ``--8<--`` includes find the generated fragments wherever mkdocs is started from."""
    snippets = config["mdx_configs"].get("pymdownx.snippets")
    if snippets is not None:
        snippets["base_path"] = [config["docs_dir"]]
    return config


def on_pre_build(config) -> None:
    from gradbook.build_record import generate_pages

    started = time.perf_counter()
    root = Path(config["config_file_path"]).parent
    written = generate_pages(Path(config["docs_dir"]), root / "derivations")
    log.info(describe_build(written, time.perf_counter() - started))


def describe_build(written: list[Path] | None, seconds: float) -> str:
    """What the page build did: the log line of ``mkdocs build``."""
    if written is None:
        return f"gradbook: pages up to date (nothing they are made from has changed), {seconds:.2f} s"
    return f"gradbook: generated pages in {seconds:.1f} s ({len(written)} rewritten)"
