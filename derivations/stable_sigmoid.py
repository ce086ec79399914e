"""Sigmoid, its derivative and softplus without overflow.

The textbook formulas overflow: 1/(1 + e⁻ᶻ) computes e⁸⁰⁰ on the way to 0 for z = −800,
and e⁻ᶻ/(1 + e⁻ᶻ)² divides infinity by infinity. Rewriting each one so that every
exponent is ≤ 0 gives the same values, exactly, with no intermediate result above 2. These are
the forms gradbook compiles into NumPy.
"""

import mpmath
import numpy as np
from sympy import Abs, Max, Min, Rational, exp, log, tanh
from sympy.codegen.cfunctions import log1p

from gradbook import Derivation, sigmoid, softplus
from gradbook.examples import (
    CheckInput,
    ExtremeTable,
    Formula,
    GradientCheck,
    Public,
    Usage,
    WorkedExample,
    WorkedValue,
    extreme_row,
    number,
)

d = Derivation("stable_sigmoid", __doc__, uses=["sigmoid_prime"], source=__file__)
z = d.real("z", "the input, a logit")

with d.chain("σ(z) with no positive exponent"):
    d.start(sigmoid(z))
    d.step(1 / (1 + exp(-z)), "the definition of σ")
    d.step(
        exp(Min(z, 0)) / (exp(Min(z, 0)) + exp(Min(z, 0) - z)),
        "multiply numerator and denominator by exp(min(z, 0))",
    )
    d.step(
        exp(Min(z, 0)) / (1 + exp(-Abs(z))),
        "one of min(z, 0) and min(z, 0) − z is 0, the other is −|z|",
    )
d.implement("sigmoid", (z,), "The logistic sigmoid σ(z) = 1/(1 + e⁻ᶻ), elementwise.")

with d.chain("σ′(z) with no positive exponent"):
    d.start(sigmoid(z) * (1 - sigmoid(z)))
    d.step(exp(-z) / (1 + exp(-z)) ** 2, "the definition of σ; 1 − σ(z) = e⁻ᶻ/(1 + e⁻ᶻ)")
    d.step(
        exp(-Abs(z)) / (1 + exp(-Abs(z))) ** 2,
        "σ′ is even: multiplying by e²ᶻ/e²ᶻ turns e⁻ᶻ/(1 + e⁻ᶻ)² into eᶻ/(1 + eᶻ)²",
    )
d.implement("sigmoid_prime", (z,), "The derivative σ′(z) = σ(z)(1 − σ(z)), elementwise.")

with d.chain("softplus(z) = ln(1 + eᶻ) with no positive exponent"):
    d.start(softplus(z))
    d.step(log(1 + exp(z)), "the definition of softplus")
    d.step(
        Max(z, 0) + log(exp(-Max(z, 0)) + exp(z - Max(z, 0))),
        "take exp(max(z, 0)) out of the logarithm",
    )
    d.step(Max(z, 0) + log(1 + exp(-Abs(z))), "one of −max(z, 0) and z − max(z, 0) is 0, the other −|z|")
    d.step(Max(z, 0) + log1p(exp(-Abs(z))), "log1p(u) = ln(1 + u), exact for tiny u")
d.implement("softplus", (z,), "softplus(z) = ln(1 + eᶻ), elementwise.")

half = Rational(1, 2)
with d.exercise(
    "Show that σ(z) = (1/2)(1 + tanh(z/2)). (NumPy's tanh never overflows, so this is one more "
    "way to compute σ safely.)"
):
    d.start(half * (1 + tanh(z / 2)))
    d.step(
        half * (1 + (exp(z / 2) - exp(-z / 2)) / (exp(z / 2) + exp(-z / 2))),
        "the definition tanh u = (eᵘ − e⁻ᵘ)/(eᵘ + e⁻ᵘ)",
    )
    d.step(
        half * (((exp(z / 2) + exp(-z / 2)) + (exp(z / 2) - exp(-z / 2))) / (exp(z / 2) + exp(-z / 2))),
        "a common denominator",
    )
    d.step(
        exp(z / 2) / (exp(z / 2) + exp(-z / 2)),
        "the terms in exp(−z/2) cancel, leaving 2 exp(z/2) above the line, and (1/2) · 2 = 1",
    )
    d.step(1 / (1 + exp(-z)), "divide the numerator and the denominator by exp(z/2)")
    d.step(sigmoid(z), "the definition of σ")

