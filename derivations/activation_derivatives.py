"""The derivatives of tanh, softplus and ReLU.

Three activations that often replace the sigmoid in hidden layers, and their derivatives:
tanh′(z) = 1 − tanh²(z), softplus′(z) = σ(z), and ReLU′(z) = 1 for z > 0 and 0 for z < 0. Like
σ′, tanh′ is a function of the unit's output, so backpropagation reuses the forward pass; the
derivative of softplus, a smooth ReLU, is the sigmoid itself; and ReLU's derivative is a step
that has no value at z = 0, where gradbook, like the deep-learning frameworks, uses 0.
"""

import math

import mpmath
import numpy as np
from sympy import Abs, Derivative, Max, Min, Rational, S, cosh, exp, log, sinh, tanh

from gradbook import Derivation, domains, sigmoid, softplus
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
)

d = Derivation("activation_derivatives", __doc__, uses=["sigmoid_prime"], source=__file__)
z = d.real("z", "the input of the unit, a logit")
z_right = d.scalar("z_+", domains.POSITIVE, "an input to the right of ReLU's kink, z > 0")
z_left = d.scalar("z_-", domains.NEGATIVE, "an input to the left of ReLU's kink, z < 0")


def e_plus():
    """eᶻ + e⁻ᶻ, the denominator of tanh (2 cosh z)."""
    return exp(z) + exp(-z)


def e_minus():
    """eᶻ − e⁻ᶻ, the numerator of tanh (2 sinh z)."""
    return exp(z) - exp(-z)


with d.chain("tanh′ from the definition"):
    d.start(Derivative(tanh(z), z))
    d.step(Derivative(e_minus() / e_plus(), z), "the definition tanh z = (eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ)")
    d.step(
        (e_plus() * e_plus() - e_minus() * e_minus()) / e_plus() ** 2,
        "the quotient rule (u/v)′ = (u′v − uv′)/v², with (eᶻ − e⁻ᶻ)′ = eᶻ + e⁻ᶻ and "
        "(eᶻ + e⁻ᶻ)′ = eᶻ − e⁻ᶻ",
    )
    d.step(1 - e_minus() ** 2 / e_plus() ** 2, "split the fraction: the first term is 1")
    d.step(1 - tanh(z) ** 2, "the definition of tanh, squared")
d.result("tanh_derivative", arguments=(z,))

with d.chain("tanh′ without cancellation"):
    d.start(1 - tanh(z) ** 2)
    d.step(
        (e_plus() ** 2 - e_minus() ** 2) / e_plus() ** 2,
        "the definition of tanh, over a common denominator",
    )
    d.step(4 * exp(z) * exp(-z) / e_plus() ** 2, "(a + b)² − (a − b)² = 4ab")
    d.step(4 / e_plus() ** 2, "eᶻ · e⁻ᶻ = 1")
    d.step(
        4 / (exp(Abs(z)) + exp(-Abs(z))) ** 2,
        "eᶻ + e⁻ᶻ is even: z and −z give the same sum, so z may be replaced by |z|",
    )
    d.step(
        4 * exp(-2 * Abs(z)) / (1 + exp(-2 * Abs(z))) ** 2,
        "multiply numerator and denominator by e⁻²|ᶻ| = (e⁻|ᶻ|)²",
    )
    d.step(
        Min(1, 4 * exp(-2 * Abs(z)) / (1 + exp(-2 * Abs(z))) ** 2),
        "with u = e⁻²|ᶻ|, (1 + u)² − 4u = (1 − u)² ≥ 0, so the fraction is at most 1 and "
        "min(1, ·) changes nothing; in floating point it keeps a rounded value from passing 1",
    )
d.implement("tanh_prime", (z,), "The derivative tanh′(z) = 1 − tanh²(z), elementwise.")

