"""softmax(z + s) = softmax(z): the scores shifted by s are a defined vector w.
"""

from sympy import Sum, evaluate, exp

from gradbook import Derivation, softmax

d = Derivation("softmax_shift_invariance", __doc__)
K = d.size("K")
c = d.index("c", K, "a class")
j = d.index("j", K, "a class, summed over")
k = d.index("k", K, "a class")
z = d.vector("z", K)
s = d.real("s", "a shift")
w = d.define("w", z[c] + s, "the shifted scores", index=c)

with evaluate(False):
    d.start(softmax(w, k, K))
    d.step(exp(w[k]) / Sum(exp(w[j]), (j, 1, K)), "the definition of the softmax")
    d.step(exp(z[k] + s) / Sum(exp(z[j] + s), (j, 1, K)), "the definition of w")
    d.step(exp(z[k]) / Sum(exp(z[j]), (j, 1, K)), "cancel exp(s)")
    d.step(softmax(z, k, K), "the definition of the softmax")
