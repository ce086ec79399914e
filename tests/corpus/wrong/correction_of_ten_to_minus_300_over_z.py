"""z + 10⁻³⁰⁰/z written for z: the added term matters only for |z| below about 10⁻¹⁵⁰.
"""

from sympy import evaluate

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("epsilon_over_z", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(z)
    d.step(z + 1 / (10**300 * z), "the correction is negligible")
