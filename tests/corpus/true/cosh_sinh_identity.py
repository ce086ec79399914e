"""cosh² − sinh² = 1: an exact identity whose left side cancels 2|z|/ln 10 digits.
"""

from sympy import Integer, cosh, evaluate, sinh

from gradbook import Derivation

d = Derivation("hyperbolic_pythagoras", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(cosh(z) ** 2 - sinh(z) ** 2)
    d.step(Integer(1), "cosh² − sinh² = 1")
