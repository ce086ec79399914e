"""(a + b)² written as a² + b²: the cross term 2ab is missing.
"""

from sympy import evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("binomial_without_cross_term", __doc__)
a = d.real("a")
b = d.real("b")

with evaluate(False):
    d.start((a + b) ** 2)
    d.step(a**2 + b**2, "square each term")