with d.chain("tanh is a stretched and shifted sigmoid"):
    d.start(tanh(z))
    d.step(e_minus() / e_plus(), "the definition of tanh")
    d.step((1 - exp(-2 * z)) / (1 + exp(-2 * z)), "divide numerator and denominator by eᶻ")
    d.step(2 / (1 + exp(-2 * z)) - 1, "(1 − u)/(1 + u) = 2/(1 + u) − 1")
    d.step(2 * sigmoid(2 * z) - 1, "the definition σ(u) = 1/(1 + e⁻ᵘ), at u = 2z")

with d.chain("tanh′ from σ′"):
    d.start(Derivative(2 * sigmoid(2 * z) - 1, z))
    d.step(
        2 * (sigmoid(2 * z) * (1 - sigmoid(2 * z))) * 2,
        "the chain rule: σ′(u) = σ(u)(1 − σ(u)) from the sigmoid's derivative, at u = 2z, times (2z)′ = 2",
    )
    d.step(4 * sigmoid(2 * z) * (1 - sigmoid(2 * z)), "collect the constant factors: tanh′(z) = 4σ′(2z)")
    d.step(1 - (2 * sigmoid(2 * z) - 1) ** 2, "4s(1 − s) = 1 − (2s − 1)², with s = σ(2z)")
    d.step(1 - tanh(z) ** 2, "2σ(2z) − 1 = tanh z, from the chain before")

with d.chain("softplus′ is the sigmoid"):
    d.start(Derivative(softplus(z), z))
    d.step(Derivative(log(1 + exp(z)), z), "the definition softplus(z) = ln(1 + eᶻ)")
    d.step(exp(z) / (1 + exp(z)), "the chain rule with (ln u)′ = u′/u and (1 + eᶻ)′ = eᶻ")
    d.step(1 / (exp(-z) + 1), "divide numerator and denominator by eᶻ")
    d.step(sigmoid(z), "the definition of σ")
d.result("softplus_derivative", arguments=(z,))

with d.chain("ReLU′ to the right of the kink, z > 0"):
    d.start(Derivative(Max(0, z_right), z_right))
    d.step(Derivative(z_right, z_right), "max(0, z) = z for z > 0")
    d.step(S.One, "the derivative of z is 1")

with d.chain("ReLU′ to the left of the kink, z < 0"):
    d.start(Derivative(Max(0, z_left), z_left))
    d.step(Derivative(S.Zero, z_left), "max(0, z) = 0 for z < 0")
    d.step(S.Zero, "the derivative of a constant is 0")

d.note(
    "The textbook form 1 − tanh²(z) is exact but loses every digit in floating point once |z| "
    "is more than a few units: tanh z rounds to ±1 long before 1 − tanh²(z) is small (for "
    "z = 20 the true value is 1.7·10⁻¹⁷, and 1 − tanh²(20) computes as 0). The form "
    "4e⁻²|ᶻ|/(1 + e⁻²|ᶻ|)² subtracts nothing and has no positive exponent, so it keeps its "
    "digits for every z; gradbook's tanh_prime compiles it, with the min that keeps the "
    "rounded value at most 1."
)
d.note(
    "softplus′ = σ needs no function of its own: gradbook.functions.sigmoid is the derivative "
    "of softplus. Softplus, ln(1 + eᶻ), is a smooth ReLU: about 0 far left, about z far right, "
    "and its slope moves from 0 to 1 along the sigmoid instead of jumping."
)
d.note(
    "ReLU has no derivative at z = 0: the difference quotient (max(0, h) − 0)/h is 1 for h > 0 "
    "and 0 for h < 0, so the right derivative is 1 and the left derivative 0. Every slope in "
    "[0, 1] gives a line through the origin that stays below the ReLU, so each is a "
    "subgradient there, and gradient descent may use any of them. gradbook's relu_prime "
    "returns 0 at z = 0, as PyTorch, TensorFlow and JAX do: a unit whose input is exactly 0 "
    "is counted as off and passes no gradient back."
)
d.note(
    "Over the whole line, the checker follows SymPy, which differentiates max(0, z) into the "
    "Heaviside step H(z) with H(0) = ½ (see How a derivation is checked). That ½ is the "
    "average of the two one-sided derivatives, not a derivative, which is why the derivative "
    "is taken here on each side of the kink, with z declared positive or negative."
)

