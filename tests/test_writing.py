"""Writing the generated kernels is atomic: a failure mid-write leaves the old file, and nothing else.

``gradbook.writing.write_if_changed`` writes to a temporary file and renames it over the target.
These tests make each of the two operations fail and look at what is left in the folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gradbook.writing import write_if_changed

OLD = '"""The previous kernels."""\n'
NEW = '"""The new kernels."""\n' + "x = 1\n" * 1000


@pytest.fixture
def target(tmp_path):
    path = tmp_path / "kernels.py"
    path.write_text(OLD, encoding="utf-8")
    return path


def files_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_writes_new_text_and_skips_equal_text(target):
    assert write_if_changed(target, NEW) is True
    assert target.read_text(encoding="utf-8") == NEW
    stamp = target.stat().st_mtime_ns
    assert write_if_changed(target, NEW) is False
    assert target.stat().st_mtime_ns == stamp
    assert files_in(target.parent) == ["kernels.py"]


def fail_half_way(self, data, *args, **kwargs):
    """Write the first half of ``data``, then fail as a full disk would."""
    with open(self, "w", encoding="utf-8") as file:
        file.write(data[: len(data) // 2])
    raise OSError(28, "No space left on device")


def fail_rename(self, target):
    raise OSError(13, "Permission denied")


FAILURES = pytest.mark.parametrize(
    ("attribute", "failure"),
    [("write_text", fail_half_way), ("replace", fail_rename)],
    ids=["write-fails-half-way", "rename-fails"],
)


@FAILURES
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(target, monkeypatch, attribute, failure):
    monkeypatch.setattr(Path, attribute, failure)
    with pytest.raises(OSError):
        write_if_changed(target, NEW)
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == OLD
    assert files_in(target.parent) == ["kernels.py"]


@FAILURES
def test_a_failed_first_write_leaves_nothing(tmp_path, monkeypatch, attribute, failure):
    monkeypatch.setattr(Path, attribute, failure)
    with pytest.raises(OSError):
        write_if_changed(tmp_path / "kernels.py", NEW)
    monkeypatch.undo()
    assert files_in(tmp_path) == []
