"""e^(a + b) written as eᵃ + eᵇ instead of eᵃeᵇ.
"""

from sympy import evaluate, exp

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("exponential_of_sum_split", __doc__)
a = d.real("a")
b = d.real("b")

with evaluate(False):
    d.start(exp(a + b))
    d.step(exp(a) + exp(b), "the exponential of a sum")
