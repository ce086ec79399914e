"""Generated code is checked code: what the generator cannot compile is refused by name at
``implement()``, and a kernel that is wrong, writes into its input or uses an undefined name is
refused by ``gradbook generate`` before anything is written.

The derivations here are scratch ones built in the test; their chains have no steps to check
(``implement`` compiles the chain's last expression, here its start), so these tests do not
depend on the step checker.
"""

from __future__ import annotations

import re

import mpmath
import numpy as np
import pytest
import sympy as sp
from paths import ROOT
from sympy.codegen.cfunctions import log1p

from gradbook import Derivation, blocks, domains, kernel_file, sigmoid
from gradbook.cli import main
from gradbook.errors import CodegenError
from gradbook.implementation import Implementation
from gradbook.kernel_check import check_kernel, check_module
from gradbook.kernel_printer import ArrayApiPrinter, KernelPrinter
from gradbook.kernel_source import KERNELS_PATH, driver_source, function_source
from gradbook.scripts import in_dependency_order


@pytest.fixture
def d():
    """A scratch derivation with scalars, vectors of two lengths, a matrix and their indices."""
    d = Derivation("scratch", "A scratch derivation.\n\nFor the tests.", source=__file__)
    m, n = d.size("m"), d.size("n")
    d.index("i", m), d.index("j", n), d.index("k", n), d.index("l", n)
    d.matrix("X", m, n), d.vector("y", m), d.vector("theta", n), d.vector("w", n)
    d.vector("p", n, domains.SIMPLEX)
    d.real("a"), d.real("b"), d.real("lambda"), d.real("t0"), d.real("sigmoid"), d.real("xp")
    return d


def names(d: Derivation) -> dict[str, sp.Basic]:
    """The declared symbols of ``d`` by name: sizes, indices, variables."""
    found = {str(s): s for s in (*d.setting.sizes, *d.setting.indices)}
    found |= {name: variable.symbol for name, variable in d.setting.variables.items()}
    return found


def implement(d: Derivation, expr: sp.Expr, arguments: tuple, vector_index=None, name="f"):
    with sp.evaluate(False):
        d.start(expr)
    return d.implement(name, arguments, "A scratch kernel.", vector_index=vector_index)


# -- refused at implement() ------------------------------------------------------------------


def matrix_form(s):
    X, theta, y = (s["X"], s["theta"], s["y"])
    X_, theta_, y_ = (sp.MatrixSymbol("X", s["m"], s["n"]), sp.MatrixSymbol("theta", s["n"], 1),
                      sp.MatrixSymbol("y", s["m"], 1))
    return X_.T * (X_ * theta_ - y_) / s["m"], (X, theta, y), None


