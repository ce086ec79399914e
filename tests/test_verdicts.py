"""The verdicts kept on disk: what they are keyed by, who writes them, and how they are replayed.

The derivations here are tiny (one real z, a step or two) so that a worker checks them in a
moment; each test that counts files gets a cache folder of its own.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from gradbook import verdicts
from gradbook.cli import main
from gradbook.scripts import load, replay, run_script
from gradbook.worker import WorkerPool, kept_report

HEADER = '''\
"""A tiny derivation.

For the tests of the verdict cache.
"""
from sympy import exp

from gradbook import Derivation

d = Derivation("tiny", __doc__)
z = d.real("z")
'''
SQUARE = 'd.start(z**2)\nd.step(z * z, "a square is a product")\n'
#: The same derivation, step by step, with another (also true) expression at step 2.
OTHER_SQUARE = 'd.start(z**2)\nd.step(z * (z + 1) - z, "a square is a product")\n'
WRONG = 'd.start(z**2)\nd.step(2 * z, "a wrong rule")\n'


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """An empty cache folder of this test's own, for this process and the workers it starts."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(verdicts.CACHE_ENV, str(folder))
    return folder


def write(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text(HEADER + textwrap.dedent(body), encoding="utf-8")
    return path


def stored(cache: Path) -> list[Path]:
    return sorted((cache / "verdicts").glob("*.json")) if (cache / "verdicts").is_dir() else []


def check_in_worker(path: Path, fresh: bool = False):
    with WorkerPool(jobs=1, fresh=fresh) as pool:
        return pool.check(path)


# -- the key -------------------------------------------------------------------------------------


def test_a_worker_keeps_its_verdict_and_the_next_check_reads_it(cache, tmp_path):
    path = write(tmp_path / "scripts", "square", SQUARE)
    first = check_in_worker(path)
    assert first.ok and not first.cached
    assert len(stored(cache)) == 1
    again = check_in_worker(path)
    assert again.ok and again.cached
    assert again.derivations[0].checks == first.derivations[0].checks


def test_a_changed_script_misses_the_cache(cache, tmp_path):
    path = write(tmp_path / "scripts", "square", SQUARE)
    check_in_worker(path)
    content = path.read_bytes()
    assert kept_report(path, content, None) is not None
    tampered = content + b"# one more comment\n"
    assert kept_report(path, tampered, None) is None
    path.write_bytes(tampered)
    assert not check_in_worker(path).cached
    assert len(stored(cache)) == 2


def test_the_same_script_under_another_name_misses_the_cache(cache, tmp_path):
    """The file name is part of the key: it is the module's name and the page's source."""
    path = write(tmp_path / "scripts", "square", SQUARE)
    check_in_worker(path)
    assert kept_report(path.with_name("renamed.py"), path.read_bytes(), None) is None


@pytest.mark.parametrize("changed", ["engine", "sympy", "gradbook"])
def test_another_engine_or_version_misses_the_cache(cache, tmp_path, monkeypatch, changed):
    path = write(tmp_path / "scripts", "square", SQUARE)
    check_in_worker(path)
    assert kept_report(path, path.read_bytes(), None) is not None
    other = verdicts.environment() | {changed: "something else"}
    monkeypatch.setattr(verdicts, "environment", lambda: other)
    assert kept_report(path, path.read_bytes(), None) is None


def test_the_engine_digest_covers_every_engine_module():
    """A digest over the package's modules: any of them changed gives another key."""
    package = Path(verdicts.__file__).parent
    modules = sorted(path.name for path in package.glob("*.py"))
    assert {"checking.py", "derivation.py", "sampling.py", "proof.py", "evaluation.py"} <= set(modules)
    assert len(verdicts.engine_digest()) == 64


# -- who writes verdicts ---------------------------------------------------------------------------


def test_a_script_run_in_this_process_writes_no_verdict(cache, tmp_path):
    path = write(tmp_path / "scripts", "square", SQUARE)
    assert run_script(path).ok
    assert stored(cache) == []


def test_loading_here_takes_the_verdict_a_worker_wrote(cache, tmp_path, monkeypatch):
    """The loading process cannot write a verdict (its writer is broken here), yet one appears."""
    def no_writing(*_arguments, **_keywords):
        raise AssertionError("a verdict was written by the loading process")

    monkeypatch.setattr(verdicts, "write_verdict", no_writing)
    path = write(tmp_path / "scripts", "square", SQUARE)
    loaded = load(path)
    assert loaded.ok
    assert len(stored(cache)) == 1
    step = loaded.derivations[0].steps[1]
    assert step.verification.points >= 20


def test_the_cache_is_not_written_when_a_command_fails_outside_a_book(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(verdicts.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["check"]) == 2
    assert "not inside a book" in capsys.readouterr().err
    assert not any(elsewhere.iterdir())
    assert not (tmp_path / "user-cache").exists() and not (tmp_path / "home").exists()


def test_a_book_keeps_its_verdicts_in_its_own_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(verdicts.CACHE_ENV, raising=False)
    path = write(tmp_path / "book" / "derivations", "square", SQUARE)
    assert verdicts.cache_folder(path) == tmp_path / "book" / ".gradbook-cache"


def test_a_verdict_is_written_whole(cache, tmp_path):
    path = write(tmp_path / "scripts", "square", SQUARE)
    target = verdicts.write_verdict(path, b"content", {"report": {}})
    assert target is not None and json.loads(target.read_text(encoding="utf-8"))["report"] == {}
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no partial file left
    target.write_text("{ half a verd", encoding="utf-8")
    assert verdicts.read_verdict(path, b"content") is None


# -- replaying -------------------------------------------------------------------------------------


def test_a_verdict_replayed_on_other_expressions_is_refused(cache, tmp_path):
    checked = write(tmp_path / "one", "square", SQUARE)
    report = check_in_worker(checked)
    assert report.ok
    other = write(tmp_path / "two", "square", OTHER_SQUARE)
    assert run_script(other).ok  # the other script is right too, when it is checked
    replayed = replay(other, report)
    assert replayed.failure is not None
    assert replayed.failure.kind == "verdict refused"
    assert (replayed.failure.derivation, replayed.failure.step) == ("tiny", 2)
    assert "other expressions than the ones checked" in replayed.failure.detail


def test_a_replayed_step_with_another_rule_is_refused(cache, tmp_path):
    report = check_in_worker(write(tmp_path / "one", "square", SQUARE))
    other = write(tmp_path / "two", "square", SQUARE.replace("a square is a product", "another rule"))
    replayed = replay(other, report)
    assert replayed.failure is not None and replayed.failure.kind == "verdict refused"


def test_a_cached_failure_is_a_failure_with_its_counterexample(cache, tmp_path, capsys):
    path = write(tmp_path / "scripts", "wrong", WRONG)
    for expected_cached in (False, True):
        status = main(["check", str(path)])
        out, err = capsys.readouterr()
        assert status == 1
        assert out.splitlines()[0].endswith(" cached") is expected_cached
        assert "wrong step in derivation 'tiny', step 2 ('a wrong rule')" in err
        assert "Counterexample: z = " in err


def test_fresh_checks_again_and_says_where_verdicts_came_from(cache, tmp_path, capsys):
    path = write(tmp_path / "scripts", "square", SQUARE)
    assert main(["check", str(path)]) == 0
    assert "every script was checked now" in capsys.readouterr().out
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].endswith(" cached") and "1 of 1 verdicts from the cache" in out
    assert main(["check", "--fresh", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].endswith(" s") and "every script was checked now" in out
