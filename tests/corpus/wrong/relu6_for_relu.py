"""ReLU written as ReLU6, min(max(z, 0), 6).

The cap at 6 changes every z > 6.
"""

from sympy import Abs, Max, Min, evaluate

from gradbook import Derivation

WRONG_STEP = 3

d = Derivation("relu_capped_at_six", __doc__)
z = d.real("z", "a pre-activation")

with evaluate(False):
    d.start(Max(z, 0))
    d.step((z + Abs(z)) / 2, "max(z, 0) = (z + |z|)/2")
    d.step(Min(Max(z, 0), 6), "activations never exceed 6")
