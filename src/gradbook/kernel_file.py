"""The file ``gradbook/kernels.py``: made from the derivation scripts, checked, then written.

The module is written only after every kernel in it has been run against its checked expression
(:mod:`gradbook.kernel_check`), only if it has kernels at all, and by default only into the
source checkout the running gradbook was imported from: ``gradbook generate`` in an arbitrary
folder must not overwrite the kernels of an installed package.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gradbook.errors import CodegenError
from gradbook.implementation import fallback_problems
from gradbook.kernel_check import check_module
from gradbook.kernel_source import KERNELS_PATH, Kernel, module_source
from gradbook.scripts import DERIVATIONS_DIR, load_all
from gradbook.writing import write_if_changed

if TYPE_CHECKING:
    from gradbook.derivation import Derivation

#: Where the kernels module sits in a source checkout, relative to the project root.
CHECKOUT_KERNELS = Path("src", "gradbook", "kernels.py")


def kernels_source(directory: Path = DERIVATIONS_DIR) -> str:
    """The kernels module that the derivations in ``directory`` produce, checked."""
    derivations = load_all(directory)
    implementations = kernels_of(derivations)
    if not implementations:
        raise CodegenError(
            f"no derivation in {directory} implements a kernel (Derivation.implement); "
            "refusing to write a kernels module without kernels"
        )
    return checked_module_source(implementations)


def kernels_of(derivations: Sequence[Derivation]) -> list[Kernel]:
    """Every kernel the derivations implement, then the joint kernels, their parts resolved;
    CodegenError if a kernel's fallback on overflow cannot stand in for it."""
    implementations = [impl for d in derivations for impl in d.implementations]
    by_name = {impl.name: impl for impl in implementations}
    joints = [joint.resolved(by_name) for d in derivations for joint in d.joint_implementations]
    kernels = [*implementations, *joints]
    every = {kernel.name: kernel for kernel in kernels}
    for kernel in kernels:
        problems = fallback_problems(kernel, every)
        if problems:
            where = f"{kernel.derivation}: cannot implement {kernel.name} ({kernel.source})"
            raise CodegenError(f"{where}: " + "; ".join(problems))
    return kernels


def checked_module_source(implementations: Sequence[Kernel]) -> str:
    """The module of ``implementations``, once every kernel in it computes its expression."""
    source = module_source(list(implementations))
    check_module(source, implementations)
    return source


def generate_kernels(directory: Path = DERIVATIONS_DIR, target: Path = KERNELS_PATH) -> bool:
    """Write the kernels module; whether it changed."""
    return write_if_changed(target, kernels_source(directory))


def checkout_target(root: Path) -> Path:
    """``root/src/gradbook/kernels.py``, if that is the kernels module of the running gradbook.

    Anything else (a folder with no gradbook sources, or another checkout than the one whose
    code is running) is refused: the caller must name the output file.
    """
    target = root / CHECKOUT_KERNELS
    if not target.is_file():
        raise CodegenError(
            f"{root} is not a gradbook source checkout (it has no {CHECKOUT_KERNELS}); "
            "gradbook generate only rewrites the kernels of the checkout it runs from. "
            "Pass --output PATH to write the module elsewhere"
        )
    if target.resolve() != KERNELS_PATH.resolve():
        raise CodegenError(
            f"{target} is not the kernels module of the gradbook that is running "
            f"({KERNELS_PATH}); run gradbook from that checkout's environment, "
            "or pass --output PATH"
        )
    return target
