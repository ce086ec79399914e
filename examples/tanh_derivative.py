"""The derivative of tanh.

tanh′(z) = 1 − tanh²(z): like the sigmoid, the hyperbolic tangent's derivative is a function of
its value, so backpropagating through a tanh layer reuses the forward pass.
"""

from sympy import Derivative, cosh, sinh, tanh

from gradbook import Derivation

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

if __name__ == "__main__":
    d.main()