REFUSED = {
    "matrix form": (matrix_form, "in matrix form"),
    "a keyword argument": (
        lambda s: (s["lambda"] / 2 * sp.Sum(s["theta"][s["j"]] ** 2, (s["j"], 1, s["n"])),
                   (s["theta"], s["lambda"]), s["j"]),
        "'lambda' is a Python keyword",
    ),
    "a free size": (
        lambda s: (s["a"] / (2 * s["n"]) * sp.Sum(s["theta"][s["j"]] ** 2, (s["j"], 1, s["n"])),
                   (s["theta"], s["a"]), s["k"]),
        "uses n, which the kernel does not take",
    ),
    "two free indices": (
        lambda s: (s["w"][s["l"]] * s["theta"][s["k"]], (s["w"], s["theta"]), s["k"]),
        "w[l] is indexed by l where the kernel runs along k",
    ),
    "a matrix argument": (
        lambda s: (s["X"][s["i"], s["k"]] * s["theta"][s["k"]], (s["X"], s["theta"]), s["k"]),
        "the argument X is a matrix",
    ),
    "a sum over another axis": (
        lambda s: (sp.Sum(s["y"][s["i"]], (s["i"], 1, s["m"])) * s["theta"][s["k"]],
                   (s["y"], s["theta"]), s["k"]),
        "runs over i from 1 to m",
    ),
    "a sum over part of the axis": (
        lambda s: (sp.Sum(s["theta"][s["j"]], (s["j"], 2, s["n"])), (s["theta"],), s["k"]),
        "runs over j from 2 to n",
    ),
    "the free index inside a sum": (
        lambda s: (sp.Sum(s["w"][s["j"]] * s["theta"][s["k"]], (s["j"], 1, s["n"])),
                   (s["w"], s["theta"]), s["k"]),
        "theta[k] is indexed by k where the kernel runs along j",
    ),
    "a constant summand": (
        lambda s: (sp.Sum(s["a"], (s["j"], 1, s["n"])) + s["theta"][s["k"]], (s["theta"], s["a"]), s["k"]),
        "has no entry indexed by j",
    ),
    "an index used as a number": (
        lambda s: (s["k"] * s["theta"][s["k"]], (s["theta"],), s["k"]),
        "uses k, which the kernel does not take",
    ),
    "a vector without vector_index": (
        lambda s: (2 * s["theta"][s["k"]], (s["theta"],), None),
        "no vector_index",
    ),
    "Piecewise": (
        lambda s: (sp.Piecewise((s["a"], s["a"] > 0), (0, True)), (s["a"],), None),
        "Piecewise (Piecewise((a, a > 0), (0, True))) has no NumPy form",
    ),
    "KroneckerDelta": (
        lambda s: (sp.KroneckerDelta(s["j"], s["k"]) * s["theta"][s["k"]], (s["theta"],), s["k"]),
        "KroneckerDelta (KroneckerDelta(j, k)) has no NumPy form",
    ),
    "a derivative left unevaluated": (
        lambda s: (sp.Derivative(s["a"] ** 3, s["a"]), (s["a"],), None),
        "Derivative",
    ),
    "an argument named like a temporary": (
        lambda s: (s["a"] + s["t0"], (s["a"], s["t0"]), None),
        "'t0' clashes with a name the generated code uses",
    ),
    "an argument named like a notation kernel": (
        lambda s: (s["a"] + s["sigmoid"], (s["a"], s["sigmoid"]), None),
        "'sigmoid' clashes with a name the generated code uses",
    ),
    "an argument named like the Array API namespace": (
        lambda s: (s["a"] + s["xp"], (s["a"], s["xp"]), None),
        "'xp' clashes with a name the generated code uses",
    ),
    "a size as an argument": (
        lambda s: (s["a"] * s["m"], (s["a"], s["m"]), None),
        "the argument m is not a declared variable",
    ),
    "an argument given twice": (
        lambda s: (s["a"] * s["b"], (s["a"], s["b"], s["a"]), None),
        "the argument a is given twice",
    ),
}


@pytest.mark.parametrize(("case", "expected"), REFUSED.values(), ids=REFUSED.keys())
def test_implement_refuses_what_the_generator_cannot_compile(d, case, expected):
    expr, arguments, vector_index = case(names(d))
    with pytest.raises(CodegenError) as refused:
        implement(d, expr, arguments, vector_index)
    message = str(refused.value)
    assert message.startswith("scratch: cannot implement f (derivations/test_kernel_check.py): ")
    assert expected in message
    assert d.chains[-1].implementation is None
    assert refused.value in d.errors()


@pytest.mark.parametrize(
    "name",
    [
        "lambda", "numpy", "a0", "t3", "not a name", "xp", "blocks", "f_blocks", "f_xp", "f_xp_rows",
        "scratch", "out",
    ],
)
def test_implement_refuses_a_kernel_name_python_or_the_generated_code_cannot_use(d, name):
    s = names(d)
    with pytest.raises(CodegenError, match="the kernel name"):
        implement(d, s["a"] * s["b"], (s["a"], s["b"]), name=name)


def test_an_undefined_function_is_refused_by_name(d):
    s = names(d)
    with pytest.raises(CodegenError, match=r"g \(g\(a\)\) has no NumPy form"):
        implement(d, sp.Function("g")(s["a"]), (s["a"],))


# -- compiled correctly, and checked -----------------------------------------------------------


def test_a_sum_inside_a_sum_is_compiled_and_passes_the_check(d):
    s = names(d)
    theta, w, j, k, n, inner_index = s["theta"], s["w"], s["j"], s["k"], s["n"], s["l"]
    inner = sp.Sum(sp.exp(w[inner_index]), (inner_index, 1, n))
    implementation = implement(d, theta[k] + sp.Sum(theta[j] * inner, (j, 1, n)), (theta, w), k)
    namespace = {}
    exec(kernel_file.checked_module_source([implementation]), namespace)
    rng = np.random.default_rng(4)
    thetas, ws = rng.normal(size=(3, 5)), rng.normal(size=(3, 5))
    expected = thetas + thetas.sum(axis=1, keepdims=True) * np.exp(ws).sum(axis=1, keepdims=True)
    assert np.allclose(namespace["f"](thetas, ws), expected, rtol=1e-13, atol=0)


def test_the_project_kernels_pass_the_check(derivations):
    implementations = kernel_file.kernels_of(list(derivations.values()))
    assert kernel_file.checked_module_source(implementations) == KERNELS_PATH.read_text(encoding="utf-8")


