"""Every derivation checks, and the checker rejects wrong steps with a counterexample."""

from __future__ import annotations

import subprocess
import sys
import traceback
from pathlib import Path

import pytest
from paths import DERIVATIONS, ROOT
from sympy import Derivative, Sum, evaluate, exp, log

from gradbook import Derivation, StepNotEquivalentError, domains, sigmoid
from gradbook.scripts import script_paths


def test_a_script_runs_on_its_own_and_prints_its_steps():
    """``python derivations/x.py`` checks the steps and prints them (:meth:`Derivation.main`).

    One script is enough to test that path: every script is checked, in a process of its own,
    by the session's loader, and run like this each would be checked a second time.
    """
    script = DERIVATIONS / "sigmoid_prime.py"
    run = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert run.returncode == 0, run.stderr
    assert "σ′ in terms of σ" in run.stdout
    assert run.stdout.count("checked numerically") == script.read_text(encoding="utf-8").count("d.step(")


def test_every_script_builds_the_derivation_named_for_it(derivations):
    stems = {path.stem for path in script_paths(DERIVATIONS)}
    assert stems == set(derivations)


def test_every_step_after_a_start_is_verified(derivations):
    for derivation in derivations.values():
        assert derivation.lead, f"{derivation.name}: the docstring needs a lead after its title"
        for chain in derivation.chains:
            first, *rest = chain.steps
            assert first.verification is None
            assert rest, f"{derivation.name}: chain {chain.title!r} has no steps"
            for step in rest:
                assert step.justification.strip()
                assert step.verification.points >= 20
                assert step.verification.max_deviation < 1e-30


@pytest.mark.parametrize(
    ("name", "result", "canonical"),
    [
        ("sigmoid_prime", "sigmoid_prime", r"\sigma\left(z\right) \left(1 - \sigma\left(z\right)\right)"),
        ("unit_error_gradient", "unit_error_grad_w", r"- \left(y - \hat{y}\right) {x}_{k}"),
        ("unit_error_gradient", "unit_error_grad_b", r"- (y - \hat{y})"),
        (
            "logistic_cost_gradient",
            "logistic_cost_grad",
            r"\frac{1}{m} \sum_{i=1}^{m} \left({h}_{i} - {y}_{i}\right) {X}_{i,k}",
        ),
        ("softmax_cross_entropy", "softmax_cross_entropy_grad", r"{p}_{c'} - {y}_{c'}"),
        ("activation_derivatives", "tanh_derivative", r"1 - \tanh^{2}{\left(z \right)}"),
        ("activation_derivatives", "softplus_derivative", r"\sigma\left(z\right)"),
        (
            "batch_and_stochastic_gradient_descent",
            "full_gradient",
            r"\frac{1}{m} \sum_{i=1}^{m} {g}_{i}",
        ),
        ("cross_entropy_vs_squared_error", "cross_entropy_logit_grad", r"\hat{y} - y"),
        (
            "cross_entropy_vs_squared_error",
            "squared_error_logit_grad",
            r"\left(\hat{y} - y\right) \hat{y} \left(1 - \hat{y}\right)",
        ),
        (
            "softmax_regression",
            "softmax_regression_grad",
            r"\frac{1}{m} \sum_{i=1}^{m} {X}_{i,j} \left({P}_{i,c} - {Y}_{i,c}\right)",
        ),
        ("softmax_regression", "softmax_regression_grad_matrix", r"\frac{1}{m} X^{\top} \left(P - Y\right)"),
        ("backprop_hidden_layer", "hidden_layer_grad_w", r"g_{o} {a}_{u}"),
        ("backprop_hidden_layer", "hidden_layer_grad_b", r"g_{o}"),
        ("backprop_hidden_layer", "hidden_layer_grad_V", r"{g}_{u} {x}_{j}"),
        ("backprop_hidden_layer", "hidden_layer_grad_beta", r"{g}_{u}"),
    ],
)
def test_core_derivations_end_in_the_canonical_ml_form(derivations, name, result, canonical):
    """The published result is the textbook form, not whatever simplify() would return."""
    from gradbook.latex import to_latex

    results = {r.name: r for r in derivations[name].results}
    assert to_latex(results[result].expr) == canonical


def test_the_notes_sigmoid_derivative_mistake_is_caught():
    d = Derivation("wrong_sigmoid", "A deliberately wrong derivation.\n\nFor the test.")
    z = d.real("z")
    with evaluate(False):
        d.start(Derivative(1 / (1 + exp(-z)), z))
        with pytest.raises(StepNotEquivalentError) as caught:
            d.step(exp(-z) / (1 - exp(-z)) ** 2, "the quotient rule, as the notes write it")
    error = caught.value
    assert error.step_number == 2
    assert "z" in error.point
    assert error.before != error.after
    assert str(error).startswith("wrong_sigmoid: step 2 ('the quotient rule, as the notes write it')")
    # Where the step was written is in the traceback, as for any exception.
    (frame, *_) = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == __file__]
    assert 'd.step(exp(-z) / (1 - exp(-z)) ** 2, "the quotient rule' in frame.line


def test_a_sign_error_in_a_general_sum_is_caught():
    d = Derivation("wrong_sum", "A deliberately wrong derivation.\n\nFor the test.")
    m = d.size("m")
    i = d.index("i", m)
    x = d.vector("x", m)
    with evaluate(False):
        d.start(Derivative(Sum(x[i] ** 2, (i, 1, m)), x[i]))
        with pytest.raises(StepNotEquivalentError):
            d.step(-2 * x[i], "the power rule, with a sign error")


