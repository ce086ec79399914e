"""A dot product with binomial(n − 1, 3)·w₁ added.

binomial(n − 1, 3) is zero for n ≤ 3 and 1 at n = 4.
"""

from sympy import Sum, binomial, evaluate

from gradbook import Derivation

WRONG_STEP = 3

d = Derivation("dot_product_binomial_term", __doc__)
n = d.size("n", meaning="the number of features")
j = d.index("j", n, "a feature, summed over")
w = d.vector("w", n, meaning="the weights")
x = d.vector("x", n, meaning="the features")

with evaluate(False):
    d.start(Sum(w[j] * x[j], (j, 1, n)))
    d.step(Sum(x[j] * w[j], (j, 1, n)), "the product commutes")
    d.step(Sum(x[j] * w[j], (j, 1, n)) + binomial(n - 1, 3) * w[1], "nothing is added")