def softmax(d: Derivation) -> Implementation:
    s = names(d)
    theta, p, a, j, k, n = s["theta"], s["p"], s["a"], s["j"], s["k"], s["n"]
    shifted = sp.exp(theta[k] - a) / sp.Sum(sp.exp(theta[j] - a), (j, 1, n))
    return implement(d, shifted - p[k], (theta, p, a), k, name="softmax_minus_labels")


def test_a_printer_that_emits_a_wrong_operator_is_caught(d, monkeypatch):
    implementation = softmax(d)
    assert kernel_file.checked_module_source([implementation])  # the printer as it is passes
    original = KernelPrinter._ufunc

    def add_for_subtract(self, function, operands):
        return original(self, "numpy.add" if function == "numpy.subtract" else function, operands)

    monkeypatch.setattr(KernelPrinter, "_ufunc", add_for_subtract)
    with pytest.raises(CodegenError) as refused:
        kernel_file.checked_module_source([implementation])
    message = str(refused.value)
    assert message.startswith(
        "scratch: the generated kernel softmax_minus_labels (derivations/test_kernel_check.py) "
        "is refused: it does not compute the checked expression: at theta = ["
    )
    assert ", component k = " in message


def test_an_array_api_printer_that_emits_a_wrong_operator_is_caught(d, monkeypatch):
    implementation = softmax(d)
    original = ArrayApiPrinter._ufunc

    def add_for_subtract(self, function, operands):
        return original(self, "numpy.add" if function == "numpy.subtract" else function, operands)

    monkeypatch.setattr(ArrayApiPrinter, "_ufunc", add_for_subtract)
    with pytest.raises(CodegenError, match=r"softmax_minus_labels .* does not compute the checked"):
        kernel_file.checked_module_source([implementation])


def test_an_array_api_kernel_that_uses_a_numpy_only_function_is_caught(d, monkeypatch):
    """numpy.logaddexp is not in the standard: array-api-strict has no such function."""
    z = sp.Symbol("z", real=True)
    implementation = bare("f", sp.log(1 + sp.exp(z)), (z,))
    source = kernel_file.module_source([implementation]).replace("xp.log(", "xp.heaviside(")
    with pytest.raises(CodegenError, match="its Array API twin raises AttributeError"):
        check_module(source, [implementation])


def test_a_kernel_that_writes_into_its_input_is_caught(d, monkeypatch):
    def any_spent_operand(self, name, shape):
        spent = self.remaining.get(name, 0) == 0 and self.pending[name] == 0
        return spent and self.shapes.get(name) == shape

    monkeypatch.setattr(KernelPrinter, "_reusable", any_spent_operand)
    implementation = softmax(d)
    with pytest.raises(CodegenError, match="it writes into one of its inputs"):
        kernel_file.checked_module_source([implementation])


def bare(name: str, expr: sp.Expr, arguments: tuple) -> Implementation:
    """An implementation that did not go through ``implement()`` and its checks."""
    return Implementation(name, expr, arguments, None, "bare", "derivations/bare.py", "Bare.")


def test_a_kernel_that_uses_an_undefined_name_is_caught():
    z, n = sp.Symbol("z", real=True), sp.Symbol("n", positive=True)
    with pytest.raises(CodegenError, match=r"bare: .* uses name\(s\) the module does not define: n$"):
        kernel_file.checked_module_source([bare("f", z / n, (z,))])


def test_a_kernel_that_uses_a_builtin_is_caught():
    """A builtin such as ``sum`` is not a module name: a kernel needs none, and this one reduces
    over the wrong axis."""
    z = sp.Symbol("z", real=True)
    source = "import numpy\n\n\ndef f(z):\n    return numpy.multiply(2, sum(z))\n"
    with pytest.raises(CodegenError, match=r"uses name\(s\) the module does not define: sum$"):
        check_module(source, [bare("f", 2 * z, (z,))])


def test_a_notation_call_needs_its_kernel_in_the_module():
    z = sp.Symbol("z", real=True)
    with pytest.raises(CodegenError, match="does not define: sigmoid"):
        kernel_file.checked_module_source([bare("f", 2 * sigmoid(z), (z,))])


def test_a_kernel_that_returns_its_input_is_caught():
    z = sp.Symbol("z", real=True)
    with pytest.raises(CodegenError, match="it returns its input z"):
        kernel_file.checked_module_source([bare("identity", z, (z,))])


def test_a_vector_kernel_without_its_length_is_refused():
    k, z = sp.Symbol("k", integer=True), sp.IndexedBase("z", real=True)
    implementation = Implementation("f", 2 * z[k], (z,), k, "bare", "derivations/bare.py", "Bare.")
    with pytest.raises(CodegenError, match="no vector_length"):
        kernel_file.checked_module_source([implementation])


