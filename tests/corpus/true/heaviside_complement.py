"""H(z) + H(−z) = 1 for every z, with H(0) = 1/2.
"""

from sympy import Heaviside, Integer, evaluate

from gradbook import Derivation

d = Derivation("step_function_halves", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Heaviside(z) + Heaviside(-z))
    d.step(Integer(1), "exactly one side is on, and at 0 each is one half")
