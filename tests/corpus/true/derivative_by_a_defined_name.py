"""∂BCE(y, ŷ)/∂ŷ with ŷ = σ(z) a defined name, then the logit gradient through ŷ.
"""

from sympy import Derivative, evaluate

from gradbook import Derivation, binary_cross_entropy, domains, sigmoid

d = Derivation("derivative_through_definition", __doc__)
z = d.real("z")
y = d.scalar("y", domains.SOFT_LABEL)
yhat = d.define("yhat", sigmoid(z), "the prediction")

with evaluate(False):
    d.start(Derivative(binary_cross_entropy(y, yhat), yhat))
    d.step(-y / yhat + (1 - y) / (1 - yhat), "the derivative of BCE by its prediction")

with evaluate(False):
    d.start(Derivative(binary_cross_entropy(y, yhat), z))
    d.step((-y / yhat + (1 - y) / (1 - yhat)) * yhat * (1 - yhat), "the chain rule; σ′ = σ(1 − σ)")
    d.step(yhat - y, "expand")
