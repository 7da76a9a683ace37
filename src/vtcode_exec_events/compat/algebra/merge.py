"""Exact conjunction of canonical nodes: ``allOf`` members, single-type unions, type sets."""

from __future__ import annotations

from typing import Any

from vtcode_exec_events.compat.canonical import Node, canonical, type_of_kw

__all__ = ["merge_into", "simplify", "type_union", "unique_nodes"]


def simplify(node: Node) -> None:
    """Fold equivalent shapes into one: single-branch unions, plain allOf, type unions."""
    # single-branch anyOf/oneOf is its branch
    keep_unions: list[tuple[str, list[Node]]] = []
    for kind, branches in node.unions:
        # duplicates are harmless in anyOf; in oneOf they make the value match twice
        uniq = unique_nodes(branches) if kind == "anyOf" else branches
        if len(uniq) == 1:
            node.allof.append(uniq[0])
        elif not uniq:
            node.false = True
        else:
            keep_unions.append((kind, branches))
    node.unions = keep_unions
    # merge allOf members that are ready and plain
    remaining: list[Node] = []
    for member in node.allof:
        if member.ready and merge_into(node, member):
            continue
        remaining.append(member)
    node.allof = remaining
    # a union of single-type branches with disjoint types is a typed node
    if len(node.unions) == 1 and node.types is None and node.enum is None:
        kind, branches = node.unions[0]
        merged = type_union(branches)
        if merged is not None and not (set(node.kw) & set(merged[1])):
            node.types, kw = merged
            node.kw.update(kw)
            node.unions = []
    if node.types is not None and not node.types:
        node.false = True
    if node.enum is not None and not node.enum:
        node.false = True


def unique_nodes(nodes: list[Node]) -> list[Node]:
    seen: set[int] = set()
    out = []
    for n in nodes:
        if id(n) not in seen:
            seen.add(id(n))
            out.append(n)
    return out


def type_union(branches: list[Node]) -> tuple[frozenset[str], dict[str, Any]] | None:
    """Branches each of one distinct JSON type (and only that type's keywords) → one typed node."""
    types: set[str] = set()
    kw: dict[str, Any] = {}
    families: set[str] = set()
    for b in branches:
        if (
            b.false
            or b.types is None
            or b.enum is not None
            or b.unions
            or b.allof
            or b.not_ is not None
            or b.cond is not None
            or b.unknown
            or b.dynamic
            or b.remote is not None
        ):
            return None
        fams = {"number" if t == "integer" else t for t in b.types}
        if fams & families:
            return None
        for key in b.kw:
            fam = type_of_kw(key)
            if fam is None or fam not in fams:
                return None
        families |= fams
        types |= b.types
        kw.update(b.kw)
    return frozenset(types), kw


_BOUND_MIN = (
    "minimum",
    "exclusiveMinimum",
    "minLength",
    "minItems",
    "minProperties",
    "minContains",
)
_BOUND_MAX = (
    "maximum",
    "exclusiveMaximum",
    "maxLength",
    "maxItems",
    "maxProperties",
    "maxContains",
)


def _holds_nodes(value: Any) -> bool:
    return isinstance(value, list) and any(isinstance(x, Node) for x in value)


def merge_into(node: Node, member: Node) -> bool:
    """Conjoin ``member`` into ``node`` when the result is exactly expressible; else False."""
    if member.dynamic or member.unknown or member.remote is not None:
        return False
    if member.false:
        node.false = True
        return True
    if member.allof or member.cond is not None:
        return False
    if member.not_ is not None and node.not_ is not None:
        return False
    if member.unions and node.unions:
        return False
    # keywords: equal values, or bounds we can tighten; anything else stays unmerged
    for key, value in member.kw.items():
        if key not in node.kw:
            continue
        mine = node.kw[key]
        if key in _BOUND_MIN or key in _BOUND_MAX:
            continue
        if key == "required":
            continue
        if isinstance(value, Node) or isinstance(mine, Node):
            if value is not mine:
                return False
        elif _holds_nodes(value) or _holds_nodes(mine):  # prefixItems: the same nodes only
            if not (
                isinstance(value, list)
                and isinstance(mine, list)
                and len(value) == len(mine)
                and all(x is y for x, y in zip(value, mine, strict=True))
            ):
                return False
        elif isinstance(value, dict) or isinstance(mine, dict):
            if isinstance(value, dict) and isinstance(mine, dict):
                for k in set(value) & set(mine):
                    if value[k] is not mine[k] and value[k] != mine[k]:
                        return False
            else:
                return False
        elif canonical(value) != canonical(mine):
            return False
    for key, value in member.kw.items():
        if key not in node.kw:
            node.kw[key] = value
        elif key in _BOUND_MIN:
            node.kw[key] = max(node.kw[key], value)
        elif key in _BOUND_MAX:
            node.kw[key] = min(node.kw[key], value)
        elif key == "required":
            node.kw[key] = sorted(set(node.kw[key]) | set(value))
        elif isinstance(value, dict):
            node.kw[key] = {**value, **node.kw[key]}
    if member.types is not None:
        if node.types is None:
            node.types = member.types
        else:
            node.types = _intersect_types(node.types, member.types)
    if member.enum is not None:
        if node.enum is None:
            node.enum = list(member.enum)
        else:
            allowed = {canonical(v) for v in member.enum}
            node.enum = [v for v in node.enum if canonical(v) in allowed]
    if member.not_ is not None:
        node.not_ = member.not_
    node.unions.extend(member.unions)
    for k, v in member.annotations.items():
        node.annotations.setdefault(k, v)
    return True


def _intersect_types(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    out = set(a & b)
    if "number" in a and "integer" in b:
        out.add("integer")
    if "integer" in a and "number" in b:
        out.add("integer")
    if "integer" in out and "number" in out:
        out.discard("integer")
    return frozenset(out)
