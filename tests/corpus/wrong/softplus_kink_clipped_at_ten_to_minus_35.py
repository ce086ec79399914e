"""log(1 + e^(−|z|)) written as log(1 + e^(−max(|z|, 10⁻³⁵))): wrong for |z| < 10⁻³⁵.

Random reals are at least 10⁻⁸ in size; the switch points reach |z| < 10⁻³⁵, but there the two
sides differ by about 10⁻³⁵ relatively, and switch points are compared to 25 digits.
"""

from sympy import Abs, Max, Rational, evaluate, exp, log

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("softplus_tail_clipped", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(log(1 + exp(-Abs(z))))
    d.step(log(1 + exp(-Max(Abs(z), Rational(1, 10**35)))), "keep |z| away from 0; changes nothing")
