"""The derivative of the sigmoid.

σ′(z) = σ(z)(1 − σ(z)): once the forward pass has computed σ(z), backpropagating through
a sigmoid costs a single multiplication, and the derivative is largest, 1/4, at z = 0.
"""

import numpy as np
from sympy import Derivative, Rational, exp

from gradbook import Derivation, sigmoid
from gradbook.examples import CheckInput, GradientCheck, Public, Usage, WorkedExample, WorkedValue

d = Derivation("sigmoid_prime", __doc__, source=__file__)
z = d.real("z", "the input, a logit")

with d.chain("σ′ in terms of σ"):
    d.start(Derivative(sigmoid(z), z))
    d.step(Derivative(1 / (1 + exp(-z)), z), "the definition σ(z) = 1/(1 + e⁻ᶻ)")
    d.step(-((1 + exp(-z)) ** -2) * (-exp(-z)), "the chain rule: (1/u)′ = −u′/u²")
    d.step(exp(-z) / (1 + exp(-z)) ** 2, "the two minus signs cancel")
    d.step(1 / (1 + exp(-z)) * (exp(-z) / (1 + exp(-z))), "split the fraction")
    d.step(
        1 / (1 + exp(-z)) * ((1 + exp(-z) - 1) / (1 + exp(-z))),
        "add and subtract 1 in the numerator, to make it match the denominator",
    )
    d.step(
        1 / (1 + exp(-z)) * ((1 + exp(-z)) / (1 + exp(-z)) - 1 / (1 + exp(-z))),
        "split the second fraction in two",
    )
    d.step(1 / (1 + exp(-z)) * (1 - 1 / (1 + exp(-z))), "the first part is 1")
    d.step(sigmoid(z) * (1 - sigmoid(z)), "the definition of σ, twice")
d.result("sigmoid_prime", arguments=(z,))

with d.exercise("Show that σ(−z) = 1 − σ(z): the sigmoid of a negated score is the probability "
                "of the other class."):
    d.start(sigmoid(-z))
    d.step(1 / (1 + exp(z)), "the definition of σ at −z")
    d.step(exp(-z) / (exp(-z) + 1), "multiply numerator and denominator by e⁻ᶻ")
    d.step((1 + exp(-z) - 1) / (1 + exp(-z)), "add and subtract 1 in the numerator")
    d.step(1 - 1 / (1 + exp(-z)), "split the fraction")
    d.step(1 - sigmoid(z), "the definition of σ")

with d.exercise(
    "Spot the mistake. A student differentiates σ(z) = 1/(1 + e⁻ᶻ) with the quotient rule and "
    "writes the lines below. Which line is wrong, and what should it say?"
):
    d.start(Derivative(1 / (1 + exp(-z)), z))
    d.step(
        -Derivative(1 + exp(-z), z) / (1 + exp(-z)) ** 2,
        "the quotient rule (u/v)′ = (u′v − uv′)/v² with u = 1, so u′ = 0",
    )
    d.step(
        exp(-z) / (1 + exp(-z)) ** 2,
        "the derivative of 1 + e⁻ᶻ is −e⁻ᶻ, and the two minus signs cancel",
        wrong=exp(-z) / (1 - exp(-z)) ** 2,
    )

with d.exercise("Where is σ′ largest, and how large is it there? Use σ′ = σ(1 − σ) and "
                "write σ(1 − σ) as 1/4 minus a square."):
    d.start(sigmoid(z) * (1 - sigmoid(z)))
    d.step(Rational(1, 4) - (sigmoid(z) - Rational(1, 2)) ** 2,
           "complete the square: s(1 − s) = 1/4 − (s − 1/2)²")

# -- the page -------------------------------------------------------------------------------

page = d.page(part=2, section="The sigmoid", order=1, documents=["sigmoid_prime"])

#: The points where the notes evaluate σ, and σ there as the notes print it.
NOTES_SIGMOID = {-5.5: "0.0040", 6.5: "0.9984", 0.4: "0.5986"}


@page.examples
def examples():
    sigmoid, sigmoid_prime = Public("sigmoid"), Public("sigmoid_prime")
    rows = [WorkedValue(rf"\sigma({z:g})", sigmoid(z), figure) for z, figure in NOTES_SIGMOID.items()]
    rows += [
        WorkedValue(r"\sigma'(0.4) = \sigma(0.4)\,(1 - \sigma(0.4))", sigmoid_prime(0.4)),
        WorkedValue(r"\sigma'(0)", sigmoid_prime(0.0), "0.25"),
    ]
    worked = WorkedExample(
        "The notes evaluate \\(\\sigma\\) at three points; the derivative at 0 is the largest "
        "value \\(\\sigma'\\) takes, \\(\\tfrac{1}{2} \\cdot \\tfrac{1}{2} = \\tfrac{1}{4}\\).",
        tuple(rows),
    )
    check = GradientCheck(
        sigmoid_prime, sigmoid, r"\sigma(z)", ("z",),
        tuple(CheckInput({"z": z}) for z in (-5.5, -1.0, 0.0, 0.4, 2.0, 6.5)),
    )
    usage = Usage("""
        import numpy as np
        from gradbook.functions import sigmoid, sigmoid_prime

        z = np.array([-5.5, 0.0, 0.4, 6.5])
        s = sigmoid(z)
        print(s)
        print(sigmoid_prime(z))
        print(np.allclose(sigmoid_prime(z), s * (1 - s)))
    """)
    return [worked, check, usage]


@page.figure(
    "sigmoid.svg",
    alt="The sigmoid rises from 0 to 1 through 0.5 at z = 0; "
    "its derivative is a bump peaking at 1/4 at z = 0.",
    caption="σ and its derivative, both computed by gradbook.functions. The slope is largest where "
    "σ(z) = 1/2 and all but vanishes once |z| is more than about 5.",
)
def draw_sigmoid(drawing):
    import gradbook.functions as gb

    z = np.linspace(-8, 8, 401)
    ax = drawing.subplots()
    ax.plot(z, gb.sigmoid(z), label="σ(z)")
    ax.plot(z, gb.sigmoid_prime(z), label="σ′(z) = σ(z)(1 − σ(z))")
    ax.axhline(0.25, color="grey", linestyle=":", linewidth=1)
    ax.annotate("maximum 1/4 at z = 0", xy=(0, 0.25), xytext=(1.5, 0.4), arrowprops={"arrowstyle": "->"})
    ax.set_xlabel("z")
    ax.legend(loc="upper left")
    ax.grid(alpha=0.3)


if __name__ == "__main__":
    d.main()
