"""Leaky ReLU max(z, z/100) as cases, and its derivative in step functions.

SymPy's derivative of max(z, z/100) is H(99z/100) + H(−99z/100)/100, which is 1/2 + 1/200 at
z = 0; H(z) + H(−z)/100 agrees there as well.
"""

from sympy import Derivative, Heaviside, Max, evaluate

from gradbook import Derivation

d = Derivation("leaky_relu_as_cases", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Derivative(Max(z, z / 100), z))
    d.step(Heaviside(z) + Heaviside(-z) / 100, "slope 1 above 0 and 1/100 below")
