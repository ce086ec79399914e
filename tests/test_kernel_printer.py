"""Straight-line kernels that reuse their temporaries compute what the expression says.

Each expression is compiled twice, by the in-place emitter and by SymPy's plain ``lambdify``,
and both are run on the same random arrays. Expressions that reuse a subexpression after a
later use of it (t/(t + 1)² with t = e⁻ᶻ) are the ones an eager in-place write would corrupt.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sympy as sp
from sympy.codegen.cfunctions import expm1

from gradbook.errors import CodegenError
from gradbook.implementation import Implementation
from gradbook.kernel_printer import RowSum
from gradbook.kernel_source import function_source

z, y, c = sp.symbols("z y c", real=True)
t = sp.exp(-sp.Abs(z))

ELEMENTWISE = [
    t / (t + 1) ** 2,
    (1 - y) * sp.exp(sp.Min(z, 0)) - y * sp.exp(sp.Min(-z, 0)),
    sp.log(1 + t) + sp.Max(z, 0) - y * z,
    (z - y) ** 2 / (1 + z**2) - 3 * z,
    -(t + y) / (t * y + 1),
    sp.tanh(z) * sp.cosh(y) - sp.sin(z) * sp.cos(y) + sp.tan(y) / sp.sinh(1 + y),
    sp.sqrt(1 + z**2) * sp.pi + expm1(y) / (z**3 + sp.E) + sp.Rational(1, 3) * z + sp.Float("0.1") * y,
]


def compile_kernel(expr, arguments, vector_index=None):
    source = function_source(Implementation("f", expr, arguments, vector_index, "t", "t.py", "Test."))
    namespace = {"numpy": np}
    exec(source, namespace)
    return namespace["f"], source


@pytest.mark.parametrize("expr", ELEMENTWISE, ids=str)
def test_elementwise_kernels_match_lambdify(expr):
    kernel, source = compile_kernel(expr, (z, y))
    reference = sp.lambdify((z, y), expr, "numpy")
    rng = np.random.default_rng(11)
    zs, ys = rng.normal(0, 3, 50), rng.random(50)
    copies = zs.copy(), ys.copy()
    assert np.allclose(kernel(zs, ys), reference(zs, ys), rtol=1e-14, atol=0), source
    assert np.array_equal(zs, copies[0]) and np.array_equal(ys, copies[1])


def test_a_row_kernel_matches_lambdify():
    k, j, K = sp.symbols("k j K", integer=True)
    zb, yb = sp.IndexedBase("z"), sp.IndexedBase("y")
    expr = sp.exp(zb[k] - c) / sp.Sum(sp.exp(zb[j] - c), (j, 1, K)) - yb[k]
    kernel, source = compile_kernel(expr, (zb, yb, c), vector_index=k)
    assert "out=" in source
    rng = np.random.default_rng(12)
    scores, labels = rng.normal(size=(4, 6)), rng.dirichlet(np.ones(6), size=4)
    shift = scores.max(axis=-1, keepdims=True)
    expected = np.exp(scores - shift) / np.exp(scores - shift).sum(axis=-1, keepdims=True) - labels
    assert np.allclose(kernel(scores, labels, shift), expected, rtol=1e-14, atol=1e-16)


def test_a_row_sum_is_not_overwritten_into_a_full_array():
    """A reduced (n, 1) temporary must never receive a full (n, K) result."""
    v = sp.Symbol("v", real=True)
    expr = sp.log(RowSum(sp.exp(v))) + v
    kernel, source = compile_kernel(expr, (sp.IndexedBase("v"),), vector_index=sp.Symbol("k"))
    values = np.arange(6.0).reshape(2, 3)
    expected = np.log(np.exp(values).sum(axis=-1, keepdims=True)) + values
    assert np.allclose(kernel(values), expected), source


@pytest.mark.parametrize(
    ("expr", "construct"),
    [(sp.Heaviside(z), "Heaviside"), (sp.Piecewise((z, z > 0), (y, True)), "Piecewise")],
)
def test_a_construct_without_an_array_form_is_refused_by_name(expr, construct):
    with pytest.raises(CodegenError, match=f"^{construct} .* has no array form"):
        compile_kernel(expr, (z, y))


def scratch_parameters(kernel) -> int:
    import inspect

    default = inspect.signature(kernel).parameters.get("scratch")
    return 0 if default is None else len(default.default)


@pytest.mark.parametrize("expr", ELEMENTWISE, ids=str)
def test_an_elementwise_kernel_puts_its_temporaries_in_the_scratch_it_is_given(expr):
    """A blocked driver hands a kernel parts of the result as scratch: the kernel must write
    its result into ``out`` and nothing but ``out`` and the scratch arrays."""
    kernel, source = compile_kernel(expr, (z, y))
    reference = sp.lambdify((z, y), expr, "numpy")
    rng = np.random.default_rng(13)
    zs, ys = rng.normal(0, 3, 40), rng.random(40)
    buffers = tuple(np.full(40, np.nan) for _ in range(scratch_parameters(kernel)))
    out = np.full(40, np.nan)
    with np.errstate(all="ignore"):  # a temporary may hold any value; the result is checked
        returned = kernel(zs, ys, out=out, scratch=buffers)
    assert returned is out, source
    assert np.allclose(out, reference(zs, ys), rtol=1e-14, atol=0), source


def test_the_temporaries_of_a_stable_form_go_to_scratch():
    kernel, source = compile_kernel(t / (t + 1) ** 2, (z,))
    assert scratch_parameters(kernel) == 1, source
    assert "out=scratch[0]" in source


def test_a_row_kernel_takes_no_scratch():
    """Its temporaries include row sums, of another shape than a block of the result."""
    k, j, K = sp.symbols("k j K", integer=True)
    zb = sp.IndexedBase("z")
    expr = sp.exp(zb[k] - c) / sp.Sum(sp.exp(zb[j] - c), (j, 1, K))
    kernel, source = compile_kernel(expr, (zb, c), vector_index=k)
    assert scratch_parameters(kernel) == 0 and "scratch" not in source


@pytest.mark.parametrize(
    ("expr", "arguments", "expected"),
    [
        (4 * sp.exp(-2 * sp.Abs(z)) / (1 + sp.exp(-2 * sp.Abs(z))) ** 2, (1e308, 0.0), 0.0),
        (sp.exp(z * y), (-1e308, 10.0), 0.0),
        (sp.exp(-z / y), (1e308, 1e-10), 0.0),
        (1 / (1 + sp.exp(-3 * z)), (-1e308, 0.0), 0.0),
    ],
    ids=["tanh-prime", "product", "quotient", "scaled"],
)
def test_an_exponent_product_that_overflows_to_minus_inf_gives_zero_without_a_warning(
    expr, arguments, expected
):
    """exp(−inf) = 0 is the correctly rounded value of e^x for every x below −745."""
    kernel, source = compile_kernel(expr, (z, y))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = kernel(*(np.array([value]) for value in arguments))
    assert got[0] == expected, source