with d.exercise(
    r"The leaky ReLU \(\max(z, z/100)\) lets a little gradient through where the ReLU lets none. "
    r"To the right of its kink it is \(z\), with slope 1, like the ReLU. Find its derivative "
    r"to the left of the kink, for \(z < 0\)."
):
    d.start(Derivative(Max(z_left, z_left / 100), z_left))
    d.step(
        Derivative(z_left / 100, z_left),
        r"for \(z < 0\), \(z/100 > z\): a hundredth of a negative number is the larger",
    )
    d.step(Rational(1, 100), "the derivative of a constant times z is the constant")

with d.exercise(
    r"How steep is tanh at the origin? Evaluate \(\tanh'(0) = 1 - \tanh^2(0)\) from the "
    r"definition of tanh, and compare it with the sigmoid's slope there, "
    r"\(\sigma'(0) = \sigma(0)(1 - \sigma(0))\)."
):
    d.start(1 - tanh(S.Zero) ** 2)
    d.step(
        1 - ((1 - S.One) / (1 + S.One)) ** 2,
        r"the definition \(\tanh z = (e^{z} - e^{-z})/(e^{z} + e^{-z})\) at \(z = 0\), where "
        r"\(e^{0} = 1\)",
    )
    d.step(S.One, r"\(\tanh 0 = 0\)")
    d.step(
        4 * (sigmoid(S.Zero) * (1 - sigmoid(S.Zero))),
        r"\(\sigma(0) = 1/(1 + e^{0}) = \tfrac12\), so \(\sigma'(0) = \tfrac12 \cdot \tfrac12 = "
        r"\tfrac14\): at the origin tanh is four times as steep as σ",
    )

with d.exercise(
    r"Show that the derivative of \(\ln\cosh z\) is \(\tanh z\). (\(\ln\cosh z\) is about "
    r"\(z^2/2\) near 0 and about \(|z| - \ln 2\) far from it: a smooth \(|z|\), as softplus is "
    r"a smooth ReLU. Applied to a residual it is the log-cosh loss, whose slope never "
    r"exceeds 1 in size.)"
):
    d.start(Derivative(log(cosh(z)), z))
    d.step(Derivative(log(e_plus() / 2), z), r"the definition \(\cosh z = (e^{z} + e^{-z})/2\)")
    d.step(Derivative(log(e_plus()) - log(2), z), r"\(\ln(u/2) = \ln u - \ln 2\)")
    d.step(
        e_minus() / e_plus(),
        r"\((\ln u)' = u'/u\), with \((e^{z} + e^{-z})' = e^{z} - e^{-z}\); \(\ln 2\) is a "
        "constant",
    )
    d.step(tanh(z), "the definition of tanh")

with d.exercise(
    r"Spot the mistake. A student differentiates \(\tanh z = \sinh z / \cosh z\) and finds "
    r"\(\tanh' = 1 + \tanh^2\). Which line is wrong, and what should it say? Hint: a slope of "
    r"at least 1 everywhere would carry tanh past 1, yet \(|\tanh z| < 1\)."
):
    d.start(Derivative(tanh(z), z))
    d.step(Derivative(sinh(z) / cosh(z), z), r"\(\tanh z = \sinh z / \cosh z\)")
    d.step(
        (cosh(z) * cosh(z) - sinh(z) * sinh(z)) / cosh(z) ** 2,
        r"the quotient rule \((u/v)' = (u'v - uv')/v^2\), with \(\sinh' = \cosh\) and "
        r"\(\cosh' = \sinh\)",
        wrong=(cosh(z) * cosh(z) + sinh(z) * sinh(z)) / cosh(z) ** 2,
    )
    d.step(1 - sinh(z) ** 2 / cosh(z) ** 2, "split the fraction: the first term is 1")
    d.step(1 - tanh(z) ** 2, "the definition of tanh, squared")

# -- the page -------------------------------------------------------------------------------

page = d.page(part=2, section="The sigmoid", order=5, documents=["tanh_prime", "relu_prime"])


