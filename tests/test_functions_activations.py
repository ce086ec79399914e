"""tanh_prime and relu_prime: finite differences, mpmath at 50 digits, extremes, dtypes, inputs.

The true values of tanh′ come from mpmath's sech(z)², not from the form the code computes, and
those of ReLU′ from the comparison z > 0 with the documented value 0 at z = 0. That softplus′ is
the sigmoid, as the activations page says, is checked here too, against finite differences of
softplus computed by NumPy's logaddexp.
"""

from __future__ import annotations

import math
import warnings

import mpmath
import numpy as np
import pytest
from finite_differences import directional_errors

from gradbook import functions as gb

RNG_SEED = 20261126
DIGITS = 50
TINY = np.finfo(np.float64).tiny
SMALLEST_SUBNORMAL = 5e-324
HUGE = (1e300, 1e308, float(np.finfo(np.float64).max))


def logits() -> np.ndarray:
    """Both signs, every order of magnitude up to 745, a 0.25-step grid to 400 and the huge ones."""
    magnitudes = np.concatenate(
        [np.logspace(-20, np.log10(745), 400), np.arange(0.0, 400.0, 0.25), HUGE, [SMALLEST_SUBNORMAL]]
    )
    return np.unique(np.concatenate([magnitudes, -magnitudes]))


Z = logits()


def true_tanh_prime(z: float) -> mpmath.mpf:
    """sech²(z) at 50 digits: the derivative of tanh, with nothing that cancels."""
    with mpmath.workdps(DIGITS):
        return mpmath.sech(mpmath.mpf(z)) ** 2


def calm_call(function, *args):
    """``function(*args)`` with every floating-point error but underflow raised, checking that no
    argument changed (the arguments are also made read-only)."""
    copies = [np.array(arg, copy=True) for arg in args]
    for arg in args:
        if isinstance(arg, np.ndarray):
            arg.setflags(write=False)
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        result = function(*args)
    for arg, copy in zip(args, copies, strict=True):
        assert np.array_equal(arg, copy, equal_nan=True), f"{function.__name__} changed its argument"
    return result


def ulp_report(z: np.ndarray, got: np.ndarray, dtype) -> tuple[np.ndarray, list[str]]:
    """Errors in units of the last place of ``dtype`` where the true value is a normal number
    of that type, NaN elsewhere, and the text of each point."""
    tiny = np.finfo(dtype).tiny
    errors, texts = [], []
    for point, value in zip(z.tolist(), got.tolist(), strict=True):
        true = true_tanh_prime(point)
        rounded = dtype(float(true))
        if rounded >= tiny:
            with mpmath.workdps(DIGITS):
                errors.append(float(abs(mpmath.mpf(value) - true)) / float(np.spacing(rounded)))
        else:
            errors.append(np.nan)
        texts.append(f"tanh_prime({point!r}) => {value!r} != {float(true)!r}")
    return np.array(errors), texts


def assert_within_ulp(z: np.ndarray, got: np.ndarray, dtype, bar: float) -> None:
    errors, texts = ulp_report(z, got, dtype)
    assert not np.all(np.isnan(errors))
    bad = [f"  {text} ({error:.3g} ulp)" for text, error in zip(texts, errors, strict=True) if error > bar]
    assert not bad, f"{len(bad)} points beyond {bar} ulp:\n" + "\n".join(bad)


# -- tanh_prime ------------------------------------------------------------------------------


def test_tanh_prime_within_4_ulp_of_mpmath():
    assert_within_ulp(Z, calm_call(gb.tanh_prime, Z.copy()), np.float64, 4)


def test_tanh_prime_within_4_ulp_of_mpmath_at_random_points():
    rng = np.random.default_rng(RNG_SEED)
    z = np.concatenate([rng.uniform(-40, 40, 3000), rng.uniform(-360, 360, 1000)])
    assert_within_ulp(z, gb.tanh_prime(z), np.float64, 4)


def test_tanh_prime_is_accurate_where_the_textbook_form_cancels():
    """1 − tanh²(20) is 0 in floating point; the true value is 4e⁻⁴⁰/(1 + e⁻⁴⁰)² ≈ 1.7e−17."""
    z = np.array([15.0, 20.0, 100.0, -100.0])
    assert (1 - np.tanh(z[1:]) ** 2).tolist() == [0.0, 0.0, 0.0]
    expected = [4 * math.exp(-2 * abs(v)) / (1 + math.exp(-2 * abs(v))) ** 2 for v in z]
    np.testing.assert_allclose(gb.tanh_prime(z), expected, rtol=1e-15, atol=0)


def test_tanh_prime_where_the_true_value_is_subnormal_is_within_4_smallest_floats():
    z = np.arange(355.0, 372.5, 0.125)
    got = gb.tanh_prime(z)
    with mpmath.workdps(DIGITS):
        gaps = [float(abs(mpmath.mpf(value) - true_tanh_prime(point))) / SMALLEST_SUBNORMAL
                for point, value in zip(z.tolist(), got.tolist(), strict=True)]
    assert min(got) > 0 and max(got) < TINY
    assert max(gaps) <= 4


def test_tanh_prime_never_passes_one_near_zero():
    """The true value is below 1 for z ≠ 0; the min with 1 keeps the rounded one there too."""
    z = np.concatenate([np.logspace(-20, 0, 20001), -np.logspace(-20, 0, 2001)])
    assert np.max(gb.tanh_prime(z)) == 1.0


