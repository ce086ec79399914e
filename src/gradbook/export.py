"""A checked derivation as data: JSON for other programs, LaTeX for other documents.

The JSON follows ``schema/derivation.schema.json`` (JSON Schema, draft 2020-12), which documents
every field. Each expression is given twice: as LaTeX (as printed on the site) and as SymPy's
``srepr``, which ``eval`` under ``sympy.evaluate(False)``, with SymPy's names and gradbook's
notation (σ, softplus) in scope, turns back into the expression as written. (``srepr`` does not
print the assumptions given to an ``IndexedBase`` itself, such as ``real=True``.)

The LaTeX is one standalone ``aligned`` block per chain, each step's rule in ``\\text{}``, ready
for a ``\\[ ... \\]`` or an ``equation*`` environment (or KaTeX / MathJax).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import sympy as sp

from gradbook import __version__
from gradbook.checking import Verification, stable_srepr
from gradbook.derivation import Chain, Derivation, Result, Step
from gradbook.implementation import Implementation
from gradbook.latex import to_latex
from gradbook.setting import Setting

#: The schema that ``to_json`` output follows; bump ``FORMAT_VERSION`` when a field changes.
#: Version 2 dropped the verification's ``seconds`` and added its ``badge`` and ``details``.
SCHEMA_PATH = Path(__file__).with_name("schema") / "derivation.schema.json"
FORMAT_VERSION = 4


def to_json(derivation: Derivation) -> str:
    """The derivation as a JSON document (see :data:`SCHEMA_PATH`)."""
    return json.dumps(derivation_data(derivation), indent=2, ensure_ascii=False) + "\n"


def derivation_data(derivation: Derivation) -> dict[str, Any]:
    return {
        "format": "gradbook-derivation",
        "format_version": FORMAT_VERSION,
        "gradbook_version": __version__,
        "name": derivation.name,
        "title": derivation.title,
        "lead": derivation.lead,
        "source": derivation.source.name if derivation.source else None,
        "uses": list(derivation.uses),
        "setting": setting_data(derivation.setting),
        "chains": [chain_data(chain) for chain in derivation.chains],
        "notes": list(derivation.notes),
    }


def expression(expr: sp.Basic) -> dict[str, str]:
    # order="none" keeps the factors in the author's order, as the LaTeX does.
    return {"latex": to_latex(expr), "srepr": stable_srepr(expr)}


def setting_data(setting: Setting) -> dict[str, list[dict[str, Any]]]:
    return {
        "sizes": [
            {"name": str(size.symbol), "latex": to_latex(size.symbol),
             "checked_at": list(size.checked_at), "meaning": size.meaning}
            for size in setting.sizes.values()
        ],
        "indices": [
            {"name": str(index.symbol), "latex": to_latex(index.symbol),
             "size": str(index.size), "meaning": index.meaning}
            for index in setting.indices.values()
        ],
        "variables": [
            {"name": variable.name, "latex": to_latex(variable.symbol),
             "domain": {"name": variable.domain.name, "latex": variable.domain.latex},
             "shape": [str(size) for size in variable.shape], "meaning": variable.meaning}
            for variable in setting.variables.values()
        ],
        "definitions": [
            {"name": str(definition.symbol), "latex": to_latex(definition.symbol),
             "index": ", ".join(map(str, definition.indices)) or None,
             "expr": expression(definition.expr), "meaning": definition.meaning}
            for definition in setting.definitions
        ],
        "assumptions": [
            {"lhs": expression(assumption.lhs), "rhs": expression(assumption.rhs),
             "text": assumption.text}
            for assumption in setting.assumptions
        ],
    }


def chain_data(chain: Chain) -> dict[str, Any]:
    return {
        "title": chain.title,
        "lhs": expression(chain.lhs) if chain.lhs is not None else None,
        "steps": [step_data(step) for step in chain.steps],
        "result": result_data(chain.result) if chain.result is not None else None,
        "implementation": (
            implementation_data(chain.implementation) if chain.implementation is not None else None
        ),
        "exercise": exercise_data(chain) if chain.is_exercise else None,
    }


def exercise_data(chain: Chain) -> dict[str, Any]:
    """The question an exercise chain answers, and the mistake it shows, if any."""
    step = chain.mistake_step
    if step is None:
        return {"question": chain.question, "mistake": None}
    found = step.mistake.counterexample
    return {
        "question": chain.question,
        "mistake": {
            "step": step.number,
            **expression(step.mistake.expr),
            "counterexample": {"point": dict(found.point), "before": found.before,
                               "after": found.after, "note": found.note},
        },
    }


def step_data(step: Step) -> dict[str, Any]:
    return {
        "number": step.number,
        **expression(step.expr),
        "justification": step.justification or None,
        "verification": verification_data(step.verification) if step.verification else None,
    }


def verification_data(verification: Verification) -> dict[str, Any]:
    """What was verified, and nothing that changes from run to run (such as the time taken).

    The export of a derivation is then byte-identical whenever its checks are.
    """
    return {
        "proved": verification.proved,
        "badge": verification.badge,
        "details": verification.details,
        "points": verification.points,
        "special_points": verification.special_points,
        "undecided": verification.undecided,
        "sizes": {name: list(values) for name, values in verification.sizes},
        "max_deviation": verification.max_deviation,
        "method": verification.method,
        "used_assumptions": list(verification.used_assumptions),
        "summary": verification.summary,
    }


def result_data(result: Result) -> dict[str, Any]:
    return {
        "name": result.name,
        **expression(result.expr),
        "arguments": [str(argument) for argument in result.arguments],
        "description": result.description,
    }


def implementation_data(implementation: Implementation) -> dict[str, Any]:
    return {
        "name": implementation.name,
        "arguments": [_argument_name(argument) for argument in implementation.arguments],
        "vector_index": (
            str(implementation.vector_index) if implementation.vector_index is not None else None
        ),
        "doc": implementation.doc,
    }


def _argument_name(argument: sp.Basic) -> str:
    return str(argument.label) if isinstance(argument, sp.IndexedBase) else str(argument)


# -- LaTeX ---------------------------------------------------------------------------------


def to_latex_document(derivation: Derivation) -> str:
    """Every chain as a standalone ``aligned`` block, preceded by a comment with its title."""
    blocks = [
        f"% {derivation.name}, {_latex_heading(chain, number, derivation.title)}\n{aligned(chain)}"
        for number, chain in enumerate(derivation.chains, 1)
    ]
    return "\n\n".join(blocks) + "\n"


def _latex_heading(chain: Chain, number: int, title: str) -> str:
    if chain.is_exercise:
        return f"part {number}, an exercise: {' '.join(chain.question.split())}"
    return f"part {number}: {chain.title or title}"


def aligned(chain: Chain) -> str:
    r"""``lhs &= step₁ \\ &= step₂ && \text{rule}`` … as one ``aligned`` environment."""
    first, *rest = chain.steps
    opening = f"{to_latex(chain.lhs)} &= {first.latex}" if chain.lhs is not None else f"& {first.latex}"
    lines = [opening]
    lines += [rf"&= {step.latex} && \text{{{text_mode(step.justification)}}}" for step in rest]
    body = " \\\\\n".join(f"  {line}" for line in lines)
    return f"\\begin{{aligned}}\n{body}\n\\end{{aligned}}"


_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "~": r"\textasciitilde{}",
}


def text_mode(text: str) -> str:
    r"""``text`` safe inside ``\text{}``: LaTeX's special characters are escaped, and inline
    math written ``\( … \)`` becomes ``$ … $``, which ``\text{}`` typesets as math."""
    parts = re.split(r"\\\((.+?)\\\)", text)
    return "".join(f"${part}$" if odd else "".join(_TEXT_ESCAPES.get(char, char) for char in part)
                   for odd, part in ((number % 2 == 1, part) for number, part in enumerate(parts)))
