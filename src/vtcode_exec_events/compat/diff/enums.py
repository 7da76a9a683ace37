"""enum and const (and other finite schemas): decided exactly with the real validator."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vtcode_exec_events.compat.algebra.nodes import covered, finite, json_type
from vtcode_exec_events.compat.canonical import Node, canonical
from vtcode_exec_events.compat.diff.annotation import short
from vtcode_exec_events.compat.diff.change import Path
from vtcode_exec_events.compat.diff.results import Out

if TYPE_CHECKING:
    from vtcode_exec_events.compat.diff.engine import Differ

__all__ = ["compare"]


class _Acceptor:
    """Whether a node accepts a value: by set membership when the node is only an enum (and
    a type), in constant time; else by the real validator."""

    def __init__(self, d: Differ, node: Node, side: str) -> None:
        self.d, self.node, self.side = d, node, side
        simple = (
            node.enum is not None
            and not node.kw
            and not node.unions
            and not node.allof
            and node.not_ is None
            and node.cond is None
            and not node.also
            and not node.dynamic
            and node.remote is None
            and not node.false
        )
        self.values = {canonical(v) for v in node.enum} if simple and node.enum else None

    def __call__(self, value: Any) -> bool:
        if self.values is None:
            return self.d.valid(value, self.node, self.side)
        types = self.node.types
        return canonical(value) in self.values and (
            types is None or covered(json_type(value), types)
        )


def compare(d: Differ, a: Node, b: Node, path: Path, out: Out) -> None:
    """Compare two schemas at least one of which accepts finitely many values."""
    va = finite(a)
    vb = finite(b)
    in_a, in_b = _Acceptor(d, a, "old"), _Acceptor(d, b, "new")
    vals_a = [v for v in va if in_a(v)] if va is not None else None
    vals_b = [v for v in vb if in_b(v)] if vb is not None else None
    if vals_a is not None:
        lost = [v for v in vals_a if not in_b(v)]
        backward = not lost
    else:
        lost = []
        backward = False  # an infinite set never fits into a finite one
    if vals_b is not None:
        gained = [v for v in vals_b if not in_a(v)]
        forward = not gained
    else:
        gained = []
        forward = False
    if backward and forward:
        return
    if a.enum is not None and b.enum is not None:
        rule = (
            "ENUM_ARRAY_EXTENDED"
            if backward
            else "ENUM_ARRAY_NARROWED"
            if forward
            else "ENUM_ARRAY_CHANGED"
        )
    elif a.enum is not None and b.enum is None:
        rule = "ENUM_REMOVED" if vals_b is None else "ENUM_ARRAY_CHANGED"
    elif b.enum is not None:
        rule = "ENUM_ADDED" if vals_a is None else "ENUM_ARRAY_CHANGED"
    else:
        rule = "TYPE_CHANGED"
    parts = []
    if lost:
        parts.append(f"no longer accepts {', '.join(short(v) for v in lost[:5])}")
    elif not backward:
        parts.append("accepts only a fixed set of values the old schema did not limit")
    if gained:
        parts.append(f"now accepts {', '.join(short(v) for v in gained[:5])}")
    elif not forward:
        parts.append("accepts values outside the old fixed set")
    out.append(
        d.change(
            rule,
            a,
            b,
            path,
            backward=backward,
            forward=forward,
            a_kw=a.enum_key if a.enum is not None else None,
            b_kw=b.enum_key if b.enum is not None else None,
            hints=("values", tuple(lost[:3]), tuple(gained[:3])),
            detail="; ".join(parts),
        )
    )