with d.exercise(
    "Libraries compute ln σ(z) directly (log-sigmoid), because for z below about −745 σ(z) "
    "underflows to 0 and its logarithm to −∞. Show that ln σ(z) = min(z, 0) − ln(1 + exp(−|z|)), "
    "a form with no positive exponent."
):
    d.start(log(sigmoid(z)))
    d.step(-log(1 + exp(-z)), "the definition of σ, and ln(1/u) = −ln u")
    d.step(-softplus(-z), "the definition softplus(u) = ln(1 + eᵘ), at u = −z")
    d.step(
        -(Max(-z, 0) + log(1 + exp(-Abs(z)))),
        "the overflow-free softplus of the third chain, at −z; |−z| = |z|",
    )
    d.step(Min(z, 0) - log(1 + exp(-Abs(z))), "−max(−z, 0) = min(z, 0)")

# -- the page -------------------------------------------------------------------------------

page = d.page(part=2, section="The sigmoid", order=2, documents=["sigmoid", "sigmoid_prime"])


def textbook_sigmoid_prime(z):
    """e⁻ᶻ/(1 + e⁻ᶻ)², as the textbook writes it (overflows for z below about −355)."""
    # Evaluated as written on purpose: the overflow is what the page shows.
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(-np.float64(z))
        return float(e / (1 + e) ** 2)


def exact_sigmoid_prime(z):
    with mpmath.workdps(30):
        return mpmath.exp(-z) / (1 + mpmath.exp(-z)) ** 2


def exact_sigmoid(z):
    with mpmath.workdps(30):
        return 1 / (1 + mpmath.exp(-z))


def textbook_sigmoid(z):
    return 1 / (1 + np.exp(-z))


TEXTBOOK_SIGMOID = Formula("1 / (1 + np.exp(-z))", textbook_sigmoid)


@page.examples
def examples():
    sigmoid, sigmoid_prime = Public("sigmoid"), Public("sigmoid_prime")
    rows = []
    for z in (-700.0, -710.0):
        exact = number(exact_sigmoid_prime(z))
        rows += [
            WorkedValue(rf"\text{{textbook}}\ e^{{-z}}/(1 + e^{{-z}})^2,\ z = {z:g}",
                        textbook_sigmoid_prime(z), exact),
            WorkedValue(rf"\text{{gradbook}}\ \sigma'({z:g})", sigmoid_prime(z), exact),
        ]
    worked = WorkedExample(
        "Far out on the negative side the textbook form of \\(\\sigma'\\) squares \\(e^{-z}\\): "
        "at \\(z = -700\\) the square overflows to infinity and the quotient comes out as 0, at "
        "\\(z = -710\\) \\(e^{-z}\\) itself overflows and the quotient is NaN. The stable form "
        "never forms a number above 2. The reference column is the exact value, computed with "
        "30-digit mpmath.",
        tuple(rows),
        reference_label="exact value",
    )
    naive = ExtremeTable(
        "Naive and stable σ at extreme inputs",
        f"The textbook σ written in NumPy, `{TEXTBOOK_SIGMOID}`, computes \\(e^{{800}}\\) on the "
        "way to a number near 0: the exponential overflows to infinity, NumPy warns, and "
        "\\(1/\\infty\\) happens to give the right float, 0. gradbook's σ never forms a positive "
        "exponent and returns the same 0 without a warning. The exact values, from 30-digit "
        "mpmath, are far below the smallest float64.",
        tuple(extreme_row(r"\sigma(z)", TEXTBOOK_SIGMOID, sigmoid, exact_sigmoid, {"z": z})
              for z in (-800.0, -1000.0)),
    )
    check = GradientCheck(
        sigmoid_prime, sigmoid, r"\sigma(z)", ("z",),
        tuple(CheckInput({"z": z}) for z in (-700.0, -100.0, -30.0, -5.5, 0.0, 5.5)),
    )
    usage = Usage("""
        import numpy as np
        from gradbook.functions import sigmoid, sigmoid_prime

        z = np.array([-800.0, -30.0, 0.0, 30.0, 800.0])
        print(sigmoid(z))        # no overflow warning, even at ±800
        print(sigmoid_prime(z))
    """)
    return [worked, naive, check, usage]


if __name__ == "__main__":
    d.main()
