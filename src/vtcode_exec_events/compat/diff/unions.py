"""anyOf / oneOf: pair each branch with a partner branch, or a cover of several; oneOf overlap."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from vtcode_exec_events.compat.algebra.disjoint import disjoint
from vtcode_exec_events.compat.algebra.merge import merge_into
from vtcode_exec_events.compat.algebra.nodes import (
    copy_node,
    covered,
    families,
    finite,
    json_type,
    restrict,
    shallow,
    strip_annotations,
    unwrap,
)
from vtcode_exec_events.compat.canonical import Node, canonical
from vtcode_exec_events.compat.diff.change import Path
from vtcode_exec_events.compat.diff.results import Out, Result

if TYPE_CHECKING:
    from vtcode_exec_events.compat.diff.engine import Differ

__all__ = ["branches", "compare"]

_MAX_ALTERNATIVES = 6
_UNBOUNDED_UNION = 40
#: Above this many branches on the other side, a branch is ranked only against a pool: the
#: branches near its position and those with the same types, tags, properties and title
#: (ranking all of them against all would be quadratic: 2,000 branches, ~28 CPU-s).
_HUGE_UNION = 256


def branches(x: Node) -> tuple[str | None, list[Node]]:
    """The kind and the branches of ``x``'s first union, each conjoined with the rest of ``x``
    (a node without unions is its own single branch)."""
    if not x.unions:
        return None, [x]
    kind, members = x.unions[0]
    members = flatten(members)
    rest = copy_node(x)
    rest.unions = list(x.unions[1:])
    if rest.is_true and not rest.unions:
        return kind, members
    out = []
    for br in members:
        br = unwrap(br)
        v = copy_node(br)
        v.also = [*br.also, x.loc, *x.also]
        v.annotations = dict(br.annotations)
        if br.ready and merge_into(v, strip_annotations(rest)):
            out.append(v)
        else:
            w = copy_node(br)
            w.allof = [*br.allof, strip_annotations(rest)]
            w.also = [*br.also, x.loc, *x.also]
            out.append(w)
    return kind, out


def flatten(members: list[Node], depth: int = 0) -> list[Node]:
    """Inline nested unions (anyOf, or oneOf over provably disjoint branches)."""
    out: list[Node] = []
    for br in members:
        br = unwrap(br)
        inner = br.unions[0] if len(br.unions) == 1 else None
        rest_free = (
            inner is not None
            and br.types is None
            and br.enum is None
            and not br.kw
            and not br.allof
            and br.not_ is None
            and br.cond is None
            and not br.false
        )
        if inner is not None and rest_free and depth < 8:
            kind, sub = inner
            sub = [unwrap(x) for x in sub]
            if kind == "anyOf" or all(
                disjoint(sub[i], sub[j]) for i in range(len(sub)) for j in range(i + 1, len(sub))
            ):
                out.extend(flatten(sub, depth + 1))
                continue
        out.append(br)
    return out


def compare(d: Differ, a: Node, b: Node, path: Path, out: Out) -> None:
    """Every old branch must fit a new one (backward) and every new branch an old one
    (forward); oneOf also needs its branches to stay exclusive."""
    ka, A = branches(a)
    kb, B = branches(b)
    if len(A) == 1 and len(B) == 1:
        out.child(d.cmp(A[0], B[0], path))
        return
    m = _Matcher(d, A, B, path)
    bpart = {i: m.partner(i, backward=True) for i in range(len(A))}
    fpart = {j: m.partner(j, backward=False) for j in range(len(B))}
    for i, pj in bpart.items():
        if pj is None:
            m.unmatched(a, b, i, out, backward=True)
    for j, pi in fpart.items():
        if pi is None:
            m.unmatched(a, b, j, out, backward=False)
    shown: set[tuple[int, int]] = set()
    for i, pj in bpart.items():
        if pj is not None and pj >= 0 and (i, pj) not in shown:
            shown.add((i, pj))
            out.child(m.pair(i, pj), force_f=True)
    for j, pi in fpart.items():
        if pi is not None and pi >= 0 and (pi, j) not in shown:
            shown.add((pi, j))
            out.child(m.pair(pi, j), force_b=True)
    # oneOf: an instance must match exactly one branch
    equivalent = len(A) == len(B) and all(
        (A[i].false and B[i].false)  # an empty branch stays empty, at the same place
        or _mutual(m, bpart, fpart, i)
        for i in range(len(A))
    )
    if kb == "oneOf" and len(B) > 1 and not (equivalent and ka == "oneOf"):
        overlap = _overlapping(B)
        if overlap is not None:
            i, j = overlap
            out.append(_exclusivity(d, a, b, path, B, i, j, old=False))
    if ka == "oneOf" and len(A) > 1 and not (equivalent and kb == "oneOf"):
        overlap = _overlapping(A)
        if overlap is not None:
            i, j = overlap
            out.append(_exclusivity(d, a, b, path, A, i, j, old=True))


def _mutual(
    m: _Matcher, bpart: dict[int, int | None], fpart: dict[int, int | None], i: int
) -> bool:
    j = bpart[i]
    if j is None or j == -1 or fpart[j] != i:
        return False
    r = m.pair(i, j)
    return r.backward and r.forward


def _exclusivity(
    d: Differ, a: Node, b: Node, path: Path, xs: list[Node], i: int, j: int, *, old: bool
) -> Any:
    return d.change(
        "ONEOF_EXCLUSIVITY_UNPROVEN",
        a,
        b,
        path,
        backward=old,
        forward=not old,
        decided=False,
        hints=("oneof", i, j),
        side="old" if old else "new",
        first=xs[i].display,
        second=xs[j].display,
        consequence=" the new schema accepts" if old else ", which oneOf then rejects",
    )


class _Matcher:
    """Pairs branches of an old union ``A`` with branches of a new union ``B`` (memoised)."""

    def __init__(self, d: Differ, A: list[Node], B: list[Node], path: Path) -> None:
        self.d, self.A, self.B, self.path = d, A, B, path
        self._res: dict[tuple[int, int], Result] = {}
        self._apart: dict[tuple[int, int], bool] = {}
        # each branch's signature, once: candidates() ranks every branch of the other side
        self._sigs = ([_signature(x) for x in A], [_signature(x) for x in B])
        self._pools = tuple(Pool(sigs) if len(sigs) > _HUGE_UNION else None for sigs in self._sigs)

    def apart(self, i: int, j: int) -> bool:
        if (i, j) not in self._apart:
            self._apart[(i, j)] = disjoint(self.A[i], self.B[j])
        return self._apart[(i, j)]

    def pair(self, i: int, j: int) -> Result:
        if (i, j) not in self._res:
            self._res[(i, j)] = self.d.cmp(self.A[i], self.B[j], self.path)
        return self._res[(i, j)]

    def candidates(self, k: int, *, backward: bool) -> list[int]:
        mine, others = self._sigs if backward else self._sigs[::-1]
        return candidates(mine[k], others, k, self._pools[1 if backward else 0])

    def usable(self, i: int, j: int, backward: bool) -> bool:
        if self.apart(i, j):
            return False
        r = self.pair(i, j)
        return r.backward if backward else r.forward

    def partner(self, k: int, *, backward: bool) -> int | None:
        """Branch ``k``'s partner on the other side: its index, -1 for a cover by several
        branches, None when none is proven (breaking)."""
        mine, others = (self.A, self.B) if backward else (self.B, self.A)
        x = mine[k]
        if x.false:  # an empty branch is covered by anything
            return -1

        def fits(me: int, o: int) -> bool:
            return self.usable(me, o, True) if backward else self.usable(o, me, False)

        order = self.candidates(k, backward=backward)
        found = next((o for o in order if fits(k, o)), None)
        if found is None and _split_cover(self.d, x, others, self.path, backward=backward):
            return -1
        if found is None:
            side, other_side = ("old", "new") if backward else ("new", "old")
            found = _union_cover(self.d, x, side, others, other_side, order, fits, k)
        return found

    def unmatched(self, a: Node, b: Node, k: int, out: Out, *, backward: bool) -> None:
        """Explain branch ``k`` without a partner, through its closest counterpart."""
        x = (self.A if backward else self.B)[k]

        def res(o: int) -> Result:
            return self.pair(k, o) if backward else self.pair(o, k)

        near = [
            o
            for o in self.candidates(k, backward=backward)
            if not (self.apart(k, o) if backward else self.apart(o, k))
        ]
        rule = "SUM_TYPE_NARROWED" if backward else "SUM_TYPE_EXTENDED"
        where = (x, b) if backward else (a, x)
        if near:
            # explain through the closest counterpart (a discriminated union has one)
            best = min(near, key=lambda o: res(o).fail_b if backward else res(o).fail_f)
            r = res(best)
            if backward:
                out.child(r, force_f=True)
            else:
                out.child(r, force_b=True)
            if not (r.backward if backward else r.forward):
                return
            detail = (
                f"old branch {x.display} fits no single new branch"
                if backward
                else f"new branch {x.display} fits no single old branch"
            )
        else:
            detail = (
                f"old branch {x.display} has no counterpart in the new schema: its instances "
                "are rejected"
                if backward
                else f"new branch {x.display} accepts instances no old branch accepted "
                "(old readers reject them)"
            )
        out.append(
            self.d.change(
                rule,
                where[0],
                where[1],
                self.path,
                backward=not backward,
                forward=backward,
                detail=detail,
            )
        )


def _union_cover(
    d: Differ,
    x: Node,
    side: str,
    others: list[Node],
    other_side: str,
    tried: list[int],
    fits: Callable[[int, int], bool],
    me: int,
) -> int | None:
    """Whether branch ``x`` is contained in the union of ``others`` though no likely partner
    contains it (say an enum of strings next to a `{"type": "string"}` catch-all): every
    value of a finite ``x`` is accepted by some branch (checked with the validator), or
    some branch not tried yet, without sub-schemas (a catch-all such as a bare type: cheap to
    compare against, where trying every deep branch of a large union would be quadratic),
    contains all of ``x`` (``fits(me, k)``: branch ``me`` of this side fits into branch
    ``k`` of the other). -1 for a cover by several branches,
    the branch's index for one, None when containment is not proven (still breaking)."""
    values = finite(x)
    if values is not None and all(
        not d.valid(v, x, side)
        or any(
            not o.false and covered(json_type(v), o.types) and d.valid(v, o, other_side)
            for o in others
        )
        for v in values
    ):
        return -1
    rest = (k for k in range(len(others)) if k not in tried and shallow(others[k]))
    return next((k for k in rest if fits(me, k)), None)


