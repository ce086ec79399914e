"""``Derivation.chain``: steps kept as written with no SymPy plumbing in the script.

Expected LaTeX is written out by hand; "as written" is compared with the tree SymPy builds
outside a chain, which is the form a chain must not fall back to.
"""

from __future__ import annotations

import re

import pytest
import sympy as sp
from paths import DERIVATIONS, ROOT

from gradbook import Derivation, DerivationError, StepNotEquivalentError, domains, numbers
from gradbook.cli import main
from gradbook.display import check_display
from gradbook.latex import to_latex


def sigmoid_setting():
    d = Derivation("written_steps", "Written steps.")
    z = d.real("z")
    return d, z


def test_a_step_in_a_chain_is_checked_and_shown_as_written():
    d = Derivation("bce_slope", "BCE slope.")
    y = d.scalar("y", domains.SOFT_LABEL)
    yhat = d.scalar("yhat", domains.PROBABILITY)
    with d.chain("the slope"):
        d.start(-y * (1 / yhat) - (1 - y) * (-1 / (1 - yhat)))
        d.step(-y / yhat + (1 - y) / (1 - yhat), "the two minus signs cancel")
    first = d.steps[0].expr
    assert first != -y * (1 / yhat) - (1 - y) * (-1 / (1 - yhat))  # SymPy's own form, evaluated
    assert to_latex(first) == (
        r"- \frac{y}{\hat{y}} - \left(1 - y\right) \left(- \frac{1}{1 - \hat{y}}\right)"
    )
    assert d.chains[0].title == "the slope"
    check_display(d)


def test_evaluation_is_back_on_after_the_block_even_after_a_wrong_step():
    d, z = sigmoid_setting()
    with pytest.raises(StepNotEquivalentError), d.chain("wrong"):
        d.start(z + z)
        d.step(3 * z, "a wrong step")
    assert z + z == 2 * z


def test_a_wrong_step_in_a_chain_is_refused():
    d, z = sigmoid_setting()
    with pytest.raises(StepNotEquivalentError), d.chain("σ′"):
        d.start(sp.exp(-z) / (1 + sp.exp(-z)) ** 2)
        d.step(1 / (1 + sp.exp(-z)) * (1 + 1 / (1 + sp.exp(-z))), "a sign slipped")


def test_a_reciprocal_written_first_stays_a_factor():
    d, z = sigmoid_setting()
    u = 1 + sp.exp(-z)
    with d.chain("split"):
        d.start(sp.exp(-z) / u**2)
        d.step(1 / (1 + sp.exp(-z)) * (1 - 1 / (1 + sp.exp(-z))), "e⁻ᶻ/(1 + e⁻ᶻ) = 1 − 1/(1 + e⁻ᶻ)")
    assert to_latex(d.steps[-1].expr) == (
        r"\frac{1}{1 + e^{- z}} \left(1 - \frac{1}{1 + e^{- z}}\right)"
    )
    assert to_latex(d.steps[0].expr) == r"\frac{e^{- z}}{\left(1 + e^{- z}\right)^{2}}"
    check_display(d)


def test_numbers_keep_a_product_written_out():
    d, _z = sigmoid_setting()
    p_1, p_2, p_3 = numbers(0.6, 0.2, 0.1)
    with d.chain("a worked example"):
        d.start(-sp.log(p_1 * p_2 * p_3))
        d.step(-sp.log(p_1) - sp.log(p_2) - sp.log(p_3), "log(ab) = log a + log b")
    assert to_latex(d.steps[0].expr) == r"- \ln{\left(0.6 \cdot 0.2 \cdot 0.1\right)}"
    assert to_latex(d.steps[1].expr) == (
        r"- \ln{\left(0.6\right)} - \ln{\left(0.2\right)} - \ln{\left(0.1\right)}"
    )


def test_a_step_before_the_start_of_a_chain_block_is_refused():
    d, z = sigmoid_setting()
    with d.chain("first"):
        d.start(z + z)
        d.step(2 * z, "z + z = 2z")
    with pytest.raises(DerivationError, match="start"), d.chain("second"):
        d.step(2 * z, "no start in this block")


def test_a_name_with_two_indices_stands_for_its_expression_at_any_indices():
    d = Derivation("scores", "Scores.")
    m, n, K = d.size("m"), d.size("n"), d.size("K")
    i, k, c = d.index("i", m), d.index("k", n), d.index("c", K)
    X, W = d.matrix("X", m, n), d.matrix("W", n, K)
    z = d.define("z", sp.Sum(X[i, k] * W[k, c], (k, 1, n)), "the scores", index=(i, c))
    assert d.setting.expand_definitions(z[2, 3]) == sp.Sum(X[2, k] * W[k, 3], (k, 1, n))
    assert d.as_matrix(z).shape == (m, K)


