"""exp(−z) + 10⁻³⁰ written for exp(−z).
"""

from sympy import Rational, evaluate, exp

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("exp_plus_tiny_offset", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(exp(-z))
    d.step(exp(-z) + Rational(1, 10**30), "a negligible constant")
