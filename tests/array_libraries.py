"""The array libraries the functions are tested on, and a view of gradbook.functions through each.

A test written with NumPy arrays runs unchanged on another library through
:class:`FunctionsOn`: every NumPy argument is converted to the library, the function is called,
the result is checked to be of that library and of the dtype NumPy's path gives (so a NumPy-only
operation or a lost dtype cannot slip through), and it is converted back for the test's NumPy
assertions. Dask results are checked to be lazy, then computed in the calling thread, so that
``numpy.errstate`` and ``warnings`` around the call apply to the computation too.

array-api-strict is the standard's reference: it has nothing beyond the standard. Dask arrays
are split in two along every axis, so that every reduction crosses chunks. PyTorch and JAX are
used when installed and skipped, with the reason shown, when not.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from gradbook import functions


@dataclass(frozen=True)
class Library:
    name: str
    to: Callable[[np.ndarray], object]
    back: Callable[[object], np.ndarray]
    array_type: Callable[[], type]
    lazy: bool = False


def _strict() -> Library:
    import array_api_strict as xp

    return Library("array-api-strict", xp.asarray, np.asarray, lambda: xp.asarray(0.0).__class__)


def _in_halves(array: np.ndarray) -> tuple[int, ...]:
    return tuple(max(1, (size + 1) // 2) for size in array.shape)


def _dask() -> Library:
    import dask.array as da

    return Library(
        "dask",
        lambda array: da.from_array(array, chunks=_in_halves(array)),
        lambda result: np.asarray(result.compute(scheduler="synchronous")),
        lambda: da.Array,
        lazy=True,
    )


def _torch() -> Library:
    import torch

    return Library("torch", torch.asarray, lambda tensor: tensor.numpy(), lambda: torch.Tensor)


def _jax() -> Library:
    import jax

    jax.config.update("jax_enable_x64", True)  # float64 arrays stay float64, as in NumPy
    import jax.numpy as jnp

    return Library("jax", jnp.asarray, np.asarray, lambda: jax.Array)


def _numpy() -> Library:
    return Library("numpy", lambda array: array, lambda result: result, lambda: np.ndarray)


#: (name, the package it needs, how to make it); the first three are test dependencies.
_LIBRARIES = (
    ("numpy", "numpy", _numpy),
    ("array-api-strict", "array_api_strict", _strict),
    ("dask", "dask", _dask),
    ("torch", "torch", _torch),
    ("jax", "jax", _jax),
)


#: Libraries whose CPU arithmetic flushes subnormal numbers to zero (XLA does), where a test
#: at subnormal inputs asks for something the library does not compute.
FLUSHES_SUBNORMALS = {"jax"}


def library_params(*, numpy: bool = True, subnormals: bool = False) -> list:
    """pytest parameters, one per library; an optional one that is not installed is skipped
    with the reason shown. ``subnormals``: the tests use subnormal inputs."""
    params = []
    for name, package, make in _LIBRARIES:
        if name == "numpy" and not numpy:
            continue
        marks = ()
        if importlib.util.find_spec(package) is None:
            marks = pytest.mark.skip(reason=f"{package} is not installed (optional)")
        elif subnormals and name in FLUSHES_SUBNORMALS:
            marks = pytest.mark.skip(reason=f"{name} flushes subnormal numbers to zero on CPU")
        params.append(pytest.param(make, id=name, marks=marks))
    return params


class FunctionsOn:
    """``gradbook.functions`` as seen from NumPy code, computed on ``library``."""

    def __init__(self, library: Library) -> None:
        self.library = library

    def __getattr__(self, name: str) -> Callable:
        function = getattr(functions, name)
        if not callable(function):
            return function
        library = self.library

        def call(*args, **kwargs):
            result = function(*[_to(library, value) for value in args], **kwargs)
            if library.name == "numpy":
                return result
            # The dtype NumPy's path gives for the same arguments, which the result must have.
            expected = function(*args, **kwargs)
            return _back(library, result, expected, name)

        return call


def _to(library: Library, value: object) -> object:
    if isinstance(value, (np.ndarray, np.generic)):
        return library.to(np.asarray(value))
    return value


def _back(library: Library, result: object, expected: object, name: str) -> object:
    if isinstance(result, tuple):
        return tuple(
            _back(library, part, wanted, name)
            for part, wanted in zip(result, expected or (None,) * len(result), strict=True)
        )
    assert isinstance(result, library.array_type()), (
        f"{name} on {library.name} returned a {type(result).__name__}, not an array of that library"
    )
    values = library.back(result)
    wanted_dtype = np.asarray(expected).dtype
    assert values.dtype == wanted_dtype, (
        f"{name} on {library.name} returned {values.dtype} where NumPy's path gives {wanted_dtype}"
    )
    return values[()] if values.ndim == 0 else values