def test_activation_derivatives_take_relu_s_derivative_on_each_side_of_the_kink(derivations):
    """ReLU′ is 1 on z > 0 and 0 on z < 0, each side checked on its own declared domain, and
    the compiled tanh′ is the stable form, every step of it checked."""
    d = derivations["activation_derivatives"]
    sides = {chain.title: chain for chain in d.chains if chain.title.startswith("ReLU′")}
    ends = sorted((chain.last.expr, str(chain.steps[0].expr.free_symbols.pop())) for chain in sides.values())
    assert ends == [(0, "z_-"), (1, "z_+")]
    assert d.setting.variables["z_+"].domain is domains.POSITIVE
    assert d.setting.variables["z_-"].domain is domains.NEGATIVE
    (kernel,) = d.implementations
    assert kernel.name == "tanh_prime"
    assert "tanh" not in str(kernel.expr) and "Abs" in str(kernel.expr)


def test_softmax_gradient_needs_labels_that_sum_to_one():
    """Drop the simplex domain and the step that uses Σy = 1 must fail."""
    d = Derivation("free_labels", "Softmax gradient with unconstrained labels.\n\nFor the test.")
    K = d.size("K", checked_at=(2, 3))
    i = d.index("i", K)
    j = d.index("j", K)
    k = d.index("k", K)
    z = d.vector("z", K)
    y = d.vector("y", K, domains.REAL)
    p = d.define("p", exp(z[i]) / Sum(exp(z[j]), (j, 1, K)), index=i)
    with evaluate(False):
        d.start(Derivative(-Sum(y[i] * log(p[i]), (i, 1, K)), z[k]))
        d.step(-y[k] + p[k] * Sum(y[i], (i, 1, K)), "the Jacobian, summed")
        with pytest.raises(StepNotEquivalentError):
            d.step(p[k] - y[k], "the labels sum to one (they do not here)")


def test_a_correct_step_that_simplify_cannot_prove_is_still_accepted_numerically(derivations):
    steps = derivations["stable_sigmoid"].steps
    assert any(s.verification and not s.verification.proved for s in steps)


def test_the_sum_to_one_step_names_the_assumption_it_used(derivations):
    step = next(
        s for s in derivations["softmax_cross_entropy"].steps if s.justification.startswith("the labels sum")
    )
    assert step.verification.proved
    assert step.verification.used_assumptions == (r"\(\sum_c y_c = 1\)",)


def test_undeclared_symbols_are_rejected():
    import sympy

    from gradbook import DerivationError

    d = Derivation("undeclared", "Undeclared symbols.\n\nFor the test.")
    with pytest.raises(DerivationError, match="undeclared symbol"):
        d.start(sigmoid(sympy.Symbol("q")))


def _sigmoid_prime_with_a_wrong_step(folder) -> tuple[Path, int]:
    """A copy of sigmoid_prime.py whose step 4 has a sign error, and that step's line number."""
    script = (DERIVATIONS / "sigmoid_prime.py").read_text(encoding="utf-8")
    right = '(1 + exp(-z)) ** 2, "the two minus'
    wrong = script.replace(right, '(1 - exp(-z)) ** 2, "the two minus')
    assert wrong != script
    line = next(n for n, text in enumerate(script.splitlines(), 1) if right in text)
    path = folder / "sigmoid_prime_wrong.py"
    path.write_text(wrong, encoding="utf-8")
    return path, line


def test_a_script_with_a_wrong_step_exits_with_one_clear_message(tmp_path):
    """``gradbook derive path.py`` runs the script and reports a refused step as one paragraph."""
    path, line = _sigmoid_prime_with_a_wrong_step(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "gradbook", "derive", str(path)],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )
    assert run.returncode == 1
    assert f"{path}, line {line}: wrong step in derivation 'sigmoid_prime', step 4 (" in run.stderr
    assert "Counterexample: z = " in run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout == ""


def test_a_script_run_directly_stops_at_a_wrong_step_with_python_s_own_report(tmp_path):
    """``python path.py`` is plain Python: a short traceback from the script's line to gradbook's
    refusal (none of SymPy's internals), ending in the one-line message."""
    path, line = _sigmoid_prime_with_a_wrong_step(tmp_path)
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    *traceback, message = run.stderr.strip().splitlines()
    assert message.startswith(
        "gradbook.errors.StepNotEquivalentError: sigmoid_prime: step 4 ("
    )
    assert "Counterexample: z = " in message
    frames = [text for text in traceback if text.lstrip().startswith("File ")]
    assert frames[0].strip() == f'File "{path}", line {line}, in <module>'
    assert not any("sympy" in frame for frame in frames)


@pytest.mark.parametrize("call", ["step", "result", "implement"])
def test_writing_before_start_is_a_clear_error(call):
    from gradbook import DerivationError

    d = Derivation("early", "Steps before start.\n\nFor the test.")
    z = d.real("z")
    arguments = {"step": (z, "a rule"), "result": ("r",), "implement": ("k", (z,), "doc")}[call]
    with pytest.raises(DerivationError, match="call start"):
        getattr(d, call)(*arguments)


def test_a_script_prints_its_steps_as_latex_on_request(derivations):
    run = subprocess.run(
        [sys.executable, str(DERIVATIONS / "sigmoid_prime.py"), "--latex"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.count(r"\begin{aligned}") == len(derivations["sigmoid_prime"].chains)
    for step in derivations["sigmoid_prime"].steps:
        assert step.latex in run.stdout
