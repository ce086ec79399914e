"""K declared with checked_at=(9,) (a K of at least 9): the sum cut at min(K, 9).

The declaration checks K = 9 alone, where the cut changes nothing; K = 10, just past the 9 the
step compares K with, shows it.
"""

from sympy import Min, Sum, evaluate, exp

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("softmax_denominator_nine", __doc__)
K = d.size("K", checked_at=(9,), meaning="the number of classes, at least 9")
j = d.index("j", K, "a class, summed over")
z = d.vector("z", K)

with evaluate(False):
    d.start(Sum(exp(z[j]), (j, 1, K)))
    d.step(Sum(exp(z[j]), (j, 1, Min(K, 9))), "the first nine classes")
