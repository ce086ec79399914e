"""The Array API namespace of arrays that are not NumPy's, through array-api-compat.

gradbook's functions take NumPy arrays with NumPy alone. Arrays of other libraries (PyTorch,
JAX, CuPy, Dask, array-api-strict) are computed through the Array API standard, and the package
that gives every one of them a standard namespace, array-api-compat, is an optional dependency:
it is imported here, when such an array first arrives, and its absence is reported as what to
install rather than as a failed import deep inside a kernel.
"""

from __future__ import annotations

from types import ModuleType

INSTALL_HINT = 'pip install "gradbook[array-api]"'


def array_namespace(*arrays: object) -> ModuleType:
    """The Array API namespace of ``arrays`` (all from one library)."""
    return compat().array_namespace(*arrays)


def compat() -> ModuleType:
    """The array_api_compat module, or an ImportError that says how to install it."""
    try:
        import array_api_compat
    except ImportError as error:
        raise ImportError(
            "gradbook needs the array-api-compat package for arrays that are not NumPy arrays "
            f"(PyTorch, JAX, CuPy, Dask, array-api-strict); install it with {INSTALL_HINT}"
        ) from error
    return array_api_compat
