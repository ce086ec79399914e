r"""The gradient of softmax cross-entropy.

A K-class classifier turns scores z into probabilities with the softmax,
\(p_c = e^{z_c} / \sum_{c''} e^{z_{c''}}\), and is scored by the cross-entropy
\(L = -\sum_c y_c \ln p_c\) against a label distribution y (one-hot, or probabilities that sum
to 1). Through the softmax Jacobian \(\partial p_c / \partial z_{c'} = p_c (\delta_{cc'} - p_{c'})\),
the gradient collapses to \(\partial L / \partial z_{c'} = p_{c'} - y_{c'}\), but only because
the labels sum to one; the step that uses \(\sum_c y_c = 1\) says so. Shifting every score by
the same number s changes nothing, which is what lets the code compute it without overflow.
"""

import mpmath
import numpy as np
from sympy import Derivative, Integer, KroneckerDelta, Max, Min, Sum, exp, log
from sympy.codegen.cfunctions import log1p

from gradbook import Derivation, domains, softmax
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

d = Derivation("softmax_cross_entropy", __doc__, uses=["sigmoid_prime"], source=__file__)
K = d.size("K", checked_at=(2, 3, 4), meaning="the number of classes")
c = d.index("c", K, "a class")
c2 = d.index("c''", K, "a class, summed over")
c1 = d.index("c'", K, "the class whose score we differentiate by")
z = d.vector("z", K, meaning="the scores (logits)")
y = d.vector("y", K, domains.SIMPLEX, "the label distribution: one-hot or probabilities")
s = d.real("s", "any real shift added to every score; the code uses the largest score")
w = d.vector(
    "w", K, domains.SIMPLEX,
    "any weights that sum to 1; the code puts 1 on the largest score and 0 elsewhere",
)
S = Sum(exp(z[c2]), (c2, 1, K))
p = d.define("p", softmax(z, c, K), "the softmax probabilities", index=c)
d.assume(Sum(y[c], (c, 1, K)), 1, r"\(\sum_c y_c = 1\)")
d.assume(Sum(w[c], (c, 1, K)), 1, r"\(\sum_c w_c = 1\)")

with d.chain("The softmax Jacobian"):
    d.start(Derivative(p[c], z[c1]))
    d.step(Derivative(exp(z[c]) / S, z[c1]), r"the definition of the softmax")
    d.step(
        (KroneckerDelta(c, c1) * exp(z[c]) * S - exp(z[c]) * exp(z[c1])) / S**2,
        r"the quotient rule: \(\partial e^{z_c} / \partial z_{c'} = \delta_{cc'} e^{z_c}\), and "
        r"of the sum in the denominator only the term \(e^{z_{c'}}\) depends on \(z_{c'}\)",
    )
    d.step(exp(z[c]) / S * (KroneckerDelta(c, c1) - exp(z[c1]) / S),
           r"take the factor \(e^{z_c} / \sum_{c''} e^{z_{c''}}\) out")
    d.step(p[c] * (KroneckerDelta(c, c1) - p[c1]), "the definition of the softmax, twice")
d.result("softmax_jacobian")

with d.chain("The gradient of the loss"):
    d.start(Derivative(-Sum(y[c] * log(p[c]), (c, 1, K)), z[c1]))
    d.step(
        -Sum(y[c] * (1 / p[c]) * Derivative(p[c], z[c1]), (c, 1, K)),
        "differentiate under the sum, with (ln u)′ = u′/u",
    )
    d.step(
        -Sum(y[c] * (1 / p[c]) * (p[c] * (KroneckerDelta(c, c1) - p[c1])), (c, 1, K)),
        "the softmax Jacobian",
    )
    d.step(-Sum(y[c] * (KroneckerDelta(c, c1) - p[c1]), (c, 1, K)), r"cancel \(p_c\)")
    d.step(-y[c1] + p[c1] * Sum(y[c], (c, 1, K)),
           r"\(\sum_c y_c \delta_{cc'} = y_{c'}\), and \(p_{c'}\) does not depend on \(c\)")
    d.step(p[c1] - y[c1], r"the labels sum to one: \(\sum_c y_c = 1\)")
