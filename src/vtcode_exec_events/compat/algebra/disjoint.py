"""Disjointness proofs: no instance satisfies both schemas (for oneOf exclusivity and `not`)."""

from __future__ import annotations

from typing import Any

from vtcode_exec_events.compat.algebra.nodes import covered, expand, families, json_type, unwrap
from vtcode_exec_events.compat.algebra.patterns import certainly_misses
from vtcode_exec_events.compat.canonical import Node, canonical

__all__ = ["disjoint", "rejects"]


def rejects(node: Node, v: Any) -> bool:
    """True only when ``node`` certainly rejects the value ``v`` (local keywords only)."""
    node = unwrap(node)
    if node.false:
        return True
    t = json_type(v)
    if node.types is not None and not covered(t, node.types):
        return True
    if node.enum is not None and canonical(v) not in {canonical(e) for e in node.enum}:
        return True
    if node.not_ is not None:
        neg = unwrap(node.not_)
        if neg.enum is not None and canonical(v) in {canonical(e) for e in neg.enum}:
            return True
    if isinstance(v, str):
        pat = node.kw.get("pattern")
        if isinstance(pat, str) and certainly_misses(pat, v):
            return True
        if isinstance(node.kw.get("maxLength"), int) and len(v) > node.kw["maxLength"]:
            return True
        if isinstance(node.kw.get("minLength"), int) and len(v) < node.kw["minLength"]:
            return True
    return False


def disjoint(x: Node, y: Node, depth: int = 0) -> bool:
    """True only when no instance can satisfy both ``x`` and ``y`` (a proof, not a guess)."""
    x, y = unwrap(x), unwrap(y)
    if x.false or y.false:
        return True
    if depth > 8:
        return False
    if x.unions:
        return all(disjoint(b, y, depth + 1) for b in x.unions[0][1])
    if y.unions:
        return all(disjoint(x, b, depth + 1) for b in y.unions[0][1])
    tx, ty = families(x.types), families(y.types)
    if x.types is not None and y.types is not None:
        inter = set()
        for t in expand(x.types):
            for u in expand(y.types):
                if t == u or {t, u} == {"integer", "number"}:
                    inter.add(t)
        if not inter:
            return True
    if (
        x.enum is not None
        and y.enum is not None
        and not ({canonical(v) for v in x.enum} & {canonical(v) for v in y.enum})
    ):
        return True
    for e, other in ((x, y), (y, x)):
        if e.enum is not None and all(rejects(other, v) for v in e.enum):
            return True
    if "object" in tx and "object" in ty:
        # a tag property required on both sides with disjoint values
        px, py = x.kw.get("properties", {}), y.kw.get("properties", {})
        rx, ry = set(x.kw.get("required", [])), set(y.kw.get("required", []))
        only_objects = x.types == frozenset({"object"}) or y.types == frozenset({"object"})
        # a tag one side requires that the other side declares with disjoint values (the
        # other side need not require it: present, it is rejected there)
        tags = (set(px) & set(py)) & (rx | ry)
        if only_objects and any(disjoint(px[n], py[n], depth + 1) for n in sorted(tags)):
            return True
        if x.types == frozenset({"object"}) or y.types == frozenset({"object"}):
            # a property one side forbids (closed object) that the other requires
            for p, q in ((x, y), (y, x)):
                addl = p.kw.get("additionalProperties")
                if addl is not None and unwrap(addl).false:
                    for name in set(q.kw.get("required", [])):
                        if name not in p.kw.get("properties", {}) and not p.kw.get(
                            "patternProperties"
                        ):
                            return True
    return False
