"""max(a, b) as cases whose switch is moved to a = b + 10⁻⁹.

For b < a ≤ b + 10⁻⁹ the cases give b; the switch point here is a line a = b, not a number.
"""

from sympy import Max, Piecewise, Rational, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("max_of_two_late_switch", __doc__)
a = d.real("a")
b = d.real("b")

with evaluate(False):
    d.start(Max(a, b))
    d.step(Piecewise((a, a > b + Rational(1, 10**9)), (b, True)), "max(a, b) as cases")
