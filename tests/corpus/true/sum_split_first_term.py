"""Σⱼ₌₁ⁿ xⱼ = x₁ + Σⱼ₌₂ⁿ xⱼ, true for n = 1 too (the second sum is then empty).
"""

from sympy import Sum, evaluate

from gradbook import Derivation

d = Derivation("peel_off_first_term", __doc__)
n = d.size("n")
j = d.index("j", n, "summed over")
x = d.vector("x", n)

with evaluate(False):
    d.start(Sum(x[j], (j, 1, n)))
    d.step(x[1] + Sum(x[j], (j, 2, n)), "take out the first term")
