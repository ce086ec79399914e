"""Σⱼ(xⱼ − x̄)² = Σⱼ xⱼ² − (Σⱼ xⱼ)²/n, with x̄ the mean.
"""

from sympy import Sum, evaluate

from gradbook import Derivation

d = Derivation("sum_of_squared_deviations", __doc__)
n = d.size("n")
i = d.index("i", n, "summed over")
j = d.index("j", n, "summed over")
x = d.vector("x", n)

with evaluate(False):
    d.start(Sum((x[j] - Sum(x[i], (i, 1, n)) / n) ** 2, (j, 1, n)))
    d.step(Sum(x[j] ** 2, (j, 1, n)) - Sum(x[j], (j, 1, n)) ** 2 / n, "multiply out the square")
