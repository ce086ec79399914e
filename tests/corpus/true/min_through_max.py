"""min(z, 0) = z − max(z, 0), and min(a, b) = −max(−a, −b).
"""

from sympy import Max, Min, evaluate

from gradbook import Derivation

d = Derivation("minimum_as_maximum", __doc__)
z = d.real("z")
a = d.real("a")
b = d.real("b")

with evaluate(False):
    d.start(Min(z, 0) + Min(a, b))
    d.step(z - Max(z, 0) - Max(-a, -b), "min(u, v) = −max(−u, −v) and min(z, 0) + max(z, 0) = z")
