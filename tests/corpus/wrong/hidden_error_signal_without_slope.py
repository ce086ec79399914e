"""∂E/∂c_h of a hidden sigmoid unit written as (ŷ − y)w_h: the slope a_h(1 − a_h) is forgotten.
"""

from sympy import Derivative, Sum, evaluate

from gradbook import Derivation, binary_cross_entropy, domains, sigmoid

WRONG_STEP = 2

d = Derivation("hidden_error_signal_without_slope", __doc__)
n = d.size("n", checked_at=(1, 2), only=True)
H = d.size("H", checked_at=(1, 2, 3), only=True)
h = d.index("h", H, "a hidden unit")
g = d.index("g", H, "a hidden unit, summed over")
k = d.index("k", n, "an input, summed over")
x = d.vector("x", n)
V = d.matrix("V", H, n)
c = d.vector("c", H)
w = d.vector("w", H)
b = d.real("b")
y = d.scalar("y", domains.LABEL)
a = d.define("a", sigmoid(Sum(V[h, k] * x[k], (k, 1, n)) + c[h]), index=h)
yhat = d.define("yhat", sigmoid(Sum(w[g] * a[g], (g, 1, H)) + b))

with evaluate(False):
    d.start(Derivative(binary_cross_entropy(y, yhat), c[h]))
    d.step((yhat - y) * w[h], "the error signal at the output, passed back along w_h")
