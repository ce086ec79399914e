"""The wheel: what it holds, and the command line of an installed gradbook in a folder of its own.

The wheel is built once per session and installed without its dependencies into a fresh virtual
environment that sees this environment's packages through a ``.pth`` file (so the test needs no
download beyond the build backend). The commands run from a temporary folder outside the
repository, with no PYTHONPATH, so only the installed copy can answer.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest
from paths import DERIVATIONS, ROOT

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

#: What `pip install gradbook` brings (the issue: NumPy, SymPy, mpmath and little else).
CORE = {"sympy", "mpmath", "numpy"}
#: What `pip install "gradbook[site]"` adds.
SITE = {"jinja2", "mkdocs", "mkdocs-material", "pymdown-extensions", "matplotlib"}


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(folder), str(ROOT)],
        check=True, capture_output=True,
    )
    (built,) = folder.glob("gradbook-*.whl")
    return built


@pytest.fixture(scope="session")
def installed(wheel, tmp_path_factory) -> Path:
    """The ``bin`` folder of a fresh environment with the wheel installed."""
    environment = tmp_path_factory.mktemp("venv")
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    # Installed before the .pth exists: pip would otherwise take this environment's gradbook
    # for the one to install.
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True, capture_output=True, env=without_pythonpath(),
    )
    parents = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    Path(purelib, "this_environment.pth").write_text("\n".join(parents) + "\n", encoding="utf-8")
    return environment / "bin"


def without_pythonpath() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}


@pytest.fixture
def elsewhere(tmp_path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def gradbook(bin_folder: Path, folder: Path, *argv: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [bin_folder / "gradbook", *argv], cwd=folder, env=without_pythonpath(),
        capture_output=True, text=True, timeout=timeout,
    )


# -- the wheel --------------------------------------------------------------------------------


def test_the_wheel_ships_the_engine_the_derivations_and_the_site_assets(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    engine = {f"gradbook/{p.relative_to(ROOT / 'src' / 'gradbook').as_posix()}"
              for p in (ROOT / "src" / "gradbook").rglob("*.py") if "__pycache__" not in p.parts}
    shipped = {f"gradbook/shipped/{p.name}" for p in DERIVATIONS.glob("*.py")}
    assets = {
        "gradbook/site_assets/assets/vendor/katex/katex.min.js",
        "gradbook/site_assets/assets/vendor/katex/katex.min.css",
        "gradbook/site_assets/assets/vendor/katex/fonts/KaTeX_Main-Regular.woff2",
        "gradbook/site_assets/stylesheets/gradbook.css",
        "gradbook/site_assets/javascripts/katex-init.js",
        "gradbook/site_assets/javascripts/scroll-cue.js",
    }
    assert engine | shipped | assets <= names
    assert not any(name.startswith("gradbook/site_assets/guide/") for name in names)


def test_the_core_needs_only_the_engine_and_the_site_is_an_extra(wheel):
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        requires = [line.removeprefix("Requires-Dist: ") for line in
                    archive.read(metadata).decode().splitlines() if line.startswith("Requires-Dist: ")]
    name = re.compile(r"[A-Za-z0-9_.-]+")
    core = {name.match(r).group().lower() for r in requires if "extra ==" not in r}
    site = {name.match(r).group().lower() for r in requires if 'extra == "site"' in r}
    assert (core, site) == (CORE, SITE)


# -- the installed command line, outside any book ----------------------------------------------


def test_version_answers_without_importing_sympy(installed, elsewhere):
    done = subprocess.run(
        [installed / "python", "-X", "importtime", "-m", "gradbook", "--version"],
        cwd=elsewhere, capture_output=True, text=True, check=True, env=without_pythonpath(),
    )
    assert done.stdout.startswith("gradbook ")
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines()}
    assert "gradbook.cli" in imported
    assert not {"sympy", "numpy", "mpmath"} & imported


def test_the_functions_import_only_numpy(installed, elsewhere):
    code = "import sys, gradbook.functions; print('sympy' in sys.modules, 'numpy' in sys.modules)"
    done = subprocess.run(
        [installed / "python", "-c", code], cwd=elsewhere, capture_output=True, text=True,
        env=without_pythonpath(),
    )
    assert done.stdout.split() == ["False", "True"]


def test_list_and_derive_show_the_shipped_derivations(installed, elsewhere):
    listing = gradbook(installed, elsewhere, "list")
    assert listing.returncode == 0
    names = [line.split()[0] for line in listing.stdout.splitlines()]
    assert names == sorted(p.stem for p in DERIVATIONS.glob("*.py") if not p.name.startswith("_"))
    derived = gradbook(installed, elsewhere, "derive", "sigmoid_prime")
    assert derived.returncode == 0
    assert "σ(z)⋅(1 - σ(z))" in derived.stdout and "⇒ result `sigmoid_prime`" in derived.stdout
    assert not any(elsewhere.iterdir())


@pytest.mark.parametrize("argv", [["check"], ["build"], ["serve"], ["derive", "no_such_name"]])
def test_outside_a_book_a_command_fails_clearly(installed, elsewhere, argv):
    done = gradbook(installed, elsewhere, *argv)
    assert done.returncode == 2
    assert done.stderr.startswith("gradbook: error: ") and "Traceback" not in done.stderr
    assert not any(elsewhere.iterdir())


# -- a new book --------------------------------------------------------------------------------


def test_a_new_book_checks_builds_and_serves(installed, elsewhere):
    assert gradbook(installed, elsewhere, "new", "mybook").returncode == 0
    folder = elsewhere / "mybook"
    checked = gradbook(installed, folder / "docs", "check")
    assert checked.returncode == 0, checked.stderr
    built = gradbook(installed, folder, "build", "--strict")
    assert built.returncode == 0, built.stderr
    site = folder / "site"
    page = (site / "derivations" / "log_sigmoid_prime" / "index.html").read_text(encoding="utf-8")
    assert 'href="../sigmoid_prime/"' in page  # the shipped derivation it uses has a page
    assert (site / "derivations" / "sigmoid_prime" / "index.html").is_file()
    assert "../../gradbook/assets/vendor/katex/katex.min.js" in page
    assert "../../gradbook/javascripts/scroll-cue.js" in page  # the scroll cue of wide formulas
    assert (site / "gradbook" / "assets" / "vendor" / "katex" / "katex.min.js").is_file()
    assert_serves(installed, folder, "/derivations/log_sigmoid_prime/")


def assert_serves(installed: Path, folder: Path, page: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [installed / "gradbook", "serve", "-a", f"127.0.0.1:{port}"], cwd=folder, env=without_pythonpath(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{page}", timeout=5) as response:
                    assert response.status == 200
                    assert "The derivative of the log-sigmoid" in response.read().decode()
                    return
            except OSError:
                assert server.poll() is None, "gradbook serve stopped"
                assert time.monotonic() < deadline, "gradbook serve did not answer in 120 s"
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)
        assert_nothing_answers(port)  # no server left behind by the one that was stopped


def assert_nothing_answers(port: int) -> None:
    with socket.socket() as probe, pytest.raises(OSError):
        probe.settimeout(5)
        probe.connect(("127.0.0.1", port))