def test_two_kernels_of_one_name_are_refused():
    z = sp.Symbol("z", real=True)
    with pytest.raises(CodegenError, match="two kernels are called f"):
        kernel_file.checked_module_source([bare("f", 2 * z, (z,)), bare("f", 3 * z, (z,))])


def test_kernels_are_run_on_the_declared_domains():
    """A kernel that is right only for positive z (|z| computed as z) passes where z is declared
    positive and is refused where z may be any real."""
    z = sp.Symbol("z", real=True)
    namespace = {"f": lambda z, out=None: z.copy(), "f_blocks": lambda z: z.copy()}
    on_positives = Implementation("f", sp.Abs(z), (z,), None, "abs", "abs.py", "|z|.", (domains.POSITIVE,))
    check_kernel(namespace, on_positives)
    on_reals = Implementation("f", sp.Abs(z), (z,), None, "abs", "abs.py", "|z|.", (domains.REAL,))
    with pytest.raises(CodegenError, match="does not compute the checked expression"):
        check_kernel(namespace, on_reals)


def test_implement_records_the_domains_and_the_vector_length(d):
    implementation = softmax(d)
    s = names(d)
    assert implementation.domains == (domains.REAL, domains.SIMPLEX, domains.REAL)
    assert implementation.vector_length == s["n"]


# -- gradbook generate -------------------------------------------------------------------------


def test_generate_refuses_a_module_without_kernels(capsys, tmp_path):
    (tmp_path / "derivations").mkdir()
    target = tmp_path / "kernels.py"
    status = main(["--root", str(tmp_path), "generate", "--output", str(target)])
    assert status == 1
    assert "refusing to write a kernels module without kernels" in capsys.readouterr().err
    assert not target.exists()


def test_generate_outside_a_checkout_needs_output(capsys, tmp_path):
    (tmp_path / "derivations").mkdir()
    before = KERNELS_PATH.read_bytes()
    assert main(["--root", str(tmp_path), "generate"]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path} is not a gradbook source checkout" in err and "--output" in err
    assert KERNELS_PATH.read_bytes() == before


def test_generate_does_not_write_into_another_checkout(capsys, tmp_path):
    (tmp_path / "derivations").mkdir()
    other = tmp_path / "src" / "gradbook" / "kernels.py"
    other.parent.mkdir(parents=True)
    other.write_text("# another checkout's kernels\n", encoding="utf-8")
    assert main(["--root", str(tmp_path), "generate"]) == 2
    assert "is not the kernels module of the gradbook that is running" in capsys.readouterr().err
    assert other.read_text(encoding="utf-8") == "# another checkout's kernels\n"


def test_generate_in_this_checkout_targets_its_kernels(capsys, monkeypatch, derivations):
    loaded = in_dependency_order(list(derivations.values()))
    monkeypatch.setattr(kernel_file, "load_all", lambda directory: loaded)
    assert main(["--root", str(ROOT), "generate", "--check"]) == 0
    assert capsys.readouterr().out == f"{ROOT / 'src' / 'gradbook' / 'kernels.py'} is up to date\n"


# -- a peak: the marker of each row's largest entry, made by the driver ------------------------


def peaked(d: Derivation, peak):
    s = names(d)
    theta, p, a, k, j, n = s["theta"], s["p"], s["a"], s["k"], s["j"], s["n"]
    expr = log1p(sp.Sum(sp.exp(theta[j] - a) - p[j], (j, 1, n)))
    with sp.evaluate(False):
        d.start(expr)
    return d.implement(
        "shifted_log_sum_exp", (theta, a, p), "A scratch kernel.", vector_index=k, shift=(a, theta),
        peak=peak,
    )


@pytest.mark.parametrize(
    ("pick", "expected"),
    [
        (lambda s: (s["a"], s["theta"]), "the peak a is not a vector argument of the kernel"),
        (lambda s: (s["y"], s["theta"]), "the peak y is not a vector argument of the kernel"),
        (lambda s: (s["p"], s["w"]), "a peak needs a shift of the same vector: shift=(s, w)"),
    ],
    ids=["a scalar", "not an argument", "another vector"],
)
def test_a_peak_must_mark_the_shifted_vector_with_a_vector_argument(d, pick, expected):
    with pytest.raises(CodegenError, match=re.escape(expected)):
        peaked(d, pick(names(d)))


