"""The display of a step: one transform for every printer, read back and compared with the check.

Every displayed formula of every derivation is compared with the checked expression at random
points of the declared domains: through SymPy's LaTeX parser where it can read the formula, and
always through the display tree (what the printers print).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import sympy as sp
from paths import DERIVATIONS
from sympy.parsing.latex import parse_latex
from sympy.printing.latex import LatexPrinter
from sympy.printing.pretty.pretty import PrettyPrinter

from gradbook import binary_cross_entropy, sigmoid, site, softplus
from gradbook import display as display_module
from gradbook.checking import differs
from gradbook.display import (
    Bracketed,
    DisplayMismatchError,
    WrittenProduct,
    check_display,
    display,
    display_mismatch,
)
from gradbook.export import to_json, to_latex_document
from gradbook.latex import StepLatexPrinter, to_latex
from gradbook.scripts import script_paths
from gradbook.terminal import StepPrettyPrinter, pretty

NAMES = [path.stem for path in script_paths(DERIVATIONS)]
x, y, z = sp.symbols("x y z", real=True)
i, m = sp.symbols("i m", integer=True, positive=True)
p = sp.IndexedBase("p")


def unevaluated(build):
    with sp.evaluate(False):
        return build()


# -- the display tree and its two printers, exact -----------------------------------------------


@pytest.mark.parametrize(
    ("expr", "latex", "text"),
    [
        pytest.param(  # the bug: a reciprocal in a written product printed as a factor (−1)
            lambda: sp.Mul(x - y, 1 / (x * (1 - x)), x * (1 - x)),
            r"\left(x - y\right) \frac{1}{x \left(1 - x\right)} x \left(1 - x\right)",
            "            1\n(x - y)⋅─────────⋅(x⋅(1 - x))\n        x⋅(1 - x)",
            id="reciprocal-in-written-product",
        ),
        pytest.param(
            lambda: sp.Mul(-1, y, x * z),
            r"- y x z",
            "-y⋅(x⋅z)",
            id="negated-written-product",
        ),
        pytest.param(
            lambda: sp.Sum(-sp.log(p[i]), (i, 1, m)),
            r"\sum_{i=1}^{m} \left(- \ln{\left({p}_{i}\right)}\right)",
            None,
            id="negative-sum-body-bracketed",
        ),
        pytest.param(
            lambda: sp.Sum(sp.log(p[i]), (i, 1, m)),
            r"\sum_{i=1}^{m} \ln{\left({p}_{i}\right)}",
            None,
            id="no-unit-factor-in-sum",
        ),
        pytest.param(
            lambda: x - sigmoid(z) * (1 - sigmoid(z)),
            r"x - \sigma\left(z\right) \left(1 - \sigma\left(z\right)\right)",
            "x - σ(z)⋅(1 - σ(z))",
            id="plain-product-as-sympy-prints-it",
        ),
        pytest.param(  # a textbook writes the constant first: (1/m) Σ, not (Σ)/m
            lambda: -sp.Sum(p[i] * x, (i, 1, m)) / m,
            r"- \frac{1}{m} \sum_{i=1}^{m} {p}_{i} x",
            None,
            id="constant-factor-before-a-sum",
        ),
        pytest.param(
            lambda: sp.Sum(p[i], (i, 1, m)) * (-1 / (2 * m)),
            r"- \frac{1}{2 m} \sum_{i=1}^{m} {p}_{i}",
            None,
            id="negative-constant-factor-after-a-sum",
        ),
        pytest.param(  # juxtaposed factors, but a dot before a number: y · 2, not y 2
            lambda: sp.Mul(y, 2 * z),
            r"y \cdot 2 z",
            None,
            id="dot-only-before-a-number",
        ),
        pytest.param(  # SymPy prints the step function θ(z), the symbol of the parameter vector
            lambda: x * sp.Heaviside(z, 1),
            r"x \operatorname{step}\left(z\right)",
            "x⋅step(z)",
            id="step-function-is-not-theta",
        ),
    ],
)
def test_display_prints_as_written(expr, latex, text):
    built = unevaluated(expr)
    assert to_latex(built) == latex
    if text is not None:
        assert [line.rstrip() for line in pretty(built).splitlines()] == text.splitlines()


def test_positive_matrix_terms_come_first():
    X = sp.MatrixSymbol("X", 3, 2)
    theta = sp.MatrixSymbol("theta", 2, 1)
    v = sp.MatrixSymbol("y", 3, 1)
    built = unevaluated(lambda: sp.MatAdd(-v, X * theta))
    assert to_latex(built) == r"X \theta - y"
    assert pretty(built) == "X⋅θ - y"


def test_display_tree_nodes_have_the_value_of_the_product_they_show():
    shown = display(unevaluated(lambda: sp.Mul(x - y, 1 / (x * (1 - x)), x * (1 - x))))
    assert isinstance(shown, WrittenProduct)
    values = {x: sp.Rational(1, 3), y: sp.Rational(1, 7)}
    assert shown.doit().subs(values) == sp.Rational(1, 3) - sp.Rational(1, 7)
    body = display(unevaluated(lambda: sp.Sum(-sp.log(p[i]), (i, 1, m)))).function
    assert isinstance(body, Bracketed)


def test_printers_hold_no_display_rule_of_their_own():
    """Products and sums are printed by SymPy's own methods; the rules are in display()."""
    for printer, base in ((StepLatexPrinter, LatexPrinter), (StepPrettyPrinter, PrettyPrinter)):
        for method in ("_print_Mul", "_print_Sum", "_print_Add", "_print_Pow"):
            assert getattr(printer, method) is getattr(base, method), (printer, method)


