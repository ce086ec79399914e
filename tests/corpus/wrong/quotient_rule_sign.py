"""The quotient rule with + instead of −: (u/v)′ = (u′v + uv′)/v².
"""

from sympy import Derivative, evaluate, exp

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("quotient_rule_plus", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Derivative(exp(z) / (1 + z**2), z))
    d.step((exp(z) * (1 + z**2) + exp(z) * (2 * z)) / (1 + z**2) ** 2, "the quotient rule")
