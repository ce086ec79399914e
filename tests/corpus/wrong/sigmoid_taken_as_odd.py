"""σ(−z) written as −σ(z). The right reflection is σ(−z) = 1 − σ(z).
"""

from sympy import evaluate

from gradbook import Derivation, sigmoid

WRONG_STEP = 2

d = Derivation("sigmoid_reflection_as_odd", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(sigmoid(-z))
    d.step(-sigmoid(z), "σ is odd")
