"""serde's strictness on top of JSON Schema: repeated declared fields, integers written as floats.

VT Code's decoder (serde, serde_json) rejects two things JSON Schema cannot see, because
every JSON parser in Python (orjson, ``json``) keeps the last of repeated keys and reads
``5.0`` as a number that ``"type": "integer"`` accepts:

- a key repeated in an object where it is a *declared* field (a struct's field, the ``type``
  tag, the envelope's keys): serde says "duplicate field". A key repeated inside a
  free-form value (``arguments``) or an unknown field keeps its last value, as serde does;
- a number written with a fraction, an exponent or as ``-0`` where an integer is declared:
  serde_json reads it as a float, and an integer field refuses a float.

Both are schema keywords of our own, added to the schema nodes in memory (the released
files are not changed) and evaluated by jsonschema-rs as custom keywords:
``x-serde-integer`` beside every ``"type": "integer"``, ``x-serde-fields`` (the declared
names) beside every ``properties``. Floats are seen in any parsed line. Repeated keys are
seen only in a line parsed by :func:`reparse`, which keeps them; a line needs that only when
it is not written the way orjson writes it back (:func:`canonical`), which VT Code's own
lines (and ours) always are.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import orjson

from vtcode_exec_events.pointer import escape

__all__ = [
    "FIELDS",
    "INTEGER",
    "KEYWORDS",
    "RepeatedKeys",
    "canonical",
    "duplicate_key",
    "reparse",
    "with_keywords",
]

INTEGER = "x-serde-integer"
FIELDS = "x-serde-fields"
_INT64 = -(1 << 63)
_UINT64 = 1 << 64


class RepeatedKeys(dict[str, Any]):
    """A JSON object that repeated some of its keys (the last value kept, as in serde)."""

    duplicates: tuple[str, ...] = ()


class _Integer:
    """``x-serde-integer``: a float is not an integer, whatever its value."""

    def __init__(self, parent_schema: Any, value: Any, schema_path: Any) -> None:
        pass

    def validate(self, instance: Any) -> None:
        if instance.__class__ is float:
            shown = "-0" if instance == 0 else orjson.dumps(instance).decode()
            raise ValueError(
                f"expected an integer, found {shown}: VT Code's decoder reads a number "
                "written with a fraction, an exponent or as -0 as a float"
            )


class _Fields:
    """``x-serde-fields``: a declared field may appear once in its object."""

    def __init__(self, parent_schema: Any, value: Any, schema_path: Any) -> None:
        self.declared = frozenset(value)

    def validate(self, instance: Any) -> None:
        if instance.__class__ is RepeatedKeys:
            for key in instance.duplicates:
                if key in self.declared:
                    raise ValueError(key)


#: The custom keywords, for every jsonschema-rs validator built on a transformed document.
KEYWORDS: dict[str, Any] = {INTEGER: _Integer, FIELDS: _Fields}


def _is_integer_type(value: Any) -> bool:
    """``integer`` is allowed and ``number`` is not (a ``serde_json::Number`` takes floats)."""
    if isinstance(value, list):
        return "integer" in value and "number" not in value
    return bool(value == "integer")


def with_keywords(node: Any, *, fields: bool = True) -> Any:
    """A copy of a schema document with the keywords added where they apply.

    ``fields=False`` leaves out ``x-serde-fields`` (the fast path: it only ever sees lines
    without repeated keys, and the keyword would cost a call per object).
    """
    if isinstance(node, list):
        return [with_keywords(v, fields=fields) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: with_keywords(v, fields=fields) for k, v in node.items()}
    if _is_integer_type(node.get("type")):
        out[INTEGER] = True
    properties = node.get("properties")
    if fields and isinstance(properties, Mapping) and properties:
        out[FIELDS] = sorted(properties)
    return out


def duplicate_key(pointer: str, key: str) -> tuple[str, str]:
    """Pointer and message for a declared field ``key`` repeated in the object at ``pointer``."""
    message = f'duplicate field "{key}": VT Code\'s decoder rejects the line'
    return f"{pointer}/{escape(key)}", message


def canonical(obj: Any, raw: bytes) -> bool:
    """Whether ``raw`` (line end aside) is exactly what orjson writes for ``obj``: then no
    key was repeated and no ``-0`` written."""
    try:
        return orjson.dumps(obj) == raw.rstrip(b"\r\n")
    except TypeError:  # nested deeper than orjson writes (254 levels; it reads 1024)
        return False


class _Marks:
    """What :func:`reparse` found that orjson's reading hides."""

    def __init__(self) -> None:
        self.found = False

    def pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) == len(pairs):
            return obj
        self.found = True
        seen: set[str] = set()
        repeated: dict[str, None] = {}
        for key, _ in pairs:
            if key in seen:
                repeated[key] = None
            seen.add(key)
        out = RepeatedKeys(obj)
        out.duplicates = tuple(repeated)
        return out

    def integer(self, text: str) -> int | float:
        value = int(text)
        if value == 0 and text.startswith("-"):
            self.found = True
            return -0.0  # serde_json reads -0 as a float
        if not _INT64 <= value < _UINT64:
            return float(text)  # as orjson and serde_json read it
        return value


def reparse(raw: bytes) -> Any | None:
    """The line parsed again keeping what serde would see (repeated keys, ``-0``), or ``None``
    when it holds nothing orjson's reading hides (or is too deep for Python's parser)."""
    marks = _Marks()
    try:
        obj = json.loads(raw, object_pairs_hook=marks.pairs, parse_int=marks.integer)
    except (ValueError, RecursionError):
        return None
    return obj if marks.found else None
