"""The derivative of the log-sigmoid.

(log σ)′(z) = 1 − σ(z): the gradient of a log-probability through a sigmoid needs no division,
because σ′ = σ(1 − σ) cancels the σ in the denominator.
"""

from sympy import Derivative, log

from gradbook import Derivation, sigmoid

d = Derivation("log_sigmoid_prime", __doc__, uses=["sigmoid_prime"], source=__file__)
z = d.real("z", "the input, a logit")

with d.chain("(log σ)′ in terms of σ"):
    d.start(Derivative(log(sigmoid(z)), z))
    d.step(Derivative(sigmoid(z), z) / sigmoid(z), "the chain rule: (log u)′ = u′/u")
    d.step(sigmoid(z) * (1 - sigmoid(z)) / sigmoid(z), "σ′ = σ(1 − σ), derived in sigmoid_prime")
    d.step(1 - sigmoid(z), "cancel σ(z)")
d.result("log_sigmoid_prime", arguments=(z,))

# The page: part 6 of the learning path, after the shipped derivations' parts 1 to 5 (the page
# of sigmoid_prime, in part 2, comes with it). See "Write your own derivation" for the rest.
d.page(part=6, section="Building on the sigmoid", order=1)

if __name__ == "__main__":
    d.main()