@pytest.mark.parametrize(
    "declare_again",
    [lambda d: d.define("w", sp.S.One), lambda d: d.real("w"), lambda d: d.size("w"),
     lambda d: d.define("n", sp.S.One), lambda d: d.index("j", d.size("m")), lambda d: d.vector("j", 3)],
    ids=["definition", "variable", "size", "definition of a size", "index", "vector"],
)
def test_a_name_is_declared_once(declare_again):
    """A definition called like a declared variable is the same SymPy symbol: every step would
    be checked with the variable replaced by the definition, and w² = w would pass at w = 1."""
    d = Derivation("named_once", "Named once.")
    d.real("w"), d.index("j", d.size("n"))
    with pytest.raises(DerivationError, match="named like something already declared"):
        declare_again(d)


def test_a_name_takes_one_or_two_declared_indices():
    d = Derivation("indices", "Indices.")
    n = d.size("n")
    i = d.index("i", n)
    x = d.vector("x", n)
    undeclared = sp.Symbol("q", integer=True, positive=True)
    with pytest.raises(DerivationError, match="one or two declared indices"):
        d.define("u", x[i], index=(i, undeclared))
    with pytest.raises(DerivationError, match="one or two declared indices"):
        d.define("u", x[i], index=(i, i, i))


def test_a_chain_block_has_one_start():
    d, z = sigmoid_setting()
    with pytest.raises(DerivationError, match="one start"), d.chain("twice"):
        d.start(z + z)
        d.start(2 * z)


OLD_STYLE = '''"""An old-style derivation: evaluate(False) and UnevaluatedExpr in the script."""

from sympy import Derivative, UnevaluatedExpr, evaluate, exp

from gradbook import Derivation, sigmoid

d = Derivation("old_style_sigmoid_prime", __doc__, source=__file__)
z = d.real("z")

with evaluate(False):
    d.start(Derivative(sigmoid(z), z), title="σ′")
    d.step(exp(-z) / (1 + exp(-z)) ** 2, "the chain rule")
    d.step(UnevaluatedExpr(1 / (1 + exp(-z))) * (1 - 1 / (1 + exp(-z))), "split")
    d.step(sigmoid(z) * (1 - sigmoid(z)), "the definition of σ")
'''


def test_an_old_style_evaluate_false_script_still_checks(tmp_path, capsys):
    script = tmp_path / "old_style_sigmoid_prime.py"
    script.write_text(OLD_STYLE, encoding="utf-8")
    assert main(["--root", str(ROOT), "check", str(script)]) == 0
    assert "old_style_sigmoid_prime  ok    3 steps" in capsys.readouterr().out


def test_an_old_style_script_with_a_wrong_step_still_fails(tmp_path, capsys):
    script = tmp_path / "old_style_sigmoid_prime.py"
    script.write_text(OLD_STYLE.replace("(1 - sigmoid(z))", "(1 + sigmoid(z))"), encoding="utf-8")
    assert main(["--root", str(ROOT), "check", str(script)]) == 1
    assert "step 4 ('the definition of σ')" in capsys.readouterr().err


# -- no SymPy plumbing in what readers copy ---------------------------------------------------

PLUMBING = ("evaluate(", "UnevaluatedExpr", "Mul(*", "Float(")
GUIDE = ROOT / "site_src" / "guide" / "own-derivation.md"


def written_examples() -> list[tuple[str, str]]:
    """Every shipped derivation, the book template's and the guide's examples, as (name, text)."""
    files = [
        *sorted(DERIVATIONS.glob("*.py")),
        *sorted((ROOT / "src" / "gradbook" / "book_template" / "derivations").glob("*.py")),
        *sorted((ROOT / "examples").glob("*.py")),
    ]
    examples = [(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")) for path in files]
    guide = GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```$", guide, re.MULTILINE | re.DOTALL)
    return examples + [(f"{GUIDE.name}, python block {n}", block) for n, block in enumerate(blocks, 1)]


def test_the_scan_covers_every_shipped_derivation_and_the_guide():
    names = [name for name, _ in written_examples()]
    assert sum(name.startswith("derivations/") for name in names) == len(list(DERIVATIONS.glob("*.py")))
    assert sum(name.startswith("derivations/") for name in names) >= 12
    assert any(name.startswith("own-derivation.md") for name in names)
    assert any("book_template" in name for name in names)


@pytest.mark.parametrize(("name", "text"), written_examples(), ids=[name for name, _ in written_examples()])
def test_no_sympy_plumbing_in_derivations_or_guide_examples(name, text):
    found = [construct for construct in PLUMBING if construct in text]
    assert not found, f"{name} uses {', '.join(found)}"
