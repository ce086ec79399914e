"""√(z²) written as z for a real z: it is |z|.
"""

from sympy import evaluate, sqrt

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("root_of_square_real", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(sqrt(z**2))
    d.step(z, "the root undoes the square")
