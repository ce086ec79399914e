"""ReLU written with its threshold at 10⁻⁶ instead of 0.

For 0 < z ≤ 10⁻⁶ the step gives 0 where max(z, 0) = z.
"""

from sympy import Max, Piecewise, Rational, evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("relu_late_threshold", __doc__)
a = d.real("a", "a pre-activation")

with evaluate(False):
    d.start(Max(a, 0))
    d.step(Piecewise((a, a > Rational(1, 10**6)), (0, True)), "max(a, 0) as cases")
