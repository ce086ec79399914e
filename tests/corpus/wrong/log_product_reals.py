"""log(xy) written as log x + log y for real x and y.

For x, y < 0 the product is positive and its log real, while log x + log y is not.
"""

from sympy import evaluate, log

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("log_product_outside_domain", __doc__)
x = d.real("x")
y = d.real("y")

with evaluate(False):
    d.start(log(x * y))
    d.step(log(x) + log(y), "the log of a product")
