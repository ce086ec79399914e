"""exp(−z² − 100) written as 2·exp(−z² − 100).

Both sides are below 10⁻⁴³ everywhere; they still differ by a factor 2.
"""

from sympy import evaluate, exp

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("doubled_tiny_gaussian", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(exp(-(z**2) - 100))
    d.step(2 * exp(-(z**2) - 100), "doubling changes nothing")
