"""One-line messages for what jsonschema-rs finds: what was found and what was expected."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:  # imported where first used: a log of clean lines never needs it
    import jsonschema_rs

__all__ = ["any_of_message", "message", "quoted", "short", "type_name"]


def short(value: Any, limit: int = 60) -> str:
    """A JSON rendering of a value, cut to ``limit`` characters."""
    try:
        text = orjson.dumps(value).decode()
    except TypeError:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def quoted(values: Sequence[Any]) -> str:
    return ", ".join(short(v) for v in values)


def message(error: jsonschema_rs.ValidationError) -> str:
    """A one-line message saying what was found and what was expected."""
    kind = error.kind
    name = kind.name
    shown = short(error.instance)
    data = kind.as_dict()
    if name == "enum":
        return f"{shown} is not one of {quoted(data.get('options', []))}"
    if name == "type":
        types = data.get("types") or [data.get("type")]
        return f"{shown} is not of type {' or '.join(str(t) for t in types)}"
    if name == "required":
        return f"{short(data.get('property'))} is a required property"
    if name == "constant":
        return f"{shown} is not {short(data.get('expected_value'))}"
    if name == "anyOf" or name == "oneOfNotValid":
        return any_of_message(error, shown)
    text: str = error.message
    return text if len(text) <= 300 else text[:299] + "…"


def any_of_message(error: jsonschema_rs.ValidationError, shown: str) -> str:
    """Explain an ``anyOf`` failure by its most specific branch, or list the types it allows."""
    branches = error.kind.as_dict().get("context") or []
    types: list[str] = []
    for branch in branches:
        first = branch[0] if branch else None
        if first is None:
            continue
        if first.kind.name == "type" and not first.instance_path:
            types.extend(str(t) for t in first.kind.as_dict().get("types", []))
            continue
        return message(first)
    if types:
        return f"{shown} is not of type {' or '.join(dict.fromkeys(types))}"
    return f"{shown} matches none of the allowed forms"
