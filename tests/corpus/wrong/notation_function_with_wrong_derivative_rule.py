"""ReLU′ = 1 everywhere, from a notation function whose own derivative rule is wrong.

relu(z) = max(0, z) is defined correctly; its fdiff says 1, so Derivative(relu(z), z) "is" 1,
also for z < 0 where it is 0.
"""

from sympy import Derivative, Max, S, evaluate

from gradbook import Derivation
from gradbook.notation import NotationFunction


class relu(NotationFunction):
    nargs = 1
    latex_name = r"\operatorname{ReLU}"
    unicode_name = "ReLU"
    has_kernel = False

    def definition(self):
        return Max(0, self.args[0])

    def fdiff(self, argindex=1):
        return S.One


WRONG_STEP = 2

d = Derivation("relu_prime_is_one", __doc__)
z = d.real("z")

with evaluate(False):
    d.start(Derivative(relu(z), z))
    d.step(S.One, "ReLU passes the gradient through")