@pytest.mark.parametrize("name", NAMES)
def test_both_printers_print_the_display_tree(derivations, name):
    for step in derivations[name].steps:
        shown = display(step.expr)
        assert step.latex == StepLatexPrinter().doprint(shown)
        assert pretty(step.expr) == StepPrettyPrinter().doprint(shown)


def test_bce_step_10_shows_the_reciprocal_not_a_factor_minus_one(derivations):
    step = derivations["bce_derivative"].steps[9]
    assert step.justification == "σ′ = σ(1 − σ)"
    assert r"\left(-1\right)" not in step.latex
    assert r"\frac{1}{\sigma\left(z\right) \left(1 - \sigma\left(z\right)\right)}" in step.latex
    text = pretty(step.expr)
    assert "-1" not in text
    numerator, bar, denominator = text.splitlines()
    assert numerator.strip() == "1"
    assert "(σ(z) - y)⋅" in bar and "⋅(σ(z)⋅(1 - σ(z)))" in bar
    assert denominator.strip() == "σ(z)⋅(1 - σ(z))"


# -- reading every step back ----------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_display_tree_has_the_checked_value(derivations, name):
    derivation = derivations[name]
    for step in derivation.steps:
        assert display_mismatch(step.expr, derivation.setting) is None, step.number


def test_a_display_rule_that_changes_the_value_is_caught(derivations, monkeypatch):
    """The old bug, put back as a display rule: u⁻¹ in a written product shown as −1."""

    def reciprocal_as_minus_one(product: sp.Mul) -> sp.Expr:
        if not any(isinstance(arg, sp.Mul) for arg in product.args):
            return product
        factors = [sp.S.NegativeOne if _is_reciprocal(arg) else arg for arg in product.args]
        return sp.Mul(*factors)

    monkeypatch.setattr(display_module, "DISPLAY_RULES", ((sp.Mul, reciprocal_as_minus_one),))
    with pytest.raises(DisplayMismatchError, match=r"bce_derivative: step 10 is displayed as"):
        check_display(derivations["bce_derivative"])
    catalogue = site.Catalogue(list(derivations.values()))
    with pytest.raises(DisplayMismatchError, match=r"bce_derivative: step 10 is displayed as"):
        site.derivation_page(derivations["bce_derivative"], catalogue)


def _is_reciprocal(node: sp.Basic) -> bool:
    return isinstance(node, sp.Pow) and node.exp == -1 and isinstance(node.base, sp.Mul)


#: Notation the parser reads as an undefined function of that name.
PARSED_FUNCTIONS = {"sigma": sigmoid, "phi": softplus, "psi": binary_cross_entropy}
#: Notation printed as an operator name, renamed to a Greek letter the parser reads as a function.
OPERATOR_NAMES = {r"\operatorname{softplus}": r"\phi", r"\operatorname{BCE}": r"\psi"}
#: Single letters for the variables; d and e are left to derivatives and Euler's number, and
#: capitals the parser might read as constants (E, I, N, O, S, Q) are not used.
PLACEHOLDERS = "abcfghknpqrstuvwxyzABCFGHJKLMPRTUVWXYZ"


