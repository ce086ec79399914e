"""log(eᶻ) = z for a real z, including large z where eᶻ is huge.
"""

from sympy import evaluate, exp, log

from gradbook import Derivation

d = Derivation("log_exp_round_trip", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(log(exp(z)))
    d.step(z, "log inverts exp on the reals")
