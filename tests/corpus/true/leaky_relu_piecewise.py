"""max(z, z/100) as cases: z for z ≥ 0, z/100 below.
"""

from sympy import Max, Piecewise, evaluate

from gradbook import Derivation

d = Derivation("leaky_relu_value_as_cases", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Max(z, z / 100))
    d.step(Piecewise((z, z >= 0), (z / 100, True)), "z ≥ z/100 exactly when z ≥ 0")
