"""exp(exp(exp(exp(z)))) times one.

The values are astronomically large for moderate z (at z = 3 the number has 10²²⁶ digits);
a checker has to cope without hanging and without calling the step wrong.
"""

from sympy import Mul, evaluate, exp

from gradbook import Derivation

d = Derivation("exp_exp_exp_exp", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(exp(exp(exp(exp(z)))))
    d.step(Mul(1, exp(exp(exp(exp(z))))), "multiply by one")
