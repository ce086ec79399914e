"""√(x²) = x for a positive x, and √(z²) = |z| for any real z.
"""

from sympy import Abs, evaluate, sqrt

from gradbook import Derivation, domains

d = Derivation("root_of_square_of_positive", __doc__)
x = d.scalar("x", domains.POSITIVE)
z = d.real("z")

with evaluate(False):
    d.start(sqrt(x**2) + sqrt(z**2))
    d.step(x + Abs(z), "the root of a square")
