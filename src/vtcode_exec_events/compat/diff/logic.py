"""allOf left unmerged, `not`, and if/then/else."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from vtcode_exec_events.compat.algebra.disjoint import disjoint
from vtcode_exec_events.compat.algebra.nodes import copy_node, unwrap
from vtcode_exec_events.compat.canonical import Node
from vtcode_exec_events.compat.diff.change import Path
from vtcode_exec_events.compat.diff.results import Out, Result

if TYPE_CHECKING:
    from vtcode_exec_events.compat.diff.engine import Differ

__all__ = ["compare_allof", "compare_cond", "compare_not"]


def compare_allof(d: Differ, a: Node, b: Node, path: Path, out: Out) -> None:
    """Every new member must be implied by some old member (backward), and every old member
    by some new one (forward)."""
    ra = copy_node(a)
    ra.allof = []
    rb = copy_node(b)
    rb.allof = []
    A = [ra, *(unwrap(x) for x in a.allof)]
    B = [rb, *(unwrap(x) for x in b.allof)]
    if ra.is_true and len(A) > 1:
        A = A[1:]
    if rb.is_true and len(B) > 1:
        B = B[1:]
    if len(A) == 1 and len(B) == 1:
        out.child(d.cmp(A[0], B[0], path))
        return
    for j, bj in enumerate(B):
        order = ([j] if j < len(A) else []) + [i for i in range(len(A)) if i != j]
        found = _first(d, ((A[i], bj) for i in order), path, backward=True)
        if found is None:
            out.append(
                d.change("PRODUCT_TYPE_EXTENDED", a, bj, path, decided=False, constraint=bj.display)
            )
        else:
            out.child(found, force_f=True)
    for i, ai in enumerate(A):
        order = ([i] if i < len(B) else []) + [j for j in range(len(B)) if j != i]
        found = _first(d, ((ai, B[j]) for j in order), path, backward=False)
        if found is None:
            out.append(
                d.change("PRODUCT_TYPE_NARROWED", ai, b, path, decided=False, constraint=ai.display)
            )
        else:
            out.child(found, force_b=True)


def _first(
    d: Differ, pairs: Iterable[tuple[Node, Node]], path: Path, *, backward: bool
) -> Result | None:
    for x, y in pairs:
        r = d.cmp(x, y, path)
        if r.backward if backward else r.forward:
            return r
    return None


def compare_not(d: Differ, a: Node, b: Node, path: Path, out: Out) -> None:
    """The excluded set: compared contravariantly, or proven disjoint when added/removed."""
    na, nb = a.not_, b.not_
    if na is None and nb is None:
        return
    if na is not None and nb is not None:
        r = d.cmp(unwrap(nb), unwrap(na), path)
        if r.backward and r.forward:
            return
        rule = (
            "NOT_TYPE_NARROWED"
            if r.backward
            else "NOT_TYPE_EXTENDED"
            if r.forward
            else "NOT_TYPE_CHANGED"
        )
        out.append(
            d.change(
                rule,
                na,
                nb,
                path,
                backward=r.backward,
                forward=r.forward,
                decided=False,
                at=(a, b),
            )
        )
    elif na is not None:
        if not disjoint(b, unwrap(na)):
            out.append(d.change("NOT_REMOVED", na, b, path, at=(a, b), schema=na.display))
    elif nb is not None and not disjoint(a, unwrap(nb)):
        out.append(d.change("NOT_ADDED", a, nb, path, decided=False, at=(a, b), schema=nb.display))


def compare_cond(d: Differ, a: Node, b: Node, path: Path, out: Out) -> None:
    """if/then/else: the same condition compares its branches; anything else is undecided."""
    ca, cb = a.cond, b.cond
    if ca is None and cb is None:
        return
    if ca is not None and cb is not None:
        r = d.cmp(unwrap(ca[0]), unwrap(cb[0]), path)
        if r.backward and r.forward:
            for xa, xb in ((ca[1], cb[1]), (ca[2], cb[2])):
                ya = unwrap(xa) if xa is not None else d.TRUE
                yb = unwrap(xb) if xb is not None else d.TRUE
                out.child(d.cmp(ya, yb, path))
            return
        out.append(d.change("CONDITIONAL_CHANGED", a, b, path, a_kw="if", b_kw="if", decided=False))
    elif cb is not None:
        out.append(d.change("CONDITIONAL_ADDED", a, b, path, b_kw="if", decided=False))
    else:
        out.append(d.change("CONDITIONAL_REMOVED", a, b, path, a_kw="if", decided=False))