d.result("softmax_cross_entropy_grad")

with d.chain("Softmax without overflow"):
    d.start(p[c1])
    d.step(exp(z[c1]) / S, r"the definition of the softmax")
    d.step(
        exp(z[c1] - s) / Sum(exp(z[c2] - s), (c2, 1, K)),
        r"multiply numerator and denominator by \(e^{-s}\); with \(s = \max_{c''} z_{c''}\) "
        "no exponent is positive",
    )
d.implement(
    "softmax_shifted", (z, s), "Softmax along the last axis, with every score shifted by s.",
    vector_index=c1, shift=(s, z),
)

with d.chain("The gradient without overflow"):
    d.start(p[c1] - y[c1])
    d.step(
        exp(z[c1] - s) / Sum(exp(z[c2] - s), (c2, 1, K)) - y[c1],
        "the shifted softmax, as above",
    )
d.implement(
    "softmax_cross_entropy_grad_shifted", (z, y, s),
    "∂L/∂z = softmax(z) − y along the last axis, with every score shifted by s.",
    vector_index=c1, shift=(s, z),
)

with d.chain("The loss without overflow"):
    d.start(-Sum(y[c] * log(p[c]), (c, 1, K)))
    d.step(
        -Sum(y[c] * ((z[c] - s) - log(Sum(exp(z[c2] - s), (c2, 1, K)))), (c, 1, K)),
        r"\(\ln p_c = (z_c - s) - \ln \sum_{c''} e^{z_{c''} - s}\), the shifted softmax",
    )
    d.step(
        log(Sum(exp(z[c2] - s), (c2, 1, K))) - Sum(y[c] * (z[c] - s), (c, 1, K)),
        r"the labels sum to one: \(\sum_c y_c = 1\)",
    )
    d.step(
        log1p(Sum(exp(z[c2] - s) - w[c2], (c2, 1, K))) - Sum(y[c] * (z[c] - s), (c, 1, K)),
        r"\(\ln u = \ln(1 + (u - 1))\) and \(\sum_{c''} w_{c''} = 1\): with \(w\) one at the "
        r"largest score, where \(e^{z_{c''} - s} = 1\), the sum adds only the other terms, so a "
        "loss far below 10⁻¹⁶ keeps its digits",
    )
d.implement(
    "softmax_cross_entropy_shifted", (z, y, s, w),
    "L = −Σ y ln softmax(z) along the last axis, with every score shifted by s.",
    vector_index=c1, shift=(s, z), peak=(w, z), on_overflow="softmax_cross_entropy_wide_rows",
)

with d.chain("Rows wider than the floating-point range"):
    d.start(log1p(Sum(exp(z[c2] - s) - w[c2], (c2, 1, K))) - Sum(y[c] * (z[c] - s), (c, 1, K)))
    d.step(
        log1p(Sum(exp(z[c2] - s) - w[c2], (c2, 1, K)))
        - Sum(y[c] * (Max(z[c], 0) - Max(s, 0)), (c, 1, K))
        - Sum(y[c] * (Min(z[c], 0) - Min(s, 0)), (c, 1, K)),
        r"\(a = \max(a, 0) + \min(a, 0)\) for \(a = z_c\) and \(a = s\): each difference is "
        "of two numbers of one sign, so none overflows, even for scores 10³⁰⁸ apart",
    )
