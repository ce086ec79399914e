"""⌈z⌉ written as ⌊z⌋ + 1: wrong exactly at the integers.
"""

from sympy import ceiling, evaluate, floor

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("ceiling_floor_plus_one", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(ceiling(z))
    d.step(floor(z) + 1, "the ceiling is the floor plus one")
