"""Writing generated files: atomically, and only when their content changes.

Both properties matter. ``mkdocs serve`` watches the docs folder, so rewriting an unchanged
page would trigger another build, forever. And a build that fails or is interrupted half-way
must leave the previous file intact, never half a page or half a module: the text goes to a
temporary file in the same folder, which is then renamed over the target in one step.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` unless it already holds exactly that; whether it wrote."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    temporary = Path(name)
    try:
        temporary.write_text(text, encoding="utf-8", newline="\n")
        temporary.chmod(0o644)  # mkstemp makes the file private; a page or module is not
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return True
