"""tanh′ = 1 − tanh² = 1/cosh².

1 − tanh(z)² cancels all digits of tanh(z)² ≈ 1 for large |z|.
"""

from sympy import Derivative, cosh, evaluate, tanh

from gradbook import Derivation

d = Derivation("tanh_derivative", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Derivative(tanh(z), z))
    d.step(1 - tanh(z) ** 2, "the derivative of tanh")
    d.step(1 / cosh(z) ** 2, "1 − tanh² = 1/cosh²")
