"""log(xy) = log x + log y and log(x/y) = log x − log y for positive x and y.
"""

from sympy import evaluate, log

from gradbook import Derivation, domains

d = Derivation("log_of_product_of_positives", __doc__)
x = d.scalar("x", domains.POSITIVE)
y = d.scalar("y", domains.POSITIVE)

with evaluate(False):
    d.start(log(x * y) - log(x / y))
    d.step((log(x) + log(y)) - (log(x) - log(y)), "the logarithm of a product and of a quotient")
    d.step(2 * log(y), "collect")