def test_tanh_prime_is_zero_without_a_warning_far_out():
    z = np.array([-np.finfo(np.float64).max, -1e308, -400.0, -373.5, 373.5, 400.0, 1e308, 1e300])
    assert calm_call(gb.tanh_prime, z).tolist() == [0.0] * len(z)
    assert float(calm_call(gb.tanh_prime, np.float64(1e308))) == 0.0


def test_tanh_prime_at_zero_is_one_and_the_function_is_even():
    assert gb.tanh_prime(0.0) == 1.0
    assert gb.tanh_prime(-0.0) == 1.0
    np.testing.assert_array_equal(gb.tanh_prime(Z), gb.tanh_prime(-Z))


def test_tanh_prime_is_four_times_sigmoid_prime_at_twice_z():
    z = Z[np.abs(Z) < 1e300]
    np.testing.assert_allclose(gb.tanh_prime(z), 4 * gb.sigmoid_prime(2 * z), rtol=1e-14, atol=0)


@pytest.mark.parametrize("scale", [0.1, 1.0, 5.0, 15.0])
def test_tanh_prime_matches_central_differences_of_tanh(scale):
    rng = np.random.default_rng(RNG_SEED)
    z = rng.uniform(-scale, scale, size=7)
    errors = directional_errors(lambda t: float(np.sum(np.tanh(t))), gb.tanh_prime, z, rng)
    assert max(errors) < 1e-7, errors


def test_tanh_prime_float32_stays_float32_within_4_ulp():
    z = np.unique(np.concatenate([np.linspace(-60, 60, 961), [0.0, 3e38, -3e38]])).astype(np.float32)
    got = calm_call(gb.tanh_prime, z.copy())
    assert got.dtype == np.float32
    assert_within_ulp(z.astype(np.float64), got.astype(np.float64), np.float32, 4)
    assert got[np.abs(z) > 200].tolist() == [0.0] * int(np.sum(np.abs(z) > 200))


# -- relu_prime ------------------------------------------------------------------------------


def test_relu_prime_is_one_right_of_zero_and_zero_elsewhere():
    got = calm_call(gb.relu_prime, Z.copy())
    assert got.tolist() == [1.0 if value > 0 else 0.0 for value in Z.tolist()]


def test_relu_prime_is_zero_at_the_kink_from_either_zero():
    assert calm_call(gb.relu_prime, np.array([0.0, -0.0])).tolist() == [0.0, 0.0]
    assert gb.relu_prime(0) == 0.0
    assert gb.relu_prime(SMALLEST_SUBNORMAL) == 1.0
    assert gb.relu_prime(-SMALLEST_SUBNORMAL) == 0.0


def test_relu_prime_lies_between_the_one_sided_derivatives_at_the_kink():
    """At 0 the left quotient is 0 and the right one 1: the value returned is one of them."""
    step = 1e-8
    left = (max(0.0, 0.0) - max(0.0, -step)) / step
    right = (max(0.0, step) - max(0.0, 0.0)) / step
    assert (left, right) == (0.0, 1.0)
    assert left <= gb.relu_prime(0.0) <= right


@pytest.mark.parametrize("scale", [0.5, 3.0, 100.0])
def test_relu_prime_matches_central_differences_away_from_the_kink(scale):
    rng = np.random.default_rng(RNG_SEED)
    z = rng.uniform(0.1, scale, size=7) * rng.choice([-1.0, 1.0], size=7)
    errors = directional_errors(lambda t: float(np.sum(np.maximum(0, t))), gb.relu_prime, z, rng)
    assert max(errors) < 1e-9, errors


def test_relu_prime_keeps_infinities_and_nan():
    got = gb.relu_prime(np.array([np.inf, -np.inf, np.nan]))
    assert got[:2].tolist() == [1.0, 0.0]
    assert np.isnan(got[2])


def test_relu_prime_float32_stays_float32_and_integers_become_float64():
    z = np.array([-3.0, 0.0, 2.5, 3e38], dtype=np.float32)
    got = calm_call(gb.relu_prime, z)
    assert got.dtype == np.float32 and got.tolist() == [0.0, 0.0, 1.0, 1.0]
    assert gb.relu_prime(np.array([-2, 0, 3])).dtype == np.float64


# -- both ------------------------------------------------------------------------------------


@pytest.mark.parametrize("function", [gb.tanh_prime, gb.relu_prime], ids=lambda f: f.__name__)
def test_shapes_are_kept_and_a_scalar_gives_a_scalar(function):
    z = np.linspace(-2, 2, 24).reshape(2, 3, 4)
    assert function(z).shape == (2, 3, 4)
    assert np.ndim(function(1.5)) == 0
    np.testing.assert_array_equal(function(z)[1, 2], function(z[1, 2]))


def test_the_derivative_of_softplus_is_the_sigmoid():
    """softplus′ = σ (the activations page): no function of its own is needed."""
    rng = np.random.default_rng(RNG_SEED)
    for scale in (0.1, 1.0, 10.0, 30.0):
        z = rng.uniform(-scale, scale, size=7)
        errors = directional_errors(lambda t: float(np.sum(np.logaddexp(0, t))), gb.sigmoid, z, rng)
        assert max(errors) < 1e-7, (scale, errors)
