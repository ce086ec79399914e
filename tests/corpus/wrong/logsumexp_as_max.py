"""log(eᵃ + eᵇ) written as max(a, b).

The max is a lower bound; the gap log(1 + e^−|a−b|) is never zero.
"""

from sympy import Max, evaluate, exp, log

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("log_sum_exp_is_the_max", __doc__)
a = d.real("a")
b = d.real("b")

with evaluate(False):
    d.start(log(exp(a) + exp(b)))
    d.step(Max(a, b), "the largest exponential dominates")
