"""A sum over n entries cut at min(n, 3).

The cut changes nothing for n ≤ 3 and drops the entries x₄ … xₙ for larger n.
"""

from sympy import Min, Sum, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("truncated_sum", __doc__)
n = d.size("n")
j = d.index("j", n, "an entry, summed over")
x = d.vector("x", n)

with evaluate(False):
    d.start(Sum(x[j] ** 2, (j, 1, n)))
    d.step(Sum(x[j] ** 2, (j, 1, Min(n, 3))), "the first three entries are all there is")
