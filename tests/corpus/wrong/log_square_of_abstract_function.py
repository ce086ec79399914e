"""log(f(z)²) = 2 log f(z) for an abstract real function f: false where f(z) < 0.

An undefined function cannot be evaluated, so only the prover looks at the step.
"""

from sympy import Function, evaluate, log

from gradbook import Derivation

WRONG_STEP = 2

d = Derivation("abstract_log_square", __doc__)
z = d.real("z")
f = Function("f", real=True)

with evaluate(False):
    d.start(log(f(z) ** 2))
    d.step(2 * log(f(z)), "bring the power down")
