"""The canonical schema node (``Node``), canonical JSON text, and the keyword vocabulary."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from json.encoder import encode_basestring_ascii
from typing import Any

from vtcode_exec_events.compat.loader import Location

__all__ = [
    "ALL_TYPES",
    "ANNOTATIONS",
    "ARRAY_KW",
    "IGNORED",
    "KNOWN",
    "NUMBER_KW",
    "OBJECT_KW",
    "STRING_KW",
    "Node",
    "canonical",
    "type_of_kw",
]

ALL_TYPES = frozenset({"null", "boolean", "object", "array", "string", "number", "integer"})

ANNOTATIONS = (
    "title",
    "description",
    "default",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
)
IGNORED = frozenset(
    {
        "$schema",
        "$id",
        "id",
        "$anchor",
        "$dynamicAnchor",
        "$recursiveAnchor",
        "$defs",
        "definitions",
        "$vocabulary",
    }
)
STRING_KW = ("minLength", "maxLength", "pattern", "format")
NUMBER_KW = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
OBJECT_KW = (
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedProperties",
)
ARRAY_KW = (
    "prefixItems",
    "items",
    "contains",
    "minContains",
    "maxContains",
    "minItems",
    "maxItems",
    "uniqueItems",
    "unevaluatedItems",
)
KNOWN = frozenset(
    {*ANNOTATIONS, *IGNORED, *STRING_KW, *NUMBER_KW, *OBJECT_KW, *ARRAY_KW}
    | {"type", "enum", "const", "dependencies", "additionalItems", "anyOf", "oneOf", "allOf"}
    | {"not", "if", "then", "else", "$ref", "$dynamicRef", "$recursiveRef"}
)


def canonical(value: Any) -> str:
    """A canonical text for a JSON value (numbers compared by value, keys sorted)."""
    if isinstance(value, str):
        return encode_basestring_ascii(value)
    if value is None or isinstance(value, bool):
        return "null" if value is None else ("true" if value else "false")
    if isinstance(value, int):
        return str(value)

    def norm(v: Any) -> Any:
        if isinstance(v, bool) or v is None or isinstance(v, str):
            return v
        if isinstance(v, (int, float)):
            return float(v) if isinstance(v, float) and not v.is_integer() else int(v)
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items()}
        if isinstance(v, list):
            return [norm(x) for x in v]
        return v

    return json.dumps(norm(value), sort_keys=True, separators=(",", ":"))


@dataclass(eq=False)
class Node:
    """A canonical schema node. Sub-schemas are ``Node`` objects; identity is the node itself."""

    loc: Location
    display: str = ""
    false: bool = False
    types: frozenset[str] | None = None  # None: any type
    enum: list[Any] | None = None
    enum_key: str = "enum"
    kw: dict[str, Any] = field(default_factory=dict)
    unions: list[tuple[str, list[Node]]] = field(
        default_factory=list
    )  # ("anyOf"|"oneOf", branches)
    allof: list[Node] = field(default_factory=list)
    not_: Node | None = None
    cond: tuple[Node, Node | None, Node | None] | None = None  # if, then, else
    annotations: dict[str, Any] = field(default_factory=dict)
    unknown: dict[str, Any] = field(default_factory=dict)
    dynamic: bool = False  # carries $dynamicRef/$recursiveRef: resolved statically
    also: list[Location] = field(default_factory=list)  # further raw nodes this one conjoins
    remote: str | None = None  # an opaque reference to a document outside the set
    ready: bool = False
    copied: bool = False  # made by the engine (copy_node), not read from a document

    @property
    def is_true(self) -> bool:
        return (
            not self.false
            and self.types is None
            and self.enum is None
            and not self.kw
            and not self.unions
            and not self.allof
            and self.not_ is None
            and self.cond is None
            and self.remote is None
        )

    def fingerprint(self) -> str:
        return f"{self.loc.uri}#{self.loc.pointer}"


def type_of_kw(key: str) -> str | None:
    if key in STRING_KW:
        return "string"
    if key in NUMBER_KW:
        return "number"
    if key in OBJECT_KW:
        return "object"
    if key in ARRAY_KW:
        return "array"
    return None
