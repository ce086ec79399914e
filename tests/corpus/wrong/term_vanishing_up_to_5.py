"""A term that vanishes for every n ≤ 5 added to a sum of squares.

(n − 1)(n − 2)(n − 3)(n − 4)(n − 5)x₁² is zero for n = 1 … 5 and only shows at n = 6.
"""

from sympy import Sum, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("squares_with_quintic_term", __doc__)
n = d.size("n", checked_at=(1, 2, 3, 4, 5))
j = d.index("j", n, "an entry, summed over")
x = d.vector("x", n)

with evaluate(False):
    d.start(Sum(x[j] ** 2, (j, 1, n)))
    d.step(
        Sum(x[j] ** 2, (j, 1, n)) + (n - 1) * (n - 2) * (n - 3) * (n - 4) * (n - 5) * x[1] ** 2,
        "nothing is added",
    )
