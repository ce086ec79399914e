"""floor(K/5) added to the softmax denominator.

The term is zero for K ≤ 4, the sizes the derivation declares; at K = 5 the softmax no longer
sums to one.
"""

from sympy import Sum, evaluate, exp, floor

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("softmax_floor_term", __doc__)
K = d.size("K", checked_at=(2, 3, 4), meaning="the number of classes")
j = d.index("j", K, "a class, summed over")
k = d.index("k", K, "a class")
z = d.vector("z", K, meaning="the scores")

with evaluate(False):
    d.start(exp(z[k]) / Sum(exp(z[j]), (j, 1, K)))
    d.step(exp(z[k]) / (Sum(exp(z[j]), (j, 1, K)) + floor(K / 5)), "nothing is added")
