"""A loss ℓ of pₖΣᵢyᵢ − yₖ rewritten as ℓ(pₖ − yₖ) with Σᵢ yᵢ = 1, declared with assume(),
which soft labels in [0, 1] need not meet: their sum can be anything from 0 to K.

ℓ is an abstract function, so no point can be evaluated and the prover decides, substituting
the unchecked assumption.
"""

from sympy import Function, Sum, evaluate

from gradbook import Derivation, domains

WRONG_STEP = 2

d = Derivation("assume_smuggled_abstract", __doc__)
K = d.size("K", checked_at=(2, 3, 4))
i = d.index("i", K, "a class, summed over")
k = d.index("k", K, "a class")
y = d.vector("y", K, domains.SOFT_LABEL, "soft labels, each in [0, 1]")
p = d.vector("p", K, domains.SIMPLEX, "predictions")
loss = Function("ell", real=True)
d.assume(Sum(y[i], (i, 1, K)), 1, "Σᵢ yᵢ = 1")

with evaluate(False):
    d.start(loss(p[k] * Sum(y[i], (i, 1, K)) - y[k]))
    d.step(loss(p[k] - y[k]), "the labels sum to one")
