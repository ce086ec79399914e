"""The building blocks every page's examples share: public functions looked up late, numbers.

The functions of :mod:`gradbook.functions` are looked up when a page is built, not when this
module is imported, so that a missing one fails with a message naming it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import mpmath
import numpy as np

from gradbook.errors import GradbookError

#: Significant digits of the numbers shown in the tables.
DIGITS = 6


class ExampleError(GradbookError):
    """A page's examples could not be computed: a missing function, a failing usage script."""


# -- looking up the public functions -------------------------------------------------------


@dataclass(frozen=True)
class Public:
    """The function ``name`` of :mod:`gradbook.functions`, looked up when it is called."""

    name: str

    def __call__(self, *args: object, **kwargs: object) -> object:
        return public_function(self.name)(*args, **kwargs)

    def __str__(self) -> str:
        return f"gradbook.functions.{self.name}"


@dataclass(frozen=True)
class Formula:
    """A derived formula written out in NumPy, shown on the page as ``code``."""

    code: str
    function: Callable[..., object]

    def __call__(self, *args: object, **kwargs: object) -> object:
        return self.function(*args, **kwargs)

    def __str__(self) -> str:
        return self.code


def public_function(name: str) -> Callable[..., object]:
    """``gradbook.functions.<name>``, or an :class:`ExampleError` saying it is missing."""
    module = importlib.import_module("gradbook.functions")
    try:
        return getattr(module, name)
    except AttributeError:
        raise ExampleError(f"gradbook.functions has no function {name!r}") from None



# -- formatting numbers --------------------------------------------------------------------


def number(value: object) -> str:
    """A number with :data:`DIGITS` significant digits and a real minus sign; tuples as (a, b)."""
    if isinstance(value, mpmath.mpf):
        text = mpmath.nstr(value, DIGITS)
    elif np.ndim(value) > 0:
        return tuple_text(number(entry) for entry in np.asarray(value).tolist())
    else:
        text = f"{float(value):.{DIGITS}g}"
    return text.replace("-", "−")


def tuple_text(texts: Iterable[str]) -> str:
    """One text as it is, several as ``(a, b, c)``."""
    texts = list(texts)
    return texts[0] if len(texts) == 1 else "(" + ", ".join(texts) + ")"


def arguments_text(arguments: Mapping[str, object]) -> str:
    """``z = 0.4, y = (1, 0)``: the inputs of a check, as the input column shows them."""
    return ", ".join(f"{name} = {number(value)}" for name, value in arguments.items())
