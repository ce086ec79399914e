"""log(eᵃ + eᵇ) = max(a, b) + log(1 + e^−|a − b|).
"""

from sympy import Abs, Max, evaluate, exp, log

from gradbook import Derivation

d = Derivation("log_sum_exp_of_two", __doc__)
a = d.real("a")
b = d.real("b")

with evaluate(False):
    d.start(log(exp(a) + exp(b)))
    d.step(Max(a, b) + log(1 + exp(-Abs(a - b))), "take the larger exponential out")
