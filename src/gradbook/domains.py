"""Where each symbol of a derivation lives, and how to draw random points there.

A step is only checked where it is claimed to hold: log(ab) = log a + log b is false for
negative reals, and ∂L/∂z = p − y needs labels that sum to one. So every symbol a derivation
declares carries a domain, and the numeric check samples from exactly that domain, in mpmath
precision (normalising a probability vector in float64 would leave an error of 1e−17 that a
40-digit comparison would rightly call a counterexample).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import mpmath


@dataclass(frozen=True)
class Domain:
    """A set of values with a sampler; ``latex`` is how the page names the set.

    Every sampled value is a binary floating-point number, which mpmath holds exactly: the same
    point can then be evaluated again at a higher precision (see :mod:`gradbook.evaluation`)
    without the inputs themselves changing.
    """

    name: str
    latex: str

    def sample(self, rng: random.Random, largest: float | None = None) -> mpmath.mpf:
        """A value; ``largest`` bounds its magnitude (for a retry where huge values overflowed)."""
        raise NotImplementedError

    def sample_vector(self, rng: random.Random, size: int, largest: float | None = None) -> list[mpmath.mpf]:
        """Entries of a vector of ``size`` entries from this domain, drawn one by one; half of
        the vectors of two or more entries have every entry moderate (:data:`MODERATE`).

        Entries drawn across every scale make a long vector almost always hold one large entry,
        and then Σ e^(z_j) is that entry's term alone: a step that adds 1 to the sum, or is
        wrong only where every score is of order one, passed at every size from 5 on.
        """
        if size > 1 and largest is None and rng.random() < 0.5:
            largest = MODERATE
        return [self.sample(rng, largest) for _ in range(size)]

    def contains(self, value: mpmath.mpf) -> bool:
        """Whether ``value`` lies in the domain (for special points found by solving)."""
        return True


#: The bound on the magnitudes of a vector whose entries are all moderate (see
#: :meth:`Domain.sample_vector`); for a probability, its distance from 0 and 1 is at least 1/10.
MODERATE = 10.0

#: How real values are spread over the orders of magnitude: (weight, smallest and largest
#: decimal exponent of |x|). Order one is drawn most; tiny, large and huge values are drawn on
#: purpose, because clipping (max(z, −30)), saturation and cancellation live there.
REAL_SCALES: tuple[tuple[float, float, float], ...] = (
    (0.40, -0.5, 0.5),
    (0.15, -8.0, -0.5),
    (0.20, 0.5, 2.0),
    (0.17, 2.0, 3.0),
    (0.08, 3.0, 6.0),
)


def _magnitude(
    rng: random.Random, scales: tuple[tuple[float, float, float], ...], largest: float | None
) -> float:
    top = math.inf if largest is None else math.log10(largest)
    allowed = [(weight, low, min(high, top)) for weight, low, high in scales if low < top]
    _, low, high = rng.choices(allowed, [weight for weight, _, _ in allowed])[0]
    return 10 ** rng.uniform(low, high)


@dataclass(frozen=True)
class RealLine(Domain):
    """All reals, across every order of magnitude (:data:`REAL_SCALES`), both signs."""

    def sample(self, rng: random.Random, largest: float | None = None) -> mpmath.mpf:
        return mpmath.mpf(rng.choice((-1.0, 1.0)) * _magnitude(rng, REAL_SCALES, largest))


@dataclass(frozen=True)
class PositiveReals(Domain):
    """Positive reals from 10⁻⁸ to 10⁶, spread evenly over the orders of magnitude."""

    def sample(self, rng: random.Random, largest: float | None = None) -> mpmath.mpf:
        top = 6.0 if largest is None else min(6.0, math.log10(largest))
        return mpmath.mpf(10 ** rng.uniform(-8, top))

    def contains(self, value: mpmath.mpf) -> bool:
        return value > 0


@dataclass(frozen=True)
class NegativeReals(Domain):
    """Negative reals from −10⁶ to −10⁻⁸, the mirror image of :class:`PositiveReals`: one side
    of a kink such as max(0, z), where a derivative is taken on each side separately."""

    def sample(self, rng: random.Random, largest: float | None = None) -> mpmath.mpf:
        return -POSITIVE.sample(rng, largest)

    def contains(self, value: mpmath.mpf) -> bool:
        return value < 0


def _probability(rng: random.Random, largest: float | None) -> mpmath.mpf:
    """A probability, often within 2⁻²⁰⁰ … 2⁻⁴ of 0 or of 1, where log ŷ and log(1 − ŷ) are
    steep and where clipping (max(ŷ, 10⁻¹⁵)) hides. The values near 1 are held exactly (no
    binary float is that close to 1). ``largest`` asks for a moderate value instead, at least
    1/largest away from 0 and 1."""
    if largest is not None:
        margin = min(0.25, 1 / largest)
        return mpmath.mpf(rng.uniform(margin, 1 - margin))
    draw = rng.random()
    if draw < 0.5:
        with mpmath.workprec(1024):
            tiny = mpmath.mpf(rng.uniform(0.5, 1.0)) * mpmath.mpf(2) ** -rng.randint(4, 200)
            return tiny if draw < 0.25 else 1 - tiny
    return mpmath.mpf(rng.uniform(0.001, 0.999))


@dataclass(frozen=True)
class OpenUnitInterval(Domain):
    """Probabilities strictly between 0 and 1 (predictions ŷ, where log ŷ is finite)."""

    def sample(self, rng: random.Random, largest: float | None = None) -> mpmath.mpf:
        return _probability(rng, largest)

    def contains(self, value: mpmath.mpf) -> bool:
        return 0 < value < 1


@dataclass(frozen=True)
class ClosedUnitInterval(Domain):
    """Soft labels in [0, 1]; the end points are drawn on purpose."""

    def sample(self, rng: random.Random, largest: float | None = None) -> mpmath.mpf:
        if rng.random() < 0.25:
            return mpmath.mpf(rng.choice((0, 1)))
        return _probability(rng, largest)

    def contains(self, value: mpmath.mpf) -> bool:
        return 0 <= value <= 1


@dataclass(frozen=True)
class BinaryLabels(Domain):
    def sample(self, rng: random.Random, largest: float | None = None) -> mpmath.mpf:
        return mpmath.mpf(rng.choice((0, 1)))

    def contains(self, value: mpmath.mpf) -> bool:
        return value in (0, 1)


@dataclass(frozen=True)
class Simplex(Domain):
    """Probability vectors: non-negative entries that sum to one exactly.

    One entry, at a random position, is 1 minus the sum of the others, computed exactly (the
    others are binary floats, so the sum needs only a few thousand bits): a normalisation
    rounded to the working precision would leave an error that a higher-precision evaluation
    would rightly see. A quarter of the vectors have zero entries, as one-hot labels do, and a
    quarter have tiny entries (down to 2⁻²⁰⁰).
    """

    def sample(self, rng: random.Random, largest: float | None = None) -> mpmath.mpf:
        raise TypeError("a probability vector has no scalar entries of its own; use sample_vector")

    def sample_vector(self, rng: random.Random, size: int, largest: float | None = None) -> list[mpmath.mpf]:
        mode = rng.random() if largest is None else 1.0
        weights = [rng.expovariate(1.0) for _ in range(size)]
        if mode < 0.25:  # some entries exactly 0, as in one-hot labels
            weights = [0.0 if rng.random() < 0.5 else weight for weight in weights]
        elif mode < 0.5:  # some entries tiny, where clipping such as max(p, 10⁻⁷) hides
            weights = [
                weight * 2.0 ** -rng.randint(10, 200) if rng.random() < 0.5 else weight for weight in weights
            ]
        remainder = rng.randrange(size)
        weights[remainder] = max(weights[remainder], 0.25)
        total = sum(weights)
        entries = [mpmath.mpf(weight / total) for weight in weights]
        with mpmath.workprec(4096):
            entries[remainder] = 1 - mpmath.fsum(entries[:remainder] + entries[remainder + 1 :])
        return entries


@dataclass(frozen=True)
class OneHot(Domain):
    """One-hot label vectors: a single 1, zeros elsewhere."""

    def sample(self, rng: random.Random, largest: float | None = None) -> mpmath.mpf:
        raise TypeError("a one-hot vector has no scalar entries of its own; use sample_vector")

    def sample_vector(self, rng: random.Random, size: int, largest: float | None = None) -> list[mpmath.mpf]:
        hot = rng.randrange(size)
        return [mpmath.mpf(1 if index == hot else 0) for index in range(size)]


REAL = RealLine("real", r"\mathbb{R}")
POSITIVE = PositiveReals("positive", r"(0, \infty)")
NEGATIVE = NegativeReals("negative", r"(-\infty, 0)")
PROBABILITY = OpenUnitInterval("probability", r"(0, 1)")
SOFT_LABEL = ClosedUnitInterval("soft label", r"[0, 1]")
LABEL = BinaryLabels("label", r"\{0, 1\}")
SIMPLEX = Simplex("probability vector", r"\Delta^{K-1}")
ONE_HOT = OneHot("one-hot vector", r"\{e_1, \dots, e_K\}")
