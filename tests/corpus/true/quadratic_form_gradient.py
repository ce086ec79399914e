"""∂(xᵀAx)/∂xₖ = Σⱼ (Aₖⱼ + Aⱼₖ)xⱼ, for a square A that need not be symmetric.
"""

from sympy import Derivative, Sum, evaluate

from gradbook import Derivation

d = Derivation("quadratic_form_gradient_general", __doc__)
n = d.size("n")
i = d.index("i", n, "summed over")
j = d.index("j", n, "summed over")
k = d.index("k", n, "the coordinate we differentiate by")
A = d.matrix("A", n, n)
x = d.vector("x", n)

with evaluate(False):
    d.start(Derivative(Sum(Sum(x[i] * A[i, j] * x[j], (j, 1, n)), (i, 1, n)), x[k]))
    d.step(Sum((A[k, j] + A[j, k]) * x[j], (j, 1, n)), "the product rule on xᵢxⱼ")
