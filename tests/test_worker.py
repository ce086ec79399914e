"""Each derivation script is checked in a process of its own, and every script is reported.

Every case runs a misbehaving script before a good one through ``gradbook check``: the good one
must still be checked, the bad one reported, the summary printed and the exit status be 1. The
derivations are tiny (one real z, one or two steps) and their wrong steps trivially wrong
(z² → 2z), so that these tests do not depend on how the checker decides.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from paths import ROOT

from gradbook.cli import main
from gradbook.scripts import run_script

HEADER = '''\
"""A tiny derivation.

For the tests of script isolation.
"""
from sympy import Derivative

from gradbook import Derivation
from gradbook.errors import StepNotEquivalentError

d = Derivation("tiny", __doc__)
z = d.real("z")
'''

GOOD = 'd.start(z**2)\nd.step(z * z, "a square is a product")\n'
WRONG = 'd.start(z**2)\nd.step(2 * z, "a wrong rule")\n'

#: Makes every later step in the same process pass, whatever it says, by checking the step
#: before against itself. It goes through Derivation, not the numeric checker's details.
TAMPER = """\
from gradbook.derivation import Derivation as Engine

honest = Engine._verify
Engine._verify = lambda self, before, after, number, rule: honest(self, before, before, number, rule)
""" + GOOD


def write(folder: Path, name: str, body: str) -> Path:
    path = folder / f"{name}.py"
    path.write_text(HEADER + textwrap.dedent(body), encoding="utf-8")
    return path


def check(capsys, *argv: str) -> tuple[int, str, str]:
    """``gradbook check ARGV...`` in this process (its workers are not); status, stdout, stderr."""
    status = main(["--root", str(ROOT), "check", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def progress(out: str) -> dict[str, str]:
    """Each script's progress line: name → "ok" or "FAILED"."""
    lines = out.split("\n\n")[0].splitlines()
    return {line.split()[0]: line.split()[1] for line in lines if not line.startswith(" ")}


def failure_paragraphs(err: str) -> list[str]:
    return err.strip().split("\n\n")[1:]


# -- one misbehaving script, then a good one ----------------------------------------------------

MISBEHAVING = {
    "exits_the_process": ("import os\nos._exit(0)\n", "the worker exited with status 0 before writing"),
    "calls_sys_exit": ("import sys\nsys.exit(0)\n", "the script exited in derivation 'tiny': SystemExit(0)"),
    "raises_keyboard_interrupt": ("raise KeyboardInterrupt\n", "the script raised KeyboardInterrupt"),
    "is_killed": ("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n", "killed by SIGKILL"),
    "catches_its_wrong_step": (
        """\
        d.start(z**2)
        try:
            d.step(2 * z, "a wrong rule")
        except StepNotEquivalentError:
            pass
        d.step(z * z, "a square is a product")
        """,
        "line 14: wrong step in derivation 'tiny', step 2 ('a wrong rule'): it does not follow",
    ),
    "has_no_step": ("d.start(z**2)\n", "malformed derivation in derivation 'tiny'"),
}


@pytest.mark.parametrize("case", MISBEHAVING)
def test_a_misbehaving_script_is_reported_and_the_next_one_checked(capsys, tmp_path, case):
    body, expected = MISBEHAVING[case]
    bad = write(tmp_path, case, body)
    good = write(tmp_path, "good", GOOD)
    status, out, err = check(capsys, str(bad), str(good))
    assert status == 1
    assert progress(out) == {case: "FAILED", "good": "ok"}
    assert "2 checked" in out and "1 ok, 1 failed" in out
    (paragraph,) = failure_paragraphs(err)
    assert paragraph.startswith(str(bad))
    assert expected in paragraph


def test_a_derivation_with_no_checked_step_says_so(capsys, tmp_path):
    path = write(tmp_path, "no_step", "d.start(z**2)\n")
    _, _, err = check(capsys, str(path))
    assert err.strip().endswith("the derivation has no checked step")


def test_tampering_with_gradbook_does_not_reach_the_next_script(capsys, tmp_path):
    tamper = write(tmp_path, "a_tamper", TAMPER)
    wrong = write(tmp_path, "b_wrong", WRONG)
    status, out, err = check(capsys, str(tamper), str(wrong))
    assert status == 1
    assert progress(out) == {"a_tamper": "ok", "b_wrong": "FAILED"}
    (paragraph,) = failure_paragraphs(err)
    assert "wrong step in derivation 'tiny', step 2 ('a wrong rule')" in paragraph


