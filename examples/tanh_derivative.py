"""The derivative of tanh.

tanh′(z) = 1 − tanh²(z): like the sigmoid, the hyperbolic tangent's derivative is a function of
its value, so backpropagating through a tanh layer reuses the forward pass.
"""

import numpy as np
from sympy import Derivative, cosh, sinh, tanh

from gradbook import Derivation
from gradbook.examples import CheckInput, Formula, GradientCheck

d = Derivation("tanh_derivative", __doc__, source=__file__)
z = d.real("z", "the input of the unit")

with d.chain("tanh′ in terms of tanh"):
    d.start(Derivative(tanh(z), z))
    d.step(Derivative(sinh(z) / cosh(z), z), "the definition tanh = sinh/cosh")
    d.step(
        (cosh(z) * cosh(z) - sinh(z) * sinh(z)) / cosh(z) ** 2,
        "the quotient rule, with sinh′ = cosh and cosh′ = sinh",
    )
    d.step(1 - sinh(z) ** 2 / cosh(z) ** 2, "split the fraction")
    d.step(1 - tanh(z) ** 2, "the definition of tanh, squared")
d.result("tanh_prime", arguments=(z,))

page = d.page(
    part=7, section="Activation functions", order=1,
    reading=[("Hyperbolic functions", "https://en.wikipedia.org/wiki/Hyperbolic_functions")],
)


def tanh_prime(z):
    """The result, 1 − tanh²(z), in NumPy."""
    return 1 - np.tanh(z) ** 2


def tanh_value(z):
    return np.tanh(z)


@page.examples
def examples():
    check = GradientCheck(
        Formula("1 - np.tanh(z) ** 2", tanh_prime), tanh_value, r"\tanh(z)", ("z",),
        tuple(CheckInput({"z": z}) for z in (-3.0, -0.5, 0.0, 0.5, 3.0)),
    )
    return [check]


@page.figure("tanh.svg", alt="tanh rises from −1 to 1 through 0; its derivative is a bump of height 1 at 0.")
def draw_tanh(drawing):
    z = np.linspace(-4, 4, 401)
    ax = drawing.subplots()
    ax.plot(z, tanh_value(z), label="tanh(z)")
    ax.plot(z, tanh_prime(z), label="tanh′(z) = 1 − tanh²(z)")
    ax.set_xlabel("z")
    ax.legend(loc="upper left")
    ax.grid(alpha=0.3)


if __name__ == "__main__":
    d.main()
