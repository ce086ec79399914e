"""A small JSON Schema (draft 2020-12) validator for the keywords gradbook's schemas use.

It refuses a schema that uses any other keyword, so the schema cannot say more than is checked.
"""

from __future__ import annotations

import re
from typing import Any

ANNOTATIONS = {"$schema", "$id", "$defs", "title", "description"}
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


class UnsupportedKeyword(Exception):
    """The schema uses a keyword this validator does not check."""


def errors(instance: Any, schema: dict, root: dict | None = None, where: str = "$") -> list[str]:
    """Every way ``instance`` violates ``schema``, as ``path: problem`` lines (empty if valid)."""
    root = schema if root is None else root
    found: list[str] = []
    for keyword, value in schema.items():
        if keyword in ANNOTATIONS:
            continue
        check = CHECKS.get(keyword)
        if check is None:
            raise UnsupportedKeyword(keyword)
        found += check(instance, value, schema, root, where)
    return found


def _ref(instance, ref, schema, root, where):
    if not ref.startswith("#/"):
        raise UnsupportedKeyword(f"$ref {ref}")
    target = root
    for part in ref[2:].split("/"):
        target = target[part]
    return errors(instance, target, root, where)


def _type(instance, expected, schema, root, where):
    names = [expected] if isinstance(expected, str) else expected
    if any(TYPES[name](instance) for name in names):
        return []
    return [f"{where}: expected {' or '.join(names)}, got {type(instance).__name__}"]


def _properties(instance, properties, schema, root, where):
    if not isinstance(instance, dict):
        return []
    return [
        error
        for name, subschema in properties.items()
        if name in instance
        for error in errors(instance[name], subschema, root, f"{where}.{name}")
    ]


def _required(instance, names, schema, root, where):
    if not isinstance(instance, dict):
        return []
    return [f"{where}: missing {name!r}" for name in names if name not in instance]


def _additional(instance, allowed, schema, root, where):
    if not isinstance(instance, dict) or allowed is not False:
        if allowed not in (True, False):
            raise UnsupportedKeyword("additionalProperties with a schema")
        return []
    extra = sorted(set(instance) - set(schema.get("properties", {})))
    return [f"{where}: unexpected {name!r}" for name in extra]


def _items(instance, subschema, schema, root, where):
    if not isinstance(instance, list):
        return []
    return [e for n, item in enumerate(instance) for e in errors(item, subschema, root, f"{where}[{n}]")]


def _min_items(instance, count, schema, root, where):
    ok = not isinstance(instance, list) or len(instance) >= count
    return [] if ok else [f"{where}: fewer than {count} items"]


def _max_items(instance, count, schema, root, where):
    ok = not isinstance(instance, list) or len(instance) <= count
    return [] if ok else [f"{where}: more than {count} items"]


def _min_length(instance, count, schema, root, where):
    ok = not isinstance(instance, str) or len(instance) >= count
    return [] if ok else [f"{where}: shorter than {count}"]


def _pattern(instance, pattern, schema, root, where):
    ok = not isinstance(instance, str) or re.search(pattern, instance) is not None
    return [] if ok else [f"{where}: {instance!r} does not match {pattern}"]


def _minimum(instance, bound, schema, root, where):
    ok = not TYPES["number"](instance) or instance >= bound
    return [] if ok else [f"{where}: {instance} < {bound}"]


def _const(instance, value, schema, root, where):
    same = instance == value and type(instance) is type(value)
    return [] if same else [f"{where}: expected {value!r}, got {instance!r}"]


def _enum(instance, values, schema, root, where):
    return [] if instance in values else [f"{where}: {instance!r} not one of {values}"]


def _any_of(instance, options, schema, root, where):
    if any(not errors(instance, option, root, where) for option in options):
        return []
    return [f"{where}: matches none of the {len(options)} allowed forms"]


CHECKS = {
    "$ref": _ref,
    "type": _type,
    "properties": _properties,
    "required": _required,
    "additionalProperties": _additional,
    "items": _items,
    "minItems": _min_items,
    "maxItems": _max_items,
    "minLength": _min_length,
    "pattern": _pattern,
    "minimum": _minimum,
    "const": _const,
    "enum": _enum,
    "anyOf": _any_of,
}