d.note(
    "A row of scores can span more than the floating-point range: z = (10³⁰⁸, 0, −10³⁰⁸). Its "
    "shifted score −10³⁰⁸ − 10³⁰⁸ overflows to −∞, which does no harm inside the exponential "
    "(e to any power below about −745 is 0 in double precision), but a label times −∞ would "
    "give −∞, or NaN for a label of 0, where the loss is finite. This form never subtracts "
    "numbers of opposite signs, so each term is finite whenever the loss is. It costs eight "
    "more operations on every entry, so the code computes the shorter form above with overflow "
    "raising an error, and this one only for a block of rows where it did."
)
d.implement(
    "softmax_cross_entropy_wide_rows", (z, y, s, w),
    "L = −Σ y ln softmax(z) along the last axis, shifted by s, for rows wider than the float range.",
    vector_index=c1, shift=(s, z), peak=(w, z),
)
d.implement_together(
    "softmax_cross_entropy_and_grad_shifted",
    ("softmax_cross_entropy_shifted", "softmax_cross_entropy_grad_shifted"),
    "The loss L and its gradient softmax(z) − y along the last axis, in one pass.",
    on_overflow="softmax_cross_entropy_and_grad_wide_rows",
)
d.implement_together(
    "softmax_cross_entropy_and_grad_wide_rows",
    ("softmax_cross_entropy_wide_rows", "softmax_cross_entropy_grad_shifted"),
    "The loss L and its gradient softmax(z) − y along the last axis, for rows wider than the float range.",
)

with d.exercise(
    r"With a one-hot label on class c the loss is \(L = -\ln p_c\). Write it as "
    r"\(\ln \sum_{c''} e^{z_{c''}} - z_c\) and differentiate by \(z_{c'}\): this gives "
    r"\(\partial L / \partial z_{c'} = p_{c'} - \delta_{cc'}\) without the softmax Jacobian."
):
    d.start(Derivative(-log(p[c]), z[c1]))
    d.step(Derivative(-log(exp(z[c]) / S), z[c1]), "the definition of the softmax")
    d.step(Derivative(log(S) - z[c], z[c1]), r"\(\ln(a/b) = \ln a - \ln b\), and \(\ln e^{z_c} = z_c\)")
    d.step(
        (1 / S) * exp(z[c1]) - KroneckerDelta(c, c1),
        r"\((\ln u)' = u'/u\), where only the term \(c'' = c'\) of the sum depends on \(z_{c'}\); "
        r"\(\partial z_c / \partial z_{c'} = \delta_{cc'}\)",
    )
    d.step(p[c1] - KroneckerDelta(c, c1), "the definition of the softmax")

with d.exercise(
    r"Show that the components of the gradient add up to zero: \(\sum_{c'} (p_{c'} - y_{c'}) = 0\). "
    "(It must: adding the same number to every score leaves the loss unchanged, so the loss has "
    "no slope in the direction (1, 1, …, 1).)"
):
    d.start(Sum(p[c1] - y[c1], (c1, 1, K)))
    d.step(Sum(p[c1], (c1, 1, K)) - Sum(y[c1], (c1, 1, K)), "split the sum")
    d.step(
        Sum(exp(z[c1]), (c1, 1, K)) / S - 1,
        "the definition of the softmax, whose denominator does not depend on the class; the "
        "labels sum to one",
    )
    d.step(Integer(0), "the numerator and the denominator are the same sum, so the fraction is 1")

# -- the page -------------------------------------------------------------------------------

page = d.page(
    part=3, section="Gradients", order=4,
    documents=[
        "softmax", "softmax_cross_entropy", "softmax_cross_entropy_grad", "softmax_cross_entropy_and_grad",
    ],
)

#: The notes' scores of three classes A, B, C, and their softmax as the notes print it.
NOTES_SCORES, NOTES_SOFTMAX = (2.0, 1.0, 0.0), "(0.67, 0.24, 0.09)"


def textbook_softmax(z):
    return np.exp(z) / np.sum(np.exp(z))


def textbook_cross_entropy(z, y):
    return -np.sum(y * np.log(textbook_softmax(z)))


