"""∂(Σⱼ wⱼxⱼ + b)/∂wₖ written with x_j for x_k.

The summation index leaks into the result: right only where the two indices coincide.
"""

from sympy import Derivative, Sum, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("linear_unit_weight_gradient", __doc__)
n = d.size("n", meaning="the number of features")
j = d.index("j", n, "a feature, summed over")
k = d.index("k", n, "the weight we differentiate by")
w = d.vector("w", n, meaning="the weights")
x = d.vector("x", n, meaning="the features")
b = d.real("b", "the bias")

with evaluate(False):
    d.start(Derivative(Sum(w[j] * x[j], (j, 1, n)) + b, w[k]))
    d.step(x[j], "only the term with the weight survives")
