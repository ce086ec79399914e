"""The ReLU derivative with its threshold moved from 0 to 1/1000.

d max(z, 0)/dz is 1 for every z > 0; the step says 0 for 0 < z ≤ 1/1000 (and 0 at z = 0,
where SymPy's derivative is Heaviside(0) = 1/2).
"""

from sympy import Derivative, Max, Piecewise, Rational, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("relu_derivative_late_threshold", __doc__)
z = d.real("z", "a pre-activation")

with evaluate(False):
    d.start(Derivative(Max(z, 0), z))
    d.step(Piecewise((1, z > Rational(1, 1000)), (0, True)), "the slope of max(z, 0)")