def _split_cover(d: Differ, x: Node, others: list[Node], path: Path, *, backward: bool) -> bool:
    """Whether every JSON type of ``x`` fits into some branch of ``others`` (type by type)."""
    fams = families(x.types)
    if len(fams) < 2:
        return False
    for fam in sorted(fams):
        xs = restrict(x, fam)
        ok = False
        for o in others:
            if fam not in families(o.types):
                continue
            os_ = restrict(o, fam)
            r = d.cmp(xs, os_, path) if backward else d.cmp(os_, xs, path)
            if r.backward if backward else r.forward:
                ok = True
                break
        if not ok:
            return False
    return True


def _overlapping(xs: list[Node]) -> tuple[int, int] | None:
    for i in range(len(xs)):
        for j in range(i + 1, len(xs)):
            if not disjoint(xs[i], xs[j]):
                return i, j
    return None


Signature = tuple[Any, ...]


def _signature(x: Node) -> Signature:
    props = x.kw.get("properties", {})
    tags = tuple(
        sorted(
            (name, canonical(unwrap(p).enum))
            for name, p in props.items()
            if unwrap(p).enum is not None
        )
    )
    return (x.types, tags, tuple(sorted(props)), x.annotations.get("title"), x.display)


class Pool:
    """The branches of a huge union by kind (types, tags, properties, title), and the
    untagged ones, so that a branch of the other side is ranked against a few, not all."""

    def __init__(self, sigs: list[Signature]) -> None:
        self.by_kind: dict[Signature, list[int]] = {}
        for k, sig in enumerate(sigs):
            self.by_kind.setdefault(sig[:4], []).append(k)
        self.untagged = [k for k, sig in enumerate(sigs) if not sig[1]]

    def around(self, sx: Signature, position: int, size: int) -> list[int]:
        """The branches worth ranking for ``sx`` at ``position``: neighbours first."""
        near = range(max(0, position - _MAX_ALTERNATIVES), position + _MAX_ALTERNATIVES + 1)
        found = [*near, *self.by_kind.get(sx[:4], [])[:_MAX_ALTERNATIVES]]
        found += self.untagged[:_MAX_ALTERNATIVES]
        return [k for k in dict.fromkeys(found) if k < size]


