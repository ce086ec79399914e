"""The record of the last page build, so that a build with nothing changed writes nothing.

The generated pages and figures (:func:`gradbook.site.build_pages`) are a function of the
derivation scripts, gradbook's own files (engine, templates, examples, the code of the figures)
and the versions of the libraries that check and draw them. After a build, a digest of all of
those is recorded together with a digest of every file in the generated folders. The next build
whose inputs have the same digest, and whose generated files are all still there and unchanged,
is skipped: it imports neither SymPy nor matplotlib, and MkDocs goes on with the pages as they
are. Anything else builds the pages again.

The record is kept in the cache folder of the book (:func:`gradbook.verdicts.cache_folder`).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
from collections.abc import Iterable
from pathlib import Path

from gradbook import verdicts

#: The folders of ``docs_dir`` that the page build writes (site.DERIVATION_PAGES, site.GENERATED_PAGES).
GENERATED_FOLDERS = ("derivations", "generated")
#: Libraries that draw or lay out the pages, besides those that decide verdicts.
SITE_LIBRARIES = ("jinja2", "matplotlib")


def generate_pages(
    docs_dir: Path, derivations_dir: Path, shipped: Path | None = None
) -> tuple[list[Path] | None, list]:
    """Build the pages unless the record says they are up to date.

    Returns the files written (None if the build was skipped) and the nav entries of the
    derivation pages (:func:`gradbook.site.derivation_nav`), which are recorded with the pages.
    """
    inputs = inputs_digest(docs_dir, derivations_dir, shipped)
    record = record_path(docs_dir, derivations_dir)
    kept = up_to_date_record(record, inputs, docs_dir)
    if kept is not None:
        return None, kept["nav"]
    from gradbook.site import build_pages, derivation_nav

    written = build_pages(docs_dir, derivations_dir, shipped)
    nav = derivation_nav(derivations_dir, shipped)
    remember(record, inputs, docs_dir, nav)
    return written, nav


def inputs_digest(docs_dir: Path, derivations_dir: Path, shipped: Path | None) -> str:
    """A digest of everything the generated pages are made from."""
    digest = hashlib.sha256(str(docs_dir.resolve()).encode() + b"\0")
    digest.update(json.dumps([verdicts.environment(), _site_versions()], sort_keys=True).encode())
    folders = [derivations_dir] + ([shipped] if shipped is not None else [])
    scripts = [path for folder in folders for path in sorted(folder.glob("*.py"))]
    _add_files(digest, [*scripts, *_package_files()])
    return digest.hexdigest()


def record_path(docs_dir: Path, derivations_dir: Path) -> Path:
    """Where the record of the pages generated into ``docs_dir`` is kept."""
    name = hashlib.sha256(str(docs_dir.resolve()).encode()).hexdigest()[:24]
    return verdicts.cache_folder(derivations_dir / "any.py") / "pages" / f"{name}.json"


def up_to_date_record(record: Path, inputs: str, docs_dir: Path) -> dict | None:
    """The record, if it was made from ``inputs`` and the generated files are still as it lists."""
    try:
        kept = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("inputs") != inputs or "nav" not in kept:
        return None
    return kept if kept.get("files") == generated_files(docs_dir) else None


def remember(record: Path, inputs: str, docs_dir: Path, nav: list) -> None:
    """Record the generated files of ``docs_dir`` and ``nav`` as made from ``inputs`` (all or nothing)."""
    text = json.dumps({"inputs": inputs, "files": generated_files(docs_dir), "nav": nav}, sort_keys=True)
    partial = record.with_name(record.name + f".{os.getpid()}.partial")
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, record)
    except OSError:
        partial.unlink(missing_ok=True)


def generated_files(docs_dir: Path) -> dict[str, str]:
    """Every file in the generated folders of ``docs_dir``, with a digest of its bytes."""
    files = {}
    for folder in GENERATED_FOLDERS:
        for path in sorted((docs_dir / folder).rglob("*")):
            if path.is_file():
                files[path.relative_to(docs_dir).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


@functools.cache
def _package_files() -> tuple[Path, ...]:
    package = Path(__file__).resolve().parent
    return tuple(sorted(
        path for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and "site_assets" not in path.parts
    ))


def _site_versions() -> dict[str, str]:
    versions = {}
    for name in SITE_LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions


def _add_files(digest: hashlib._Hash, paths: Iterable[Path]) -> None:
    for path in paths:
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