def test_a_driver_makes_the_peak_and_keeps_what_lies_below_half_an_ulp_of_1(d):
    """ln Σ e^(θ_j − a) with a the largest θ, as log1p of the terms other than the largest: the
    generated driver takes θ alone and gives ln(1 + e^(−40)) = 4.25e−18, where the log of the
    whole sum gives 0."""
    implementation = peaked(d, (names(d)["p"], names(d)["theta"]))
    assert implementation.driver_arguments == ["theta"]
    source = "\n\n".join((function_source(implementation), driver_source(implementation)))
    namespace = {"numpy": np, "blocks": blocks}
    exec(source, namespace)
    scores = np.array([[40.0, 0.0], [0.0, 40.0], [3.0, 3.0]])
    got = namespace["shifted_log_sum_exp_blocks"](scores)[:, 0]
    with mpmath.workdps(60):
        expected = [
            float(mpmath.log(sum(mpmath.exp(mpmath.mpf(v) - max(row)) for v in row))) for row in scores
        ]
    assert expected[0] == pytest.approx(4.248354255291589e-18, rel=1e-15)
    np.testing.assert_allclose(got, expected, rtol=1e-15, atol=0)


# -- a fallback on overflow: a short form tried first, a long one where it overflows ----------


def log_add_exp(fallback=None, on_overflow: str | None = "log_add_exp_shifted"):
    """ln(eᵃ + eᵇ), whose eᵃ overflows for a above 709.8, with ``fallback`` (max(a, b) +
    ln(1 + e^(−|a − b|)) unless given) as the kernel its driver falls back on."""
    d = Derivation("log_add_exp", "Log-add-exp.\n\nFor the tests.", source=__file__)
    a, b = d.real("a"), d.real("b")
    tail = log1p(sp.exp(-sp.Abs(a - b)))
    fallback = sp.Max(a, b) + tail if fallback is None else fallback(a, b, tail)
    with d.chain():
        d.start(sp.log(sp.exp(a) + sp.exp(b)))
        d.implement("log_add_exp", (a, b), "ln(eᵃ + eᵇ).", on_overflow=on_overflow)
    with d.chain():
        d.start(fallback)
        d.implement("log_add_exp_shifted", (a, b), "max(a, b) + ln(1 + e^(−|a − b|)).")
    return d


def test_a_block_that_overflows_is_computed_by_the_fallback_without_a_warning():
    namespace = {}
    exec(kernel_file.checked_module_source(kernel_file.kernels_of([log_add_exp()])), namespace)
    a, b = np.array([0.0, 1000.0, -1000.0]), np.array([0.0, 1000.0, -1e308])
    got = namespace["log_add_exp_blocks"](a, b)  # warnings are errors in this suite
    np.testing.assert_allclose(got, np.log(2) + np.array([0.0, 1000.0, -1000.0 - np.log(2)]), rtol=1e-15)
    assert namespace["log_add_exp_blocks"](np.array([1e308]), np.array([1e308]))[0] == 1e308


def test_a_fallback_of_another_value_is_refused_by_the_check():
    """The fallback is only run where the kernel overflows, so the check runs the driver once
    more with the kernel made to overflow on every block: a fallback off by a factor is refused
    there, though the kernel itself is right."""
    wrong = log_add_exp(lambda a, b, tail: sp.Max(a, b) + tail / 2)
    route = "its blocked driver on overflow (through log_add_exp_shifted) does not compute"
    with pytest.raises(CodegenError, match=re.escape(route)):
        kernel_file.checked_module_source(kernel_file.kernels_of([wrong]))


@pytest.mark.parametrize(
    ("on_overflow", "expected"),
    [
        ("log_add_exp_shiftedd", "on_overflow names log_add_exp_shiftedd, which no derivation implements"),
        ("log_add_exp", "log_add_exp cannot be its own fallback"),
    ],
    ids=["unknown", "itself"],
)
def test_a_fallback_must_be_another_kernel(on_overflow, expected):
    with pytest.raises(CodegenError, match=re.escape(expected)):
        kernel_file.kernels_of([log_add_exp(on_overflow=on_overflow)])


def test_a_fallback_must_take_the_same_arguments_and_have_none_of_its_own():
    d = log_add_exp(on_overflow="just_a")
    a = d.setting.variables["a"].symbol
    with d.chain():
        d.start(a)
        d.implement("just_a", (a,), "a.")
    with pytest.raises(CodegenError, match="the fallback just_a does not take the same arguments"):
        kernel_file.kernels_of([d])
    d = log_add_exp()
    a = d.setting.variables["a"].symbol
    with d.chain():
        d.start(a)
        d.implement("log_add_exp_again", (a,), "a.", on_overflow="log_add_exp")
    with pytest.raises(CodegenError, match="the fallback log_add_exp has a fallback of its own"):
        kernel_file.kernels_of([d])