def test_the_tampering_does_fool_a_shared_process(tmp_path):
    """What the test above guards against: loaded one after the other, both scripts "pass"."""
    tamper = write(tmp_path, "a_tamper", TAMPER)
    wrong = write(tmp_path, "b_wrong", WRONG)
    shared = (
        "import sys; from pathlib import Path; from gradbook.scripts import run_script; "
        "print([run_script(Path(p)).ok for p in sys.argv[1:]])"
    )
    run = subprocess.run([sys.executable, "-c", shared, str(tamper), str(wrong)],
                         capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[True, True]"
    assert run_script(wrong).ok is False


def test_a_hanging_script_times_out_and_the_rest_is_checked(capsys, tmp_path):
    child_pid = tmp_path / "child.pid"
    hang = write(tmp_path, "hangs", f"""\
        import subprocess
        child = subprocess.Popen(["sleep", "300"])
        open({str(child_pid)!r}, "w").write(str(child.pid))
        while True:
            pass
        """)
    good = write(tmp_path, "good", GOOD)
    started = time.perf_counter()
    status, out, err = check(capsys, "--timeout", "3", "--jobs", "1", str(hang), str(good))
    assert time.perf_counter() - started < 20
    assert status == 1
    assert progress(out) == {"hangs": "FAILED", "good": "ok"}
    (paragraph,) = failure_paragraphs(err)
    assert paragraph.startswith(f"{hang}: timed out after 3 s")
    assert gone(int(child_pid.read_text()))


def gone(pid: int, wait: float = 5.0) -> bool:
    """Whether process ``pid`` has ended (a zombie waiting to be reaped counts as ended)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except FileNotFoundError:
            return True
        if state in {"Z", "X"}:
            return True
        time.sleep(0.1)
    return False


def test_what_a_script_prints_does_not_disturb_the_report(capsys, tmp_path):
    noisy = write(tmp_path, "noisy", textwrap.dedent("""\
        import sys
        print("noisy  FAILED")
        print('{"version": 1, "report": {}}')
        sys.stderr.write("3 checked in 0.0 s: 3 ok, 0 failed\\n")
        """) + GOOD)
    wrong = write(tmp_path, "wrong", WRONG)
    status, out, err = check(capsys, str(noisy), str(wrong))
    assert status == 1
    assert progress(out) == {"noisy": "ok", "wrong": "FAILED"}
    assert "version" not in out + err and "3 ok" not in out + err
    assert len(failure_paragraphs(err)) == 1


def test_workers_hash_strings_the_same_way_every_time(capsys, tmp_path):
    fixed = subprocess.run([sys.executable, "-c", "print(hash('gradbook'))"], capture_output=True,
                           text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    script = write(tmp_path, "hashing", textwrap.dedent(f"""\
        if hash("gradbook") != {fixed.stdout.strip()}:
            raise RuntimeError("strings hash differently from PYTHONHASHSEED=0")
        """) + GOOD)
    status, out, err = check(capsys, str(script))
    assert (status, progress(out)) == (0, {"hashing": "ok"}), err


def test_parallel_workers_report_in_the_order_given(capsys, tmp_path):
    slow = write(tmp_path, "slow", "import time\ntime.sleep(2)\n" + WRONG)
    quick = write(tmp_path, "quick", GOOD)
    status, out, err = check(capsys, "--jobs", "2", str(slow), str(quick))
    assert status == 1
    assert [line.split()[0] for line in out.splitlines()[:2]] == ["slow", "quick"]
    assert failure_paragraphs(err)[0].startswith(str(slow))


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--timeout", "0", "argument --timeout: expected a positive number of seconds, got '0'"),
        ("--timeout", "soon", "argument --timeout: expected a positive number of seconds, got 'soon'"),
        ("--jobs", "0", "argument -j/--jobs: expected a whole number of at least 1, got '0'"),
    ],
)
def test_bad_worker_options_are_named(capsys, option, value, expected):
    with pytest.raises(SystemExit) as exit_:
        main(["check", option, value, "sigmoid_prime"])
    assert exit_.value.code == 2
    assert expected in capsys.readouterr().err


# -- list, derive and export are not fooled either ----------------------------------------------


def test_list_derive_and_export_fail_a_caught_wrong_step(capsys, tmp_path):
    folder = tmp_path / "derivations"
    folder.mkdir()
    write(folder, "caught", MISBEHAVING["catches_its_wrong_step"][0])
    assert main(["--root", str(tmp_path), "list"]) == 0
    out, err = capsys.readouterr()
    assert out.split()[:2] == ["caught", "failed"]
    assert "wrong step in derivation 'tiny', step 2" in err
    for command in (["derive", "caught"], ["export", "caught"], ["export", "caught", "--format", "latex"]):
        assert main(["--root", str(tmp_path), *command]) == 1
        out, err = capsys.readouterr()
        assert out == ""
        assert "wrong step in derivation 'tiny', step 2 ('a wrong rule')" in err


# -- Ctrl-C ------------------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT to a process group of its own")
def test_ctrl_c_stops_the_check_and_its_workers(tmp_path):
    marker = tmp_path / "worker.pid"
    write(tmp_path, "hangs", f"import os\nopen({str(marker)!r}, 'w').write(str(os.getpid()))\n"
          "while True:\n    pass\n")
    run = subprocess.Popen(
        [sys.executable, "-m", "gradbook", "check", str(tmp_path / "hangs.py")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.2)  # the pid is written; let the file be closed
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=20)
    assert run.returncode == 130
    assert "gradbook: interrupted" in err and "Traceback" not in err
    assert gone(int(marker.read_text()))
