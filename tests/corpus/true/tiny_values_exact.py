"""Exact rewritings of tiny numbers: σ(z)/10⁴⁰ and e⁻ᶻ/10⁶⁰ in other forms.

The values are below 10⁻³⁵; a checker that measures differences relative to the values
must still accept exact rewritings, and the rounding of log 10 must not count.
"""

from sympy import Rational, evaluate, exp, log

from gradbook import Derivation, sigmoid

d = Derivation("tiny_scale_rewritten", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(sigmoid(z) / 10**40 + exp(-z) / 10**60)
    d.step(Rational(1, 10**40) * sigmoid(z) + exp(-z - 60 * log(10)), "10⁻⁶⁰ = e^(−60 log 10)")
