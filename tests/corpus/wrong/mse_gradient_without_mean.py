"""The gradient of a mean of squares written without the 1/m.

The cost has the mean, (1/m)Σᵢ(wxᵢ − yᵢ)², so its gradient keeps the 1/m; the step drops it,
which is right only for m = 1.
"""

from sympy import Derivative, Sum, evaluate

from gradbook import Derivation

WRONG_STEP = 3

d = Derivation("mse_gradient_forgets_one_over_m", __doc__)
m = d.size("m", meaning="the number of data points")
i = d.index("i", m, "a data point, summed over")
x = d.vector("x", m, meaning="the inputs")
y = d.vector("y", m, meaning="the targets")
w = d.real("w", "the weight")

with evaluate(False):
    d.start(Derivative(Sum((w * x[i] - y[i]) ** 2, (i, 1, m)) / m, w))
    d.step(Sum(2 * (w * x[i] - y[i]) * x[i], (i, 1, m)) / m, "differentiate under the sum")
    d.step(2 * Sum((w * x[i] - y[i]) * x[i], (i, 1, m)), "take the 2 out of the sum")