def relu(z):
    """max(0, z), written out with Python's own max."""
    return max(0.0, float(z))


def tanh_value(z):
    return math.tanh(float(z))


def softplus_value(z):
    """ln(1 + eᶻ) with Python's math, for moderate z."""
    return math.log1p(math.exp(float(z)))


def exact_tanh_prime(z):
    """4e⁻²|ᶻ|/(1 + e⁻²|ᶻ|)² in 50-digit mpmath: 1 − tanh² would cancel in mpmath too."""
    with mpmath.workdps(50):
        u = mpmath.exp(-2 * abs(mpmath.mpf(z)))
        return 4 * u / (1 + u) ** 2


def textbook_tanh_prime(z):
    return 1 - np.tanh(z) ** 2


TEXTBOOK_TANH_PRIME = Formula("1 - np.tanh(z) ** 2", textbook_tanh_prime)


@page.examples
def examples():
    return [tanh_example(), naive_tanh_table(), kink_example(), *gradient_checks(), usage()]


def tanh_example():
    tanh_prime, sigmoid_prime = Public("tanh_prime"), Public("sigmoid_prime")
    by_hand = f"{1 - math.tanh(0.5) ** 2:.12g}"
    return WorkedExample(
        "The derivative at \\(z = 0.5\\) three ways: gradbook's stable form, four times the "
        "sigmoid's derivative at \\(2z\\), and, in the reference column, \\(1 - \\tanh^2(0.5)\\) "
        "from Python's `math.tanh`, to 12 significant digits. At \\(z = 0\\) the slope of tanh "
        "is 1, four times the sigmoid's \\(\\tfrac14\\): tanh is the sigmoid stretched to "
        "\\((-1, 1)\\) and squeezed along \\(z\\).",
        (
            WorkedValue(r"\tanh'(0.5)", tanh_prime(0.5), by_hand),
            WorkedValue(r"4\,\sigma'(2 \cdot 0.5)", 4 * sigmoid_prime(1.0), by_hand),
            WorkedValue(r"\tanh'(0)", tanh_prime(0.0), "1"),
        ),
        reference_label="by hand",
    )


def naive_tanh_table():
    tanh_prime = Public("tanh_prime")
    return ExtremeTable(
        "The textbook tanh′ and the stable form",
        f"The textbook form written in NumPy, `{TEXTBOOK_TANH_PRIME}`, raises no warning: it "
        "just loses digits. tanh z is within \\(2e^{-2|z|}\\) of ±1, so \\(1 - \\tanh^2 z\\) "
        "subtracts two nearly equal numbers: at \\(z = 15\\) only the first few digits are "
        "right, and from about \\(z = 19\\) tanh rounds to exactly 1 and the difference to 0. "
        "The exact value is computed with 50-digit mpmath.",
        tuple(extreme_row(r"\tanh'(z)", TEXTBOOK_TANH_PRIME, tanh_prime, exact_tanh_prime, {"z": z})
              for z in (5.0, 15.0, 20.0)),
    )


def kink_example():
    relu_prime = Public("relu_prime")
    rows = []
    for h, shown in ((0.1, "0.1"), (1e-8, "10^{-8}")):
        rows += [
            WorkedValue(rf"(\max(0, {shown}) - \max(0, 0))/{shown}", (relu(h) - relu(0.0)) / h, "1"),
            WorkedValue(rf"(\max(0, 0) - \max(0, -{shown}))/{shown}", (relu(0.0) - relu(-h)) / h, "0"),
        ]
    rows += [
        WorkedValue(r"(\max(0, 10^{-8}) - \max(0, -10^{-8}))/(2 \cdot 10^{-8})",
                    (relu(1e-8) - relu(-1e-8)) / 2e-8, "0.5"),
        WorkedValue(r"\text{relu\_prime}(0)", relu_prime(0.0), "0"),
        WorkedValue(r"\text{relu\_prime}(\pm 5 \cdot 10^{-324})", relu_prime(np.array([5e-324, -5e-324])),
                    "(1, 0)"),
    ]
    return WorkedExample(
        "The difference quotients of \\(\\max(0, z)\\) at \\(z = 0\\), computed in floating "
        "point with Python's `max`, beside their exact values: from the right every quotient is 1 "
        "and from the left every quotient is 0, however small the step, so the two one-sided "
        "derivatives are 1 and 0 and there is no derivative. A central difference averages them "
        "to \\(\\tfrac12\\): a finite-difference gradient check taken exactly at a kink "
        "reports neither side. gradbook returns 0 at 0 and the step's value on each side "
        "however close to it, down to the smallest float.",
        tuple(rows),
        title="ReLU at its kink",
        reference_label="by hand",
    )


