"""d max(z, 0)/dz written as SymPy's own Heaviside(z).
"""

from sympy import Derivative, Heaviside, Max, evaluate

from gradbook import Derivation

d = Derivation("relu_slope_as_step_function", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Derivative(Max(z, 0), z))
    d.step(Heaviside(z), "the slope is 0 below the kink and 1 above it")
