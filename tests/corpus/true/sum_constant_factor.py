"""Σⱼ c·xⱼ = c·Σⱼ xⱼ for a symbolic number of terms.
"""

from sympy import Sum, evaluate

from gradbook import Derivation

d = Derivation("constant_out_of_a_sum", __doc__)
n = d.size("n")
j = d.index("j", n, "summed over")
x = d.vector("x", n)
c = d.real("c")

with evaluate(False):
    d.start(Sum(c * x[j], (j, 1, n)))
    d.step(c * Sum(x[j], (j, 1, n)), "c does not depend on j")
