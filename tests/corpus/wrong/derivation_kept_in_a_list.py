"""A wrong step in a derivation kept in a list (not a module-level name), its exception caught.

The module-level derivation is right; the one in the list refuses its step, and the loader
counts every derivation the script builds, not only those bound to module-level names.
"""

from sympy import evaluate

from gradbook import Derivation, sigmoid
from gradbook.errors import GradbookError

WRONG_STEP = 2

d = Derivation("module_level_fine", __doc__)
z = d.real("z")
with evaluate(False):
    d.start(sigmoid(z))
    d.step(1 / (1 + 1 / __import__("sympy").exp(z)), "the definition of σ")

extra = []
for _ in range(1):
    e = Derivation("in_a_list", __doc__)
    u = e.real("u")
    extra.append(e)
    try:
        with evaluate(False):
            e.start(sigmoid(u))
            e.step(sigmoid(u) * (1 + sigmoid(u)), "σ(1 + σ)")
    except GradbookError:
        pass
del e
