"""A page build with nothing changed is skipped; any change to an input or an output builds again.

The page build itself is replaced here by one that writes a page and a figure and counts its
calls: what is tested is when the record lets a build be skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gradbook import build_record, site, verdicts


@pytest.fixture
def book(tmp_path, monkeypatch):
    """A book with one script, a docs folder, a cache of its own and a counting page build."""
    monkeypatch.setenv(verdicts.CACHE_ENV, str(tmp_path / "cache"))
    scripts, docs = tmp_path / "derivations", tmp_path / "docs"
    scripts.mkdir()
    (scripts / "first.py").write_text("# a derivation\n", encoding="utf-8")
    builds: list[Path] = []

    def build_pages(docs_dir: Path, derivations_dir: Path, shipped: Path | None = None) -> list[Path]:
        page = docs_dir / "derivations" / "first.md"
        figure = docs_dir / "generated" / "figures" / "f.svg"
        for path in (page, figure):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"made from {sorted(p.name for p in derivations_dir.iterdir())}\n")
        builds.append(docs_dir)
        return [page, figure]

    def derivation_nav(derivations_dir: Path, shipped: Path | None = None) -> list:
        return [{"Part": [f"derivations/{p.stem}.md" for p in sorted(derivations_dir.glob("*.py"))]}]

    monkeypatch.setattr(site, "build_pages", build_pages)
    monkeypatch.setattr(site, "derivation_nav", derivation_nav)
    return scripts, docs, builds


def test_a_second_build_with_nothing_changed_is_skipped(book):
    scripts, docs, builds = book
    written, nav = build_record.generate_pages(docs, scripts)
    assert written is not None
    assert build_record.generate_pages(docs, scripts) == (None, nav)  # the nav from the record
    assert nav == [{"Part": ["derivations/first.md"]}]
    assert len(builds) == 1


def test_a_changed_script_builds_again(book):
    scripts, docs, builds = book
    build_record.generate_pages(docs, scripts)
    (scripts / "first.py").write_text("# a derivation, edited\n", encoding="utf-8")
    assert build_record.generate_pages(docs, scripts)[0] is not None
    assert len(builds) == 2


def test_a_new_script_builds_again(book):
    scripts, docs, builds = book
    build_record.generate_pages(docs, scripts)
    (scripts / "second.py").write_text("# another derivation\n", encoding="utf-8")
    _, nav = build_record.generate_pages(docs, scripts)
    assert len(builds) == 2
    assert nav == [{"Part": ["derivations/first.md", "derivations/second.md"]}]


@pytest.mark.parametrize("damage", ["edit", "delete", "add"])
def test_a_generated_file_changed_by_hand_builds_again(book, damage):
    scripts, docs, builds = book
    build_record.generate_pages(docs, scripts)
    page = docs / "derivations" / "first.md"
    if damage == "edit":
        page.write_text("edited by hand\n")
    elif damage == "delete":
        page.unlink()
    else:
        (docs / "generated" / "stray.md").write_text("not generated\n")
    assert build_record.generate_pages(docs, scripts)[0] is not None
    assert len(builds) == 2


def test_another_engine_builds_again(book, monkeypatch):
    scripts, docs, builds = book
    build_record.generate_pages(docs, scripts)
    other = verdicts.environment() | {"engine": "another engine"}
    monkeypatch.setattr(verdicts, "environment", lambda: other)
    build_record.generate_pages(docs, scripts)
    assert len(builds) == 2


def test_the_record_names_the_folders_the_site_writes():
    assert set(build_record.GENERATED_FOLDERS) == {site.DERIVATION_PAGES, site.GENERATED_PAGES}
