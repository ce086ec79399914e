"""∂(Σⱼ wⱼxⱼ + b)/∂wₖ written with x_i for x_t.

The summation index leaks into the result: right only where the two indices coincide.
"""

from sympy import Derivative, Sum, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("neuron_gradient_index_slip", __doc__)
n = d.size("n", meaning="the number of features")
i = d.index("i", n, "a feature, summed over")
t = d.index("t", n, "the weight we differentiate by")
w = d.vector("w", n, meaning="the weights")
x = d.vector("x", n, meaning="the features")
b = d.real("b", "the bias")

with evaluate(False):
    d.start(Derivative(Sum(w[i] * x[i], (i, 1, n)) + b, w[t]))
    d.step(x[i], "only the term with the weight survives")
