"""The gradient of the mean of squares keeps its 1/m.
"""

from sympy import Derivative, Sum, evaluate

from gradbook import Derivation

d = Derivation("mean_squares_gradient", __doc__)
m = d.size("m")
i = d.index("i", m, "a data point, summed over")
x = d.vector("x", m)
y = d.vector("y", m)
w = d.real("w")

with evaluate(False):
    d.start(Derivative(Sum((w * x[i] - y[i]) ** 2, (i, 1, m)) / m, w))
    d.step(2 * Sum((w * x[i] - y[i]) * x[i], (i, 1, m)) / m, "differentiate under the sum")
