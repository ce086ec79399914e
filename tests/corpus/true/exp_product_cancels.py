"""eᶻ·e⁻ᶻ = 1, with both factors out of floating-point range for large |z|.
"""

from sympy import Integer, evaluate, exp

from gradbook import Derivation

d = Derivation("exp_times_exp_minus", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(exp(z) * exp(-z))
    d.step(Integer(1), "eᵃeᵇ = e^(a + b)")
