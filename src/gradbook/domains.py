"""Where each symbol of a derivation lives, and how to draw random points there.

A step is only checked where it is claimed to hold: log(ab) = log a + log b is false for
negative reals, and ∂L/∂z = p − y needs labels that sum to one. So every symbol a derivation
declares carries a domain, and the numeric check samples from exactly that domain, in mpmath
precision (normalising a probability vector in float64 would leave an error of 1e−17 that a
40-digit comparison would rightly call a counterexample).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import mpmath


@dataclass(frozen=True)
class Domain:
    """A set of values with a sampler; ``latex`` is how the page names the set."""

    name: str
    latex: str

    def sample(self, rng: random.Random) -> mpmath.mpf:
        raise NotImplementedError

    def sample_vector(self, rng: random.Random, size: int) -> list[mpmath.mpf]:
        """Entries of a vector of ``size`` entries from this domain; independent by default."""
        return [self.sample(rng) for _ in range(size)]


@dataclass(frozen=True)
class RealLine(Domain):
    """All reals; mostly moderate values, sometimes larger ones of either sign.

    Values stay below 6 in magnitude so that a sum of a few products (a logit Σ wⱼxⱼ + b)
    never saturates σ beyond what ``checking.DIGITS`` digits can resolve.
    """

    def sample(self, rng: random.Random) -> mpmath.mpf:
        if rng.random() < 0.7:
            return mpmath.mpf(rng.uniform(-3, 3))
        return mpmath.mpf(rng.choice((-1, 1)) * rng.uniform(3, 6))


@dataclass(frozen=True)
class PositiveReals(Domain):
    def sample(self, rng: random.Random) -> mpmath.mpf:
        return mpmath.exp(mpmath.mpf(rng.uniform(-4, 4)))


@dataclass(frozen=True)
class OpenUnitInterval(Domain):
    """Probabilities strictly between 0 and 1 (predictions ŷ, where log ŷ is finite)."""

    def sample(self, rng: random.Random) -> mpmath.mpf:
        return mpmath.mpf(rng.uniform(0.001, 0.999))


@dataclass(frozen=True)
class ClosedUnitInterval(Domain):
    """Soft labels in [0, 1]; the end points are drawn on purpose."""

    def sample(self, rng: random.Random) -> mpmath.mpf:
        if rng.random() < 0.25:
            return mpmath.mpf(rng.choice((0, 1)))
        return mpmath.mpf(rng.random())


@dataclass(frozen=True)
class BinaryLabels(Domain):
    def sample(self, rng: random.Random) -> mpmath.mpf:
        return mpmath.mpf(rng.choice((0, 1)))


@dataclass(frozen=True)
class Simplex(Domain):
    """Probability vectors: non-negative entries that sum to one (exactly, in mpmath)."""

    def sample(self, rng: random.Random) -> mpmath.mpf:
        raise TypeError("a probability vector has no scalar entries of its own; use sample_vector")

    def sample_vector(self, rng: random.Random, size: int) -> list[mpmath.mpf]:
        weights = [mpmath.mpf(rng.expovariate(1.0)) for _ in range(size)]
        total = mpmath.fsum(weights)
        return [weight / total for weight in weights]


@dataclass(frozen=True)
class OneHot(Domain):
    """One-hot label vectors: a single 1, zeros elsewhere."""

    def sample(self, rng: random.Random) -> mpmath.mpf:
        raise TypeError("a one-hot vector has no scalar entries of its own; use sample_vector")

    def sample_vector(self, rng: random.Random, size: int) -> list[mpmath.mpf]:
        hot = rng.randrange(size)
        return [mpmath.mpf(1 if index == hot else 0) for index in range(size)]


REAL = RealLine("real", r"\mathbb{R}")
POSITIVE = PositiveReals("positive", r"(0, \infty)")
PROBABILITY = OpenUnitInterval("probability", r"(0, 1)")
SOFT_LABEL = ClosedUnitInterval("soft label", r"[0, 1]")
LABEL = BinaryLabels("label", r"\{0, 1\}")
SIMPLEX = Simplex("probability vector", r"\Delta^{K-1}")
ONE_HOT = OneHot("one-hot vector", r"\{e_1, \dots, e_K\}")
