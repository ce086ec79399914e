"""A sum with a term (n − 1)(n − 2)(n − 3) added.

The extra term is zero for n = 1, 2, 3 and 6 at n = 4: a checker that tries only small sizes
accepts it.
"""

from sympy import Sum, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("sum_with_cubic_term", __doc__)
n = d.size("n", meaning="the number of entries")
j = d.index("j", n, "an entry, summed over")
x = d.vector("x", n)

with evaluate(False):
    d.start(Sum(x[j], (j, 1, n)))
    d.step(Sum(x[j], (j, 1, n)) + (n - 1) * (n - 2) * (n - 3), "nothing is added")
