"""From maximum likelihood to the cross-entropy loss.

A model that gives each of m independent points the probability pᵢ of its observed label gives
the whole data set the probability Πᵢ pᵢ, its likelihood; the best model is the one with the
largest likelihood. A product of m numbers below one soon underflows and is awkward to
differentiate, so we take −log: it turns the product into the sum Σᵢ −log pᵢ, and because −log
is decreasing, maximising the likelihood is the same as minimising that sum. For labels
y ∈ {0, 1} predicted with probability ŷ, the per-point term −log P(y | ŷ) is exactly the binary
cross-entropy.
"""

from sympy import Product, Sum, log

from gradbook import Derivation, domains, numbers

d = Derivation("maximum_likelihood", __doc__, source=__file__)
m = d.size("m", checked_at=(1, 2, 3, 4), meaning="the number of data points")
i = d.index("i", m, "a data point")
p = d.vector("p", m, domains.PROBABILITY, "the probability the model gives the label of point i")
yhat = d.vector("yhat", m, domains.PROBABILITY, "the predicted probability that point i has label 1")
y = d.vector("y", m, domains.LABEL, "the label of point i")


def bernoulli(label, prediction):
    """P(label | prediction) for a label in {0, 1}, in one formula."""
    return prediction**label * (1 - prediction) ** (1 - label)


with d.chain("Minus the log-likelihood is a sum"):
    d.start(-log(Product(p[i], (i, 1, m))))
    d.step(-Sum(log(p[i]), (i, 1, m)), "log(ab) = log a + log b for a, b > 0, once per factor")
    d.step(Sum(-log(p[i]), (i, 1, m)), "take the minus sign into the sum")
d.result("negative_log_likelihood")

with d.chain("The probability of one label, P(yᵢ | ŷᵢ)"):
    d.start(bernoulli(y[i], yhat[i]))
    d.step(
        y[i] * yhat[i] + (1 - y[i]) * (1 - yhat[i]),
        "yᵢ ∈ {0, 1}: one factor is raised to the power 0, the other to the power 1",
    )

with d.chain("Minus its logarithm is the binary cross-entropy"):
    d.start(-log(bernoulli(y[i], yhat[i])))
    d.step(
        -(log(yhat[i] ** y[i]) + log((1 - yhat[i]) ** (1 - y[i]))),
        "log(ab) = log a + log b, both factors positive",
    )
    d.step(-(y[i] * log(yhat[i]) + (1 - y[i]) * log(1 - yhat[i])), "log(aᵇ) = b log a for a > 0")
    d.step(-y[i] * log(yhat[i]) - (1 - y[i]) * log(1 - yhat[i]), "take the minus sign into the bracket")
d.result("bernoulli_negative_log")

with d.chain("For m labelled points: the total cross-entropy"):
    d.start(-log(Product(bernoulli(y[i], yhat[i]), (i, 1, m))))
    d.step(
        Sum(-log(bernoulli(y[i], yhat[i])), (i, 1, m)),
        "minus the log of a product of probabilities is the sum of their minus logs",
    )
    d.step(
        Sum(-y[i] * log(yhat[i]) - (1 - y[i]) * log(1 - yhat[i]), (i, 1, m)),
        "the previous chain, for each point i",
    )
d.result("cross_entropy_likelihood")

p_1, p_2, p_3, p_4 = numbers(0.6, 0.2, 0.1, 0.7)
with d.chain("A worked example: four points given probabilities 0.6, 0.2, 0.1 and 0.7"):
    d.start(-log(p_1 * p_2 * p_3 * p_4))
    d.step(-log(p_1) - log(p_2) - log(p_3) - log(p_4), "log(ab) = log a + log b, for each factor")

d.note(
    "The four probabilities multiply to 0.0084, and minus the log of that is about 4.78; a "
    "second model that gives the same four points 0.7, 0.9, 0.8 and 0.6 has likelihood 0.3024 "
    "and a sum of minus logs of about 1.20. The larger likelihood is the smaller sum."
)
d.note(
    "The formula for P(yᵢ | ŷᵢ) is only claimed for yᵢ ∈ {0, 1}, and only checked there; at "
    "yᵢ = 1/2 its two forms differ. For soft labels the cross-entropy is "
    "still a sensible loss, but no longer minus the log of a probability of this form."
)

if __name__ == "__main__":
    d.main()
