"""√(xy) written as √x √y for real x and y: for x, y < 0, √x √y = −√(xy).
"""

from sympy import evaluate, sqrt

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("root_of_product_outside_domain", __doc__)
x = d.real("x")
y = d.real("y")

with evaluate(False):
    d.start(sqrt(x * y))
    d.step(sqrt(x) * sqrt(y), "the root of a product")
