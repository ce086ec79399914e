"""A verdict is the same on every run, under any load: the JSON export of every derivation is
byte-identical between this test process and another process with another hash seed, run while
every core is busy.

Under pytest-xdist (the README's command) the other test process keeps the second core busy;
run alone (``-n 0``), the test starts a busy loop of its own. A busy loop beside the other test
process would only slow both down: no verdict depends on the clock (the checker reads it only
to report how long a step took), so one busy core shows what more would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager

from paths import DERIVATIONS, ROOT

from gradbook.export import to_json

EXPORT_EVERY_DERIVATION = """
import sys
from pathlib import Path

from gradbook.export import to_json
from gradbook.scripts import in_dependency_order, run_script, script_paths

# Checked here, not replayed from the session's cache of verdicts: this process checks again.
loaded = [run_script(path) for path in script_paths(Path(sys.argv[1]))]
assert all(outcome.ok for outcome in loaded), [outcome.failure for outcome in loaded]
for derivation in in_dependency_order([d for outcome in loaded for d in outcome.derivations]):
    sys.stdout.write(to_json(derivation))
"""

BUSY_LOOP = "while True:\n    pass\n"


@contextmanager
def busy_machine(processes: int):
    """Keep ``processes`` CPU-bound processes running for the duration of the block."""
    burners = [subprocess.Popen([sys.executable, "-c", BUSY_LOOP]) for _ in range(processes)]
    try:
        yield
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()


def test_the_json_export_of_every_derivation_is_the_same_under_load(derivations):
    here = "".join(to_json(derivation) for derivation in derivations.values())
    environment = os.environ | {"PYTHONHASHSEED": "4242"}
    other_test_processes = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) - 1
    with busy_machine(max(0, 1 - other_test_processes)):
        there = subprocess.run(
            [sys.executable, "-c", EXPORT_EVERY_DERIVATION, str(DERIVATIONS)],
            capture_output=True, text=True, cwd=ROOT, env=environment, check=True,
        ).stdout
    assert there.count('"format": "gradbook-derivation"') == len(derivations)
    assert there == here
