"""∂(Σⱼ wⱼxⱼ + b)/∂wₖ written with x_l for x_q.

The summation index leaks into the result: right only where the two indices coincide.
"""

from sympy import Derivative, Sum, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("perceptron_partial_wrong_feature", __doc__)
n = d.size("n", meaning="the number of features")
l = d.index("l", n, "a feature, summed over")
q = d.index("q", n, "the weight we differentiate by")
w = d.vector("w", n, meaning="the weights")
x = d.vector("x", n, meaning="the features")
b = d.real("b", "the bias")

with evaluate(False):
    d.start(Derivative(Sum(w[l] * x[l], (l, 1, n)) + b, w[q]))
    d.step(x[l], "only the term with the weight survives")
