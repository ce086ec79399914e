"""σ(z)/10⁴⁰ written as 2σ(z)/10⁴⁰.

The two differ by a factor 2; a checker that measures the difference against max(1, |value|)
sees only 10⁻⁴⁰ and calls it rounding.
"""

from sympy import evaluate

from gradbook import Derivation, sigmoid

WRONG_STEP = 2

d = Derivation("tiny_scaled_sigmoid", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(sigmoid(z) / 10**40)
    d.step(2 * sigmoid(z) / 10**40, "doubling changes nothing")
