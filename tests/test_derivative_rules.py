"""A notation function's derivative rule (its fdiff) is held to the derivative of its definition.

The expected derivatives come from SymPy differentiating the definitions, evaluated at 30 digits,
not from the rules under test.
"""

from __future__ import annotations

import sympy as sp

from gradbook import notation
from gradbook.derivative_rules import wrong_rule

z, y, p = sp.symbols("z y p", real=True)


def test_gradbook_s_own_rules_agree_with_their_definitions():
    assert wrong_rule(notation.sigmoid(z), notation.softplus(z), notation.binary_cross_entropy(y, p)) is None


class relu(notation.NotationFunction):
    """max(0, z) with the rule of the identity: right for z > 0 only."""

    nargs = 1
    has_kernel = False

    def definition(self):
        return sp.Max(0, self.args[0])

    def fdiff(self, argindex=1):
        return sp.S.One


class second_argument_wrong(notation.NotationFunction):
    """x·y² with ∂/∂y = 2y instead of 2xy: only the second argument's rule is wrong."""

    nargs = 2
    has_kernel = False

    def definition(self):
        return self.args[0] * self.args[1] ** 2

    def fdiff(self, argindex=1):
        w = self.args[1]
        return w**2 if argindex == 1 else 2 * w


class no_rule_of_its_own(notation.NotationFunction):
    """Differentiated as SymPy's Function does: nothing to compare."""

    nargs = 1
    has_kernel = False

    def definition(self):
        return self.args[0] ** 3


def test_a_rule_wrong_on_one_side_of_a_kink_is_found():
    message = wrong_rule(sp.Derivative(relu(z), z))
    assert message is not None and "relu" in message and "argument 1" in message


def test_a_rule_wrong_for_the_second_argument_only_is_found():
    message = wrong_rule(second_argument_wrong(z, y))
    assert message is not None and "argument 2" in message


def test_a_function_without_a_rule_of_its_own_is_not_compared():
    assert wrong_rule(no_rule_of_its_own(z)) is None


def test_a_rule_replaced_at_run_time_is_compared_again(monkeypatch):
    assert wrong_rule(notation.sigmoid(z)) is None
    monkeypatch.setattr(notation.sigmoid, "fdiff", lambda self, argindex=1: self * (1 + self))
    message = wrong_rule(notation.sigmoid(z))
    assert message is not None and "sigmoid" in message
