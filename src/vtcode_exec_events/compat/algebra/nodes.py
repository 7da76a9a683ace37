"""Canonical-node plumbing: copies, unwrapping, JSON types, finite value sets."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from vtcode_exec_events.compat.canonical import Node
from vtcode_exec_events.compat.loader import Location

__all__ = [
    "BASIC_TYPES",
    "TRUE_LOC",
    "copy_node",
    "covered",
    "expand",
    "families",
    "finite",
    "is_false_like",
    "json_type",
    "restrict",
    "shallow",
    "shape",
    "strip_annotations",
    "true_node",
    "unwrap",
]

#: The location of the implicit "accept anything" node (an absent sub-schema).
TRUE_LOC = Location("urn:vtcode-compat:true", "")
BASIC_TYPES = ("null", "boolean", "object", "array", "string", "number")


def true_node() -> Node:
    """A node accepting every value: what an absent sub-schema means."""
    n = Node(loc=TRUE_LOC, display="(absent: any value)")
    n.ready = True
    return n


def copy_node(x: Node) -> Node:
    """A shallow copy of ``x`` whose containers may be changed without touching ``x``."""
    n = Node(
        loc=x.loc,
        display=x.display,
        false=x.false,
        types=x.types,
        enum=list(x.enum) if x.enum is not None else None,
        kw=dict(x.kw),
        unions=list(x.unions),
        allof=list(x.allof),
        not_=x.not_,
        cond=x.cond,
        annotations=dict(x.annotations),
        unknown=dict(x.unknown),
        dynamic=x.dynamic,
        also=list(x.also),
    )
    n.ready = True
    n.copied = True
    return n


def shape(x: Node, seen: dict[int, tuple[Node, Hashable]]) -> Hashable:
    """The identity of ``x`` for memo and cycle checks: a node read from a document is itself;
    a copy the engine made (a union branch conjoined with its siblings, a restriction) is its
    content, so the copies one recursive definition yields at each visit are one pair and a
    recursion through them closes coinductively. ``seen`` holds each copy (alive) with its key."""
    if not x.copied:
        return id(x)
    hit = seen.get(id(x))
    if hit is not None:
        return hit[1]
    try:
        key: Hashable = (
            x.loc.uri,
            x.loc.pointer,
            x.display,
            x.false,
            x.types,
            x.enum_key,
            _content(x.enum, seen),
            _content(x.kw, seen),
            tuple((kind, _content(ms, seen)) for kind, ms in x.unions),
            _content(x.allof, seen),
            _content(x.not_, seen),
            _content(x.cond, seen),
            _content(x.annotations, seen),
            _content(x.unknown, seen),
            x.dynamic,
            tuple((loc.uri, loc.pointer) for loc in x.also),
            x.remote,
        )
        hash(key)
    except (RecursionError, TypeError):  # too deep to describe, or unhashable: itself
        key = id(x)
    seen[id(x)] = (x, key)
    return key


def _content(value: Any, seen: dict[int, tuple[Node, Hashable]]) -> Hashable:
    if isinstance(value, Node):
        return ("node", shape(value, seen))
    if isinstance(value, dict):
        return ("dict", tuple((k, _content(v, seen)) for k, v in sorted(value.items())))
    if isinstance(value, (list, tuple)):
        return ("list", tuple(_content(v, seen) for v in value))
    return (type(value).__name__, value)


def restrict(x: Node, family: str) -> Node:
    """``x`` limited to one JSON type family (``number`` covers integers)."""
    n = copy_node(x)
    allowed = {"number": {"number", "integer"}}.get(family, {family})
    if x.types is None:
        n.types = frozenset({"number"} if family == "number" else {family})
    else:
        n.types = frozenset(t for t in x.types if t in allowed)
    return n


def shallow(x: Node) -> bool:
    """Whether ``x`` has no sub-schemas (only local keywords such as `type`, `maxLength`)."""
    x = unwrap(x)
    if x.unions or x.allof or x.not_ is not None or x.cond is not None:
        return False
    for value in x.kw.values():
        inner = value.values() if isinstance(value, dict) else value
        if any(isinstance(v, Node) for v in (inner if isinstance(value, dict | list) else [value])):
            return False
    return True


def strip_annotations(x: Node) -> Node:
    """A copy of ``x`` without annotations and unknown keywords."""
    n = copy_node(x)
    n.annotations = {}
    n.unknown = {}
    return n


def unwrap(x: Node) -> Node:
    """Follow ``allOf`` wrappers that hold one member and nothing else."""
    seen = 0
    while (
        len(x.allof) == 1
        and x.types is None
        and x.enum is None
        and not x.kw
        and not x.unions
        and x.not_ is None
        and x.cond is None
        and not x.false
        and seen < 50
    ):
        x = x.allof[0]
        seen += 1
    return x


def is_false_like(x: Node) -> bool:
    """Whether ``x`` visibly accepts nothing."""
    return x.false or (x.enum is not None and not x.enum)


def expand(types: frozenset[str] | None) -> list[str]:
    """The JSON types a ``type`` set names, in a fixed order (None: every type)."""
    if types is None:
        return list(BASIC_TYPES)
    order = [*BASIC_TYPES, "integer"]
    return [t for t in order if t in types]


def covered(t: str, types: frozenset[str] | None) -> bool:
    """Whether type ``t`` is accepted by a ``type`` set."""
    if types is None:
        return True
    if t in types:
        return True
    return t == "integer" and "number" in types


def families(types: frozenset[str] | None) -> set[str]:
    """The type families of a ``type`` set (integer counts as number)."""
    if types is None:
        return set(BASIC_TYPES)
    return {"number" if t == "integer" else t for t in types}


def finite(x: Node) -> list[Any] | None:
    """The values of a schema that accepts finitely many (enum, const, null/boolean types)."""
    if x.enum is not None:
        return list(x.enum)
    if x.types is not None and x.types <= {"null", "boolean"} and x.types:
        vals: list[Any] = []
        if "null" in x.types:
            vals.append(None)
        if "boolean" in x.types:
            vals += [False, True]
        return vals
    return None


def json_type(v: Any) -> str:
    """The JSON Schema type of a value (integral floats are integers)."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer()):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    return "array" if isinstance(v, list) else "object"