def candidates(
    sx: Signature, others: list[Signature], position: int, pool: Pool | None = None
) -> list[int]:
    """Which branches of ``others`` (their signatures) to try as the partner of the branch
    with signature ``sx``: the same position first, then the most similar few (same tags,
    property names, title, definition). Trying every branch of two large unions against each
    other would be quadratic in deep comparisons; a branch with no partner among these is
    reported as unmatched, which can only err towards breaking."""
    if position < len(others):
        sp = others[position]
        named = sx[3] is not None and sx[3] == sp[3]
        same_def = sx[4] == sp[4] and not re.search(r"/(anyOf|oneOf|allOf)/\d+$", sx[4])
        if sx[0] == sp[0] and sx[1] == sp[1] and (named or same_def):
            # the branch at the same place has the same tags and name: it is the partner
            return [position]

    names = set(sx[2])

    def score(k: int) -> tuple[int, int]:
        so = others[k]
        same = sum(1 for p, q in zip(sx, so, strict=True) if p == q)
        shared = len(names.intersection(so[2]))
        return (-same, -shared)

    ranked = range(len(others)) if pool is None else pool.around(sx, position, len(others))
    rest = sorted((k for k in ranked if k != position), key=score)
    if len(rest) > _UNBOUNDED_UNION or pool is not None:
        # large unions: the most similar few, plus every untagged branch (a catch-all)
        untagged = [k for k in rest[_MAX_ALTERNATIVES:] if not others[k][1]]
        rest = rest[:_MAX_ALTERNATIVES] + untagged[:_MAX_ALTERNATIVES]
    return ([position] if position < len(others) else []) + rest