TEXTBOOK_SOFTMAX = Formula("np.exp(z) / np.sum(np.exp(z))", textbook_softmax)
TEXTBOOK_CROSS_ENTROPY = Formula("-np.sum(y * np.log(np.exp(z) / np.sum(np.exp(z))))",
                                 textbook_cross_entropy)


def exact_softmax(z):
    with mpmath.workdps(30):
        exps = [mpmath.exp(score) for score in z]
        return tuple(e / mpmath.fsum(exps) for e in exps)


def exact_cross_entropy(z, y):
    with mpmath.workdps(30):
        return -mpmath.fsum(label * mpmath.log(p) for label, p in zip(y, exact_softmax(z), strict=True))


@page.examples
def examples():
    softmax, loss = Public("softmax"), Public("softmax_cross_entropy")
    grad = Public("softmax_cross_entropy_grad")
    z, y = np.array(NOTES_SCORES), np.array([1.0, 0.0, 0.0])
    worked = WorkedExample(
        "The notes' three classes A, B, C with scores \\(z = (2, 1, 0)\\); take A as the true "
        "class, \\(y = (1, 0, 0)\\). Adding 1000 to every score changes nothing, and the stable "
        "form computes it without overflow.",
        (
            WorkedValue(r"\operatorname{softmax}(2, 1, 0)", softmax(z), NOTES_SOFTMAX),
            WorkedValue(r"\operatorname{softmax}(1002, 1001, 1000)", softmax(z + 1000), NOTES_SOFTMAX),
            WorkedValue(r"L = -\log p_A", loss(z, y)),
            WorkedValue(r"\partial L/\partial z = p - y", grad(z, y)),
        ),
    )
    cases = (
        CheckInput({"z": z, "y": y}),
        CheckInput({"z": (-1.0, 0.5, 3.0), "y": (0.2, 0.5, 0.3)}),
        CheckInput({"z": (1000.0, 1001.0, 999.0, 1000.5), "y": (0.0, 1.0, 0.0, 0.0)}),
    )
    check = GradientCheck(grad, loss, r"L(z)", ("z",), cases)
    usage = Usage("""
        import numpy as np
        from gradbook.functions import softmax, softmax_cross_entropy, softmax_cross_entropy_grad

        z = np.array([[2.0, 1.0, 0.0], [0.0, 0.0, 5.0]])   # two points, three classes
        y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])   # one-hot labels
        print(softmax(z).round(4))
        print(softmax_cross_entropy(z, y))                 # one loss per row
        g = softmax_cross_entropy_grad(z, y)
        print(g.round(4), g.sum(axis=-1))                  # each row of p − y sums to 0
    """)
    extreme_z, extreme_y = (1000.0, 0.0, -1000.0), (0.0, 1.0, 0.0)
    naive = ExtremeTable(
        "Naive and stable softmax at extreme scores",
        f"The textbook softmax written in NumPy, `{TEXTBOOK_SOFTMAX}`, without subtracting the "
        "largest score first: at \\(z = (1000, 0, -1000)\\) the exponential of 1000 overflows "
        "to infinity and \\(\\infty/\\infty\\) is NaN. The loss for the class \\(y = e_2\\) "
        f"computed from those probabilities, `{TEXTBOOK_CROSS_ENTROPY}`, is NaN as well. "
        "gradbook shifts the scores by their maximum, so no exponent is positive, and computes "
        "the loss as \\(\\log\\sum_k e^{z_k} - z_2\\). The exact values are from 30-digit mpmath.",
        (
            extreme_row(r"\operatorname{softmax}(z)", TEXTBOOK_SOFTMAX, softmax, exact_softmax,
                        {"z": extreme_z}),
            extreme_row(r"L = -\sum_k y_k \log p_k", TEXTBOOK_CROSS_ENTROPY, loss, exact_cross_entropy,
                        {"z": extreme_z, "y": extreme_y}),
        ),
    )
    return [worked, check, usage, naive]


if __name__ == "__main__":
    d.main()
