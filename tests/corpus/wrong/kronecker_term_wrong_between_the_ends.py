"""The softmax Jacobian with its δᵢₖ term scaled by 1 + (i − 1)(i − 2)(K − i): right wherever
i = k is 1, 2 or K, wrong for i = k = 3 of 5.
"""

from sympy import Derivative, KroneckerDelta, Sum, evaluate, exp

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("softmax_jacobian_between_the_ends", __doc__)
K = d.size("K", meaning="the number of classes")
j = d.index("j", K, "a class, summed over")
i = d.index("i", K, "the output class")
k = d.index("k", K, "the score we differentiate by")
z = d.vector("z", K, meaning="the scores")
p = d.define("p", exp(z[i]) / Sum(exp(z[j]), (j, 1, K)), "the softmax", index=i)

with evaluate(False):
    d.start(Derivative(p[i], z[k]))
    d.step(p[i] * (KroneckerDelta(i, k) * (1 + (i - 1) * (i - 2) * (K - i)) - p[k]),
           "differentiate the softmax")
