"""The "Write your own derivation" guide cannot drift from the example file it walks through."""

from __future__ import annotations

import re
import shutil

from paths import ROOT

from gradbook.cli import main

EXAMPLE = ROOT / "examples" / "tanh_derivative.py"
PAGE = ROOT / "site_src" / "guide" / "own-derivation.md"
WRONG_LINE = ("d.step(1 - sinh(z) ** 2", "d.step(1 + sinh(z) ** 2")


def fenced_blocks(language: str) -> list[str]:
    text = PAGE.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def test_the_page_shows_the_example_file_exactly():
    assert fenced_blocks("python")[0] == EXAMPLE.read_text(encoding="utf-8")


def test_the_example_checks(capsys):
    assert main(["--root", str(ROOT), "check", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("tanh_derivative  ok    4 steps")


def test_a_wrong_step_in_a_copy_fails_naming_the_step_as_the_page_shows(capsys, tmp_path):
    before, after = WRONG_LINE
    source = EXAMPLE.read_text(encoding="utf-8")
    assert source.count(before) == 1
    broken = tmp_path / "tanh_derivative.py"
    broken.write_text(source.replace(before, after), encoding="utf-8")
    assert main(["--root", str(ROOT), "check", str(broken)]) == 1
    paragraph = capsys.readouterr().err.strip().split("\n\n")[-1]
    assert "step 4 ('split the fraction')" in paragraph
    # The counterexample is drawn with a seed fixed by the derivation and the step, so the
    # page can quote the message word for word.
    shown = fenced_blocks("console")[1].strip().split("\n\n")[-1]
    assert paragraph.replace(str(broken), broken.name) == shown


def test_the_example_copied_into_a_new_book_checks_and_builds_with_no_other_edit(tmp_path, monkeypatch):
    """Adding a derivation is adding one file: its page, nav entry and map entry follow from it."""
    monkeypatch.chdir(tmp_path)
    assert main(["new", "mybook"]) == 0
    book = tmp_path / "mybook"
    shutil.copy(EXAMPLE, book / "derivations" / EXAMPLE.name)
    monkeypatch.chdir(book)
    assert main(["check"]) == 0
    assert main(["build", "--strict", "--site-dir", str(tmp_path / "site")]) == 0

    page = (tmp_path / "site" / "derivations" / "tanh_derivative" / "index.html").read_text(encoding="utf-8")
    assert "Hyperbolic functions" in page  # the further reading it declares
    assert "relative error" in page  # its gradient check
    assert (tmp_path / "site" / "generated" / "figures" / "tanh.svg").is_file()  # its figure
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    for name in ("tanh_derivative", "log_sigmoid_prime", "sigmoid_prime"):
        assert f'href="derivations/{name}/"' in home, name  # in the map
    nav = home[home.index('class="md-nav md-nav--primary"'):]
    assert nav.index("7. Activation functions") > nav.index("6. Building on the sigmoid") > nav.index(
        "2. The sigmoid"
    )
