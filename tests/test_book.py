"""Books: finding one, making one with ``gradbook new``, and the command line in and outside one.

These run in this process against the source tree (the shipped derivations are the repository's
derivations/ folder here); tests/test_packaging.py does the same from an installed wheel.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from paths import DERIVATIONS, ROOT

from gradbook import book
from gradbook.cli import main
from gradbook.scripts import load_derivations

#: The files the issue asks of a new book: a derivations folder with a first derivation, a
#: site config, a home page for the site, a README.
NEW_BOOK_FILES = {
    ".gitignore", "README.md", "mkdocs.yml", "docs/index.md", "derivations/log_sigmoid_prime.py",
}
REPOSITORY_NAMES = sorted(p.stem for p in DERIVATIONS.glob("*.py") if not p.name.startswith("_"))


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def new_book(tmp_path, monkeypatch, capsys) -> Path:
    """A book made by ``gradbook new`` in an empty temporary folder; the current folder."""
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "new", "mybook")[0] == 0
    monkeypatch.chdir(tmp_path / "mybook")
    return tmp_path / "mybook"


# -- what a book is ---------------------------------------------------------------------------


def test_a_book_is_found_from_any_folder_inside_it(tmp_path):
    (tmp_path / "derivations").mkdir()
    deep = tmp_path / "docs" / "guide"
    deep.mkdir(parents=True)
    assert book.find_book(deep) == tmp_path.resolve()
    assert book.find_book(tmp_path) == tmp_path.resolve()


def test_a_folder_without_derivations_is_no_book(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    assert book.find_book(tmp_path) is None
    with pytest.raises(book.BookError, match=r"not inside a book .* `gradbook new NAME`"):
        book.require_book(None, tmp_path)
    with pytest.raises(book.BookError, match=r"--root .* is not a book"):
        book.require_book(tmp_path, ROOT)


def test_this_repository_is_a_book():
    assert book.find_book(ROOT / "src" / "gradbook") == ROOT


def test_the_shipped_derivations_are_this_repositorys_in_a_checkout():
    assert book.shipped_names() == REPOSITORY_NAMES


# -- gradbook new -----------------------------------------------------------------------------


def test_new_makes_a_book_named_after_its_folder(new_book):
    assert files_under(new_book) == NEW_BOOK_FILES
    config = (new_book / "mkdocs.yml").read_text(encoding="utf-8")
    assert "site_name: mybook\n" in config
    assert "  - gradbook\n" in config
    assert (new_book / "README.md").read_text(encoding="utf-8").startswith("# mybook\n")
    assert "$" not in (new_book / "docs" / "index.md").read_text(encoding="utf-8")


def test_a_new_book_checks_and_uses_a_shipped_derivation(new_book, capsys):
    status, out, err = run(capsys, "check")
    assert (status, err) == (0, "")
    assert out.startswith("log_sigmoid_prime  ok    3 steps")
    first = (new_book / "derivations" / "log_sigmoid_prime.py").read_text(encoding="utf-8")
    assert 'uses=["sigmoid_prime"]' in first


def test_a_book_name_the_book_lacks_is_looked_up_among_the_shipped(new_book, capsys):
    status, out, _ = run(capsys, "derive", "sigmoid_prime")
    assert status == 0
    assert out.startswith("The derivative of the sigmoid\n")


def test_a_use_neither_in_the_book_nor_shipped_fails_the_check(new_book, capsys):
    script = new_book / "derivations" / "log_sigmoid_prime.py"
    script.write_text(script.read_text(encoding="utf-8").replace('"sigmoid_prime"]', '"no_such"]'))
    status, _, err = run(capsys, "check")
    assert status == 1
    assert "log_sigmoid_prime uses unknown derivation(s) no_such" in err


@pytest.mark.parametrize("where", ["existing", "inside"])
def test_new_refuses_a_used_folder_or_a_book_inside_a_book(new_book, capsys, where):
    before = files_under(new_book.parent)
    target = "derivations" if where == "existing" else "inner"
    status, out, err = run(capsys, "new", target)
    assert (status, out) == (2, "")
    expected = "already exists and is not an empty folder" if where == "existing" else "inside the book"
    assert expected in err and "Traceback" not in err
    assert files_under(new_book.parent) == before


def test_new_refuses_a_name_that_is_not_a_name(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    status, _, err = run(capsys, "new", "my book!")
    assert status == 2
    assert "book name 'my book!'" in err
    assert not any(tmp_path.iterdir())


# -- outside a book ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [["check"], ["build"], ["serve"], ["generate"], ["export", "nothing"], ["derive", "nothing"],
     ["check", "nothing"], ["list", "--timeout", "5"]],
)
def test_outside_a_book_commands_fail_clearly_and_write_nothing(tmp_path, monkeypatch, capsys, argv):
    if argv[0] == "list":
        argv = ["--root", str(tmp_path), *argv]  # --root must name a book
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.startswith("gradbook: error: ") and "Traceback" not in err
    assert ("not inside a book" in err) or ("is not a book" in err) or ("no derivation named" in err)
    assert not any(tmp_path.iterdir())


def test_outside_a_book_list_shows_the_shipped_derivations(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "list")
    assert status == 0
    assert [line.split()[0] for line in out.splitlines()] == REPOSITORY_NAMES
    assert all(line.split()[1] == "ok" for line in out.splitlines())
    assert "not in a book" in err


# -- the shipped derivations a book's site needs -----------------------------------------------


def test_the_site_of_a_book_takes_the_shipped_derivations_it_uses_directly_or_not(new_book):
    (loaded,) = load_derivations(new_book / "derivations" / "log_sigmoid_prime.py")
    # A copy that also uses stable_sigmoid (which uses sigmoid_prime in turn): the loaded
    # derivation is shared by every later load of the script in this process.
    own = [replace(loaded, uses=[*loaded.uses, "stable_sigmoid"])]
    used = book.shipped_used_by(own, DERIVATIONS, load_derivations)
    assert sorted(d.name for d in used) == ["sigmoid_prime", "stable_sigmoid"]


# -- the start-up of the command line ----------------------------------------------------------


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_help_and_version_import_neither_sympy_nor_numpy(option):
    code = (
        "import sys\nfrom gradbook.cli import main\n"
        f"try:\n    main([{option!r}])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('sympy', 'numpy', 'mpmath') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]"