def parsed_back(latex: str, atoms: set[sp.Basic]) -> sp.Expr | None:
    """``latex`` read by SymPy's parser, in the derivation's symbols, or None if it cannot be.

    Each variable's LaTeX (``\\hat{y}``, ``\\theta``, ``{h}_{i}``) is renamed to one letter first,
    and each operator name (``\\operatorname{softplus}``) to a Greek letter: the parser reads
    those reliably (it drops subscripts silently). Renaming back restores the entries' indices,
    so a sum over i still sums hᵢ. Anything left that is not a variable means the parser
    misread the formula.
    """
    names = {to_latex(atom): atom for atom in atoms}
    letters = dict(zip(sorted(names, key=len, reverse=True), PLACEHOLDERS, strict=False))
    if len(letters) < len(names):
        return None
    renamed = latex
    if letters:
        pattern = "|".join(rf"(?<![\\A-Za-z]){re.escape(name)}(?![A-Za-z])" for name in letters)
        renamed = re.sub(pattern, lambda match: _placeholder(match, letters), latex)
    for operator, letter in OPERATOR_NAMES.items():
        renamed = renamed.replace(operator, letter)
    if r"\operatorname" in renamed:
        # An operator the parser does not know (log1p): it may stop reading there and return
        # the formula's first term alone, so the formula is left to the tree comparison.
        return None
    try:
        parsed = parse_latex(renamed)
    except Exception:  # the parser's errors have no common base class
        return None
    back = {sp.Symbol(letter): names[name] for name, letter in letters.items()}
    back[sp.Symbol("e")] = sp.E
    # A decimal on the page is that decimal exactly (0.6 is 3/5), not the parser's binary float.
    back |= {number: sp.Rational(str(number)) for number in parsed.atoms(sp.Float)}
    parsed = parsed.xreplace(back).replace(
        lambda node: isinstance(node, sp.core.function.AppliedUndef) and str(node.func) in PARSED_FUNCTIONS,
        lambda node: PARSED_FUNCTIONS[str(node.func)](*node.args),
    )
    if parsed.free_symbols - atoms or parsed.atoms(sp.core.function.AppliedUndef):
        return None
    return parsed


def _placeholder(match: re.Match, letters: dict[str, str]) -> str:
    """The letter for a variable, in braces (a bare "a \\left(1 - a\\right)" reads as a call)
    except as the variable of a derivative, where the parser wants it bare."""
    letter = letters[match.group()]
    before = match.string[: match.start()]
    return letter if before.endswith((r"\partial ", "d ")) else f"{{{letter}}}"


def readable_by_the_parser(expr: sp.Basic) -> bool:
    """No matrix notation (Xᵀ, σ applied entrywise), which the parser does not know."""
    return not expr.atoms(sp.MatrixSymbol)


def read_back_every_step(derivations) -> tuple[list[str], list[str], list[str]]:
    parsed, tree_only, wrong = [], [], []
    for name in NAMES:
        derivation = derivations[name]
        for step in derivation.steps:
            label = f"{name} step {step.number}"
            # Bound symbols too: ∂/∂b of an expression without b has no free b, but prints one.
            atoms = step.expr.atoms(sp.Symbol) | step.expr.atoms(sp.Indexed)
            back = parsed_back(step.latex, atoms) if readable_by_the_parser(step.expr) else None
            if back is None:
                tree_only.append(label)
                continue
            difference = differs(step.expr, back, derivation.setting)
            if difference is None:
                parsed.append(label)
            else:
                wrong.append(f"{label}: {difference.note or difference.point}")
    return parsed, tree_only, wrong


@pytest.fixture(scope="module")
def read_back(derivations):
    return read_back_every_step(derivations)


def test_every_step_the_parser_reads_has_the_checked_value(read_back):
    _, _, wrong = read_back
    assert wrong == []


def test_the_parser_reads_the_scalar_derivations(read_back):
    """Coverage of the parser path; the other steps are compared through the display tree."""
    parsed, tree_only, _ = read_back
    print(f"read back by the LaTeX parser: {len(parsed)}; display tree only: {len(tree_only)}")
    assert len(parsed) >= 120


def test_reading_back_catches_a_wrong_display():
    """The comparison itself can fail: the old display of bce step 9 reads back differently."""
    group = r"\left(\sigma\left(z\right) \left(1 - \sigma\left(z\right)\right)\right)"
    wrong = rf"\left(\sigma\left(z\right) - y\right) \cdot {group} \cdot \left(-1\right) \cdot {group}"
    back = parsed_back(wrong, {y, z})
    s = sigmoid(z)
    checked = unevaluated(lambda: sp.Mul(s - y, 1 / (s * (1 - s)), s * (1 - s)))
    values = {y: sp.Rational(1, 4), z: sp.Rational(1, 2)}
    assert back is not None
    assert abs(sp.N(back.subs(values) - checked.subs(values))) > 0.01


# -- exports ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bce_derivative", "softmax_cross_entropy"])
def test_exports_show_the_page_latex(derivations, name):
    derivation = derivations[name]
    document = to_latex_document(derivation)
    steps = [step for chain in json.loads(to_json(derivation))["chains"] for step in chain["steps"]]
    for step, exported in zip(derivation.steps, steps, strict=True):
        assert step.latex in document
        assert exported["latex"] == step.latex


def test_json_export_is_byte_identical_across_runs():
    script = str(DERIVATIONS / "bce_derivative.py")
    runs = [
        subprocess.run([sys.executable, script, "--json"], capture_output=True, check=True).stdout
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    assert b'"seconds"' not in runs[0]