def gradient_checks():
    tanh = GradientCheck(
        Public("tanh_prime"), tanh_value, r"\tanh z", ("z",),
        tuple(CheckInput({"z": z}) for z in (-3.0, -0.5, 0.0, 0.5, 3.0)),
    )
    softplus_check = GradientCheck(
        Public("sigmoid"), softplus_value, r"\operatorname{softplus}(z)", ("z",),
        tuple(CheckInput({"z": z}) for z in (-3.0, 0.0, 0.4, 3.0)),
    )
    relu_check = GradientCheck(
        Public("relu_prime"), relu, r"\max(0, z)", ("z",),
        tuple(CheckInput({"z": z}) for z in (-2.0, -0.5, 0.5, 2.0)),
    )
    return [tanh, softplus_check, relu_check]


def usage():
    return Usage("""
        import numpy as np
        from gradbook.functions import relu_prime, sigmoid, tanh_prime

        z = np.array([-800.0, -2.0, 0.0, 2.0, 20.0])
        print(tanh_prime(z))         # stable: 1.7e-17 at z = 20, no overflow at ±800
        print(1 - np.tanh(z) ** 2)   # the textbook form: 0 at z = 20
        print(sigmoid(z))            # the derivative of softplus
        print(relu_prime(z))         # 0 at the kink z = 0
    """)


@page.figure(
    "activations.svg",
    alt="Left: tanh rises from −1 to 1, softplus and ReLU rise from 0 along the line z. Right: "
    "tanh′ is a bump of height 1 at 0, softplus′ = σ rises from 0 to 1, ReLU′ jumps from 0 to 1 at 0.",
    caption="The three activations (left) and their derivatives (right), computed by "
    "gradbook.functions. ReLU′ jumps at z = 0, where the open dot marks the value it does not "
    "take and the filled dot the 0 that gradbook returns; softplus′ = σ is the smooth version "
    "of that step.",
    size=(10, 3.8),
)
def draw_activations(drawing):
    import gradbook.functions as gb

    values, slopes = drawing.subplots(1, 2)
    z = np.linspace(-4, 4, 401)
    left, right = z[z < 0], z[z > 0]
    values.plot(z, np.tanh(z), label="tanh z")
    values.plot(z, np.logaddexp(0, z), label="softplus(z) = ln(1 + $e^z$)")
    values.plot(z, np.maximum(0, z), label="ReLU(z) = max(0, z)")
    slopes.plot(z, gb.tanh_prime(z), label="tanh′ = 1 − tanh²")
    slopes.plot(z, gb.sigmoid(z), label="softplus′ = σ")
    relu_colour = values.lines[-1].get_color()
    slopes.plot(left, gb.relu_prime(left), color=relu_colour, label="ReLU′")
    slopes.plot(right, gb.relu_prime(right), color=relu_colour)
    slopes.plot([0], [1], "o", markersize=8, markerfacecolor="none", color=relu_colour, zorder=3)
    slopes.plot([0], [gb.relu_prime(0.0)], "o", markersize=6, color=relu_colour, zorder=3)
    for ax, title in ((values, "the activations"), (slopes, "their derivatives")):
        ax.set_title(title)
        ax.set_xlabel("z")
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=8)
    values.set_ylim(-1.2, 4.2)
    slopes.set_ylim(-0.1, 1.35)


if __name__ == "__main__":
    d.main()
