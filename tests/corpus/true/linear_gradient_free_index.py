"""∂(Σⱼ wⱼxⱼ + b)/∂wₖ = xₖ, with the free index k checked where it meets j and where it does not.
"""

from sympy import Derivative, Sum, evaluate

from gradbook import Derivation

d = Derivation("dot_product_partial", __doc__)
n = d.size("n")
j = d.index("j", n, "summed over")
k = d.index("k", n, "the weight we differentiate by")
w = d.vector("w", n)
x = d.vector("x", n)
b = d.real("b")

with evaluate(False):
    d.start(Derivative(Sum(w[j] * x[j], (j, 1, n)) + b, w[k]))
    d.step(x[k], "only wₖxₖ depends on wₖ")
