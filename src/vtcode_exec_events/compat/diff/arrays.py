"""Arrays: tuple positions, items after the tuple, counts, uniqueness and contains."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vtcode_exec_events.compat.algebra.nodes import unwrap
from vtcode_exec_events.compat.canonical import Node
from vtcode_exec_events.compat.diff import scalars
from vtcode_exec_events.compat.diff.change import Path, Step
from vtcode_exec_events.compat.diff.results import Out

if TYPE_CHECKING:
    from vtcode_exec_events.compat.diff.engine import Differ

__all__ = ["compare"]

INF = float("inf")


def _rest(d: Differ, x: Node) -> Node:
    it = x.kw.get("items")
    if it is None:
        it = x.kw.get("unevaluatedItems")
    return unwrap(it) if it is not None else d.TRUE


def compare(d: Differ, a: Node, b: Node, path: Path, out: Out) -> None:
    """Every keyword of two array schemas."""
    pa = [unwrap(x) for x in a.kw.get("prefixItems", [])]
    pb = [unwrap(x) for x in b.kw.get("prefixItems", [])]
    ia, ib = _rest(d, a), _rest(d, b)
    for k in range(max(len(pa), len(pb))):
        _position(d, a, b, path, out, k, (pa, pb), (ia, ib))
    if not (ia.is_true and ib.is_true):
        _items(d, a, b, path, out, ia, ib, max(len(pa), len(pb)))
    scalars.bound(d, a, b, path, out, "minItems", lower=True)
    scalars.bound(d, a, b, path, out, "maxItems", lower=False)
    ua, ub = bool(a.kw.get("uniqueItems")), bool(b.kw.get("uniqueItems"))
    if ua != ub:
        if ub:
            out.append(d.change("UNIQUE_ITEMS_ADDED", a, b, path, b_kw="uniqueItems"))
        else:
            out.append(d.change("UNIQUE_ITEMS_REMOVED", a, b, path, a_kw="uniqueItems"))
    _contains(d, a, b, path, out)


def _position(
    d: Differ,
    a: Node,
    b: Node,
    path: Path,
    out: Out,
    k: int,
    prefixes: tuple[list[Node], list[Node]],
    rests: tuple[Node, Node],
) -> None:
    pa, pb = prefixes
    ia, ib = rests
    step = (*path, Step(a, b, k))
    xa = pa[k] if k < len(pa) else ia
    xb = pb[k] if k < len(pb) else ib
    r = d.cmp(xa, xb, step)
    if k < len(pa) and k < len(pb):
        out.child(r)
        return
    if k >= len(pa):  # position added
        if ia.false:
            rule = "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL"
        elif ia.is_true:
            rule = (
                "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL"
                if xb.is_true
                else "ITEM_ADDED_TO_OPEN_CONTENT_MODEL"
            )
        elif r.backward:
            rule = "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
        else:
            rule = "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
        out.append(d.change(rule, ia, xb, step, backward=r.backward, forward=r.forward, position=k))
        return
    if ib.false:
        rule = (
            "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL"
            if xa.false
            else "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL"
        )
    elif ib.is_true:
        rule = "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL"
    elif r.backward:
        rule = "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
    else:
        rule = "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
    out.append(d.change(rule, xa, ib, step, backward=r.backward, forward=r.forward, position=k))


def _items(
    d: Differ, a: Node, b: Node, path: Path, out: Out, ia: Node, ib: Node, after: int
) -> None:
    step = (*path, Step(a, b, after))
    r = d.cmp(ia, ib, step)
    if ia.false and not ib.false:
        out.append(d.change("ADDITIONAL_ITEMS_ADDED", a, b, path))
    elif ib.false and not ia.false:
        out.append(d.change("ADDITIONAL_ITEMS_REMOVED", a, b, step))
    elif ia.is_true:
        out.append(
            d.change(
                "ADDITIONAL_ITEMS_NARROWED", a, ib, step, backward=r.backward, schema=ib.display
            )
        )
    elif ib.is_true:
        out.append(d.change("ADDITIONAL_ITEMS_EXTENDED", ia, b, step, forward=r.forward))
    else:
        out.child(r)


def _contains(d: Differ, a: Node, b: Node, path: Path, out: Out) -> None:
    ca = unwrap(a.kw["contains"]) if "contains" in a.kw else None
    cb = unwrap(b.kw["contains"]) if "contains" in b.kw else None
    if ca is None and cb is None:
        return
    mina = a.kw.get("minContains", 1) if ca is not None else 0
    minb = b.kw.get("minContains", 1) if cb is not None else 0
    maxa = a.kw.get("maxContains", INF) if ca is not None else INF
    maxb = b.kw.get("maxContains", INF) if cb is not None else INF
    if ca is None:
        if minb > 0 or maxb < INF:
            out.append(d.change("CONTAINS_ADDED", a, cb, path, at=(a, b)))
        return
    if cb is None:
        if mina > 0 or maxa < INF:
            out.append(d.change("CONTAINS_REMOVED", ca, b, path, at=(a, b)))
        return
    r = d.cmp(ca, cb, path)
    equiv = r.backward and r.forward
    if not equiv:
        # backward: every array with >= mina items matching ca has >= minb matching cb
        backward = r.backward and mina >= minb and maxb == INF
        forward = r.forward and minb >= mina and maxa == INF
        out.append(
            d.change(
                "CONTAINS_CHANGED", ca, cb, path, backward=backward, forward=forward, at=(a, b)
            )
        )
        return
    scalars.bound(d, a, b, path, out, "minContains", lower=True, va=mina, vb=minb)
    scalars.bound(
        d,
        a,
        b,
        path,
        out,
        "maxContains",
        lower=False,
        va=None if maxa == INF else maxa,
        vb=None if maxb == INF else maxb,
    )
