"""e^(1000z) = (eᶻ)¹⁰⁰⁰: values far beyond floating point for moderate z.
"""

from sympy import evaluate, exp

from gradbook import Derivation

d = Derivation("thousandth_power_of_exp", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(exp(1000 * z))
    d.step(exp(z) ** 1000, "(eᵃ)ᵇ = e^(ab)")
