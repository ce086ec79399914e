"""Usage examples: a short script run during the build, shown with what it printed."""

from __future__ import annotations

import contextlib
import io
import textwrap
import warnings
from dataclasses import dataclass

from gradbook.examples.values import ExampleError


@dataclass(frozen=True)
class Usage:
    """A short script that uses the public functions; ``run`` gives what it prints."""

    code: str

    @property
    def source(self) -> str:
        return textwrap.dedent(self.code).strip() + "\n"

    def run(self, name: str) -> str:
        """Run the script with warnings as errors and return its output."""
        output = io.StringIO()
        with warnings.catch_warnings(), contextlib.redirect_stdout(output):
            warnings.simplefilter("error")
            try:
                exec(compile(self.source, f"<usage example of {name}>", "exec"), {})
            except Exception as error:
                raise ExampleError(f"the usage example of {name} failed: {error!r}") from error
        return output.getvalue()
