"""d(wx − y)²/dw written as (wx − y)x: the 2 of the power rule is dropped.
"""

from sympy import Derivative, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("square_loss_slope_without_two", __doc__)
w = d.real("w")
x = d.real("x")
y = d.real("y")

with evaluate(False):
    d.start(Derivative((w * x - y) ** 2, w))
    d.step((w * x - y) * x, "the power rule")
