"""The kernels module is what the derivations produce, and importing it needs no SymPy."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import numpy as np
import sympy as sp
from paths import DERIVATIONS, ROOT

from gradbook import sigmoid
from gradbook.implementation import Implementation
from gradbook.kernel_source import KERNELS_PATH, array_api_source, function_source


def test_regenerating_the_kernels_changes_nothing(derivations):
    from gradbook.kernel_file import kernels_of
    from gradbook.kernel_source import module_source

    expected = module_source(kernels_of(list(derivations.values())))
    assert KERNELS_PATH.read_text(encoding="utf-8") == expected, (
        "src/gradbook/kernels.py is out of date: run `gradbook generate`"
    )


def test_kernels_name_the_derivation_that_produced_them():
    """Each kernel's docstring names a derivation script that declares that derivation and
    implements a kernel of that name, and the module's header lists exactly those scripts."""
    text = KERNELS_PATH.read_text(encoding="utf-8")
    assert text.startswith('"""NumPy kernels generated from')
    tree = ast.parse(text)
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    twins = [node for node in functions if re.search(r"_xp(_rows)?$", node.name)]
    kernels = [
        node for node in functions
        if not node.name.endswith("_blocks") and not node.name.startswith("_") and node not in twins
    ]
    assert kernels
    # Each Array API twin names the NumPy kernel it is the twin of, and every kernel has one.
    named = {re.match(r"`(\w+?)(_xp)?` ", ast.get_docstring(twin)).group(1) for twin in twins}
    assert named == {kernel.name for kernel in kernels}
    scripts = set()
    for kernel in kernels:
        origin = re.search(r"Derived in `(\w+)` \(derivations/(\w+\.py)\)\.", ast.get_docstring(kernel))
        assert origin, f"{kernel.name} does not name its derivation"
        derivation, script = origin.groups()
        source = (DERIVATIONS / script).read_text(encoding="utf-8")
        assert re.search(rf'Derivation\(\s*"{derivation}"', source), (kernel.name, script)
        assert re.search(rf'\.implement(_together)?\(\s*"{kernel.name}"', source), (kernel.name, script)
        scripts.add(script)
    listed = re.findall(r"^\* derivations/(\w+\.py)$", ast.get_docstring(tree), flags=re.MULTILINE)
    assert sorted(listed) == sorted(scripts)


def test_importing_the_functions_does_not_import_sympy():
    code = "import sys, gradbook.functions; print('sympy' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.stdout.strip() == "False", run.stderr


def test_kernels_have_no_python_loop():

    tree = ast.parse(KERNELS_PATH.read_text(encoding="utf-8"))
    loops = (ast.For, ast.While, ast.comprehension)
    assert not [node for node in ast.walk(tree) if isinstance(node, loops)]


def test_a_vector_sum_is_lowered_to_an_array_sum():
    k, j, K = sp.symbols("k j K", integer=True)
    z = sp.IndexedBase("z")
    expr = sp.exp(z[k]) / sp.Sum(sp.exp(z[j]), (j, 1, K))
    source = function_source(Implementation("f", expr, (z,), k, "test", "test.py", "Test."))
    namespace = {"numpy": np}
    exec(source, namespace)
    scores = np.array([[2.0, 1.0, 0.0]])
    assert namespace["f"](scores) == __import__("pytest").approx(np.exp(scores) / np.exp(scores).sum())


def test_notation_prints_as_the_kernel_of_the_same_name():
    z = sp.Symbol("z", real=True)
    source = function_source(Implementation("g", sigmoid(z) - 1, (z,), None, "test", "test.py", "Test."))
    assert "sigmoid(z, out=out)" in source


def test_array_kernels_reuse_their_own_temporaries_but_never_their_inputs():
    from gradbook import kernels

    text = KERNELS_PATH.read_text(encoding="utf-8")
    body = text.split("def softmax_cross_entropy_grad_shifted")[1].split("\ndef ")[0]
    assert "out=" in body
    assert "out=z" not in body and "out=y" not in body and "out=c" not in body
    rng = np.random.default_rng(3)
    z, y = rng.standard_normal((4, 5)), rng.dirichlet(np.ones(5), size=4)
    c = z.max(axis=-1, keepdims=True)
    before = (z.copy(), y.copy(), c.copy())
    gradient = kernels.softmax_cross_entropy_grad_shifted(z, y, c)
    expected = np.exp(z - c) / np.exp(z - c).sum(axis=-1, keepdims=True) - y
    assert np.allclose(gradient, expected, rtol=1e-15, atol=0)
    for original, now in zip(before, (z, y, c), strict=True):
        assert np.array_equal(original, now)


def test_every_kernel_returns_a_new_array_and_leaves_its_arguments_alone():
    """Kernels overwrite their own temporaries, and the kernels that call other kernels rely on
    every kernel returning an array it allocated: never one of its arguments."""
    import inspect

    from gradbook import kernels

    rng = np.random.default_rng(5)
    for name, kernel in inspect.getmembers(kernels, inspect.isfunction):
        if name.endswith("_blocks") or name.startswith("_") or kernel.__module__ != kernels.__name__:
            continue  # the blocked drivers are tested with tests/test_blocks.py
        parameters = [p for p in inspect.signature(kernel).parameters if p not in ("out", "scratch")]
        arguments = {p: rng.uniform(0.1, 0.9, size=(3, 4)) for p in parameters}
        if "c" in arguments:
            arguments["c"] = arguments["z"].max(axis=-1, keepdims=True)
        copies = {p: a.copy() for p, a in arguments.items()}
        returned = kernel(**arguments)
        for result in returned if isinstance(returned, tuple) else (returned,):
            for parameter, array in arguments.items():
                assert np.array_equal(array, copies[parameter]), f"{name} changed {parameter}"
                assert not np.shares_memory(result, array), f"{name} returned {parameter}"


def test_array_api_twins_use_only_their_namespace_and_write_nothing_in_place():
    """A twin must run on libraries without ``out=`` (JAX and Dask arrays are immutable) and
    must not reach for NumPy; its first statement asks the arguments for their namespace."""
    tree = ast.parse(KERNELS_PATH.read_text(encoding="utf-8"))
    twins = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.endswith("_xp")]
    assert twins
    for twin in twins:
        source = ast.unparse(twin)
        assert "out=" not in source and "numpy" not in source and "blocks" not in source, twin.name
        first = twin.body[1]  # after the docstring
        assert ast.unparse(first).startswith("xp = array_namespace("), twin.name
        augmented = [node for node in ast.walk(twin) if isinstance(node, ast.AugAssign)]
        assert not augmented, f"{twin.name} updates an array in place"


def test_an_exponential_of_a_difference_is_halved_and_squared_in_a_twin():
    """exp(z − s) for a row that spans more than the float range: z − s overflows (NumPy-based
    libraries warn), z/2 − s/2 does not."""
    k, j, K = sp.symbols("k j K", integer=True)
    z, s = sp.IndexedBase("z", real=True), sp.Symbol("s", real=True)
    expr = sp.exp(z[k] - s) / sp.Sum(sp.exp(z[j] - s), (j, 1, K))
    implementation = Implementation("f", expr, (z, s), k, "test", "test.py", "Test.")
    namespace = {}
    exec(array_api_source(implementation), {"array_namespace": lambda *arrays: np} | namespace, namespace)
    rows = np.array([[1e308, 0.0, -1e308], [1.0, 2.0, 3.0]])
    shift = rows.max(axis=-1, keepdims=True)
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is right
        got = namespace["f_xp"](rows, shift)
    wanted = np.array([[1.0, 0.0, 0.0], np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()])
    np.testing.assert_allclose(got, wanted, rtol=4e-16, atol=0)
