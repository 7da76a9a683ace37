"""The semantic diff: compares two canonical schema graphs and classifies each change."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, ClassVar

from vtcode_exec_events.compat.loader import Location, SchemaSet
from vtcode_exec_events.compat.normalize import Node, Normalizer, _merge_into, canonical
from vtcode_exec_events.compat.rules import LENIENT_RULES

__all__ = ["Change", "Differ", "Step"]

INF = float("inf")


@dataclass(frozen=True)
class Step:
    """One step from a parent instance to a child: the parent nodes and the key or index."""

    old: Node
    new: Node
    key: str | int


@dataclass
class Change:
    """One classified difference between the old and the new schema."""

    id: str
    old_pointer: str
    new_pointer: str
    backward: bool
    forward: bool
    message: str
    witness: dict[str, Any] | None = None
    proven: bool = True  # False: the checker could not decide and counts it as breaking
    severity: str = "error"
    old_loc: Location | None = None
    new_loc: Location | None = None
    old_node: Node | None = field(default=None, repr=False, compare=False)
    new_node: Node | None = field(default=None, repr=False, compare=False)
    path: tuple[Step, ...] = field(default=(), repr=False, compare=False)
    hints: tuple[Any, ...] = field(default=(), repr=False, compare=False)

    @property
    def key(self) -> tuple[str, str, str, bool, bool, str]:
        return (
            self.id,
            self.old_pointer,
            self.new_pointer,
            self.backward,
            self.forward,
            self.message,
        )

    @property
    def breaking(self) -> bool:
        return not (self.backward and self.forward)


class _Result:
    """The outcome of comparing one pair of nodes: its own changes plus links to the results
    of sub-comparisons (shared, never copied, so a graph with many paths stays linear)."""

    __slots__ = ("backward", "children", "fail_b", "fail_f", "forward", "own")
    backward: bool
    forward: bool
    fail_b: int
    fail_f: int

    def __init__(
        self, own: list[Change], children: list[tuple[_Result, bool, bool]] | None = None
    ) -> None:
        self.own = own
        self.children = children or []
        self.fail_b = sum(1 for c in own if not c.backward) + sum(
            1 for r, fb, _ in self.children if not (fb or r.backward)
        )
        self.fail_f = sum(1 for c in own if not c.forward) + sum(
            1 for r, _, ff in self.children if not (ff or r.forward)
        )
        self.backward = self.fail_b == 0
        self.forward = self.fail_f == 0

    @property
    def changes(self) -> list[Change]:
        """Every change reachable from this result, once. A change reached through several
        paths keeps its most severe verdicts (a path may force a direction that does not
        depend on it there; another path may not)."""
        merged: dict[int, Change] = {}
        seen: set[tuple[int, bool, bool]] = set()
        stack: list[tuple[_Result, bool, bool]] = [(self, False, False)]
        while stack:
            res, fb, ff = stack.pop()
            key = (id(res), fb, ff)
            if key in seen:
                continue
            seen.add(key)
            for c in res.own:
                backward, forward = c.backward or fb, c.forward or ff
                prev = merged.get(id(c))
                if prev is not None:
                    backward, forward = backward and prev.backward, forward and prev.forward
                    if (backward, forward) == (prev.backward, prev.forward):
                        continue
                merged[id(c)] = (
                    c
                    if (backward, forward) == (c.backward, c.forward)
                    else replace(c, backward=backward, forward=forward)
                )
            for child, cfb, cff in reversed(res.children):
                stack.append((child, fb or cfb, ff or cff))
        return list(merged.values())


class _Out:
    """Collects a comparison's own changes and links to sub-results."""

    __slots__ = ("children", "own")

    def __init__(self) -> None:
        self.own: list[Change] = []
        self.children: list[tuple[_Result, bool, bool]] = []

    def append(self, change: Change) -> None:
        self.own.append(change)

    def child(self, result: _Result, *, force_b: bool = False, force_f: bool = False) -> None:
        if result.own or result.children:
            self.children.append((result, force_b, force_f))


_EMPTY = _Result([])
_TRUE_LOC = Location("urn:vtcode-compat:true", "")


def _true_node() -> Node:
    n = Node(loc=_TRUE_LOC, display="(absent: any value)")
    n.ready = True
    return n


def _false_node(loc: Location, display: str) -> Node:
    n = Node(loc=loc, display=display, false=True)
    n.ready = True
    return n


class Differ:
    """Compares nodes of an old and a new schema set under a policy."""

    def __init__(
        self,
        old: SchemaSet,
        new: SchemaSet,
        *,
        lenient: bool = False,
        format_assertion: bool = True,
        required_default_ok: bool = False,
    ) -> None:
        self.old_set = old
        self.new_set = new
        self.old_norm = Normalizer(old)
        self.new_norm = Normalizer(new)
        self.lenient = lenient
        self.format_assertion = format_assertion
        self.required_default_ok = required_default_ok
        self.TRUE = _true_node()
        # memo and cycle bookkeeping, keyed by the node objects (which keeps them alive)
        self._memo: dict[tuple[Node, Node], _Result] = {}
        self._active: set[tuple[Node, Node]] = set()
        self._assumed: set[tuple[Node, Node]] = set()
        self._known_failed: dict[tuple[Node, Node], _Result] = {}
        self.iterations = 0
        self.steps = 0

    # ---- entry -------------------------------------------------------------------------------
    def compare_roots(self, old_uri: str, new_uri: str) -> list[Change]:
        """Compare two entry documents. Recursion is handled coinductively: a pair met again
        while it is being compared is assumed compatible; if such an assumed pair then turns
        out incompatible, the whole comparison is repeated with that pair known to fail, until
        nothing changes (Confluent's fixpoint; failures only grow, so it terminates)."""
        a = self.old_norm.root(old_uri)
        b = self.new_norm.root(new_uri)
        for _ in range(50):
            self.iterations += 1
            self._memo.clear()
            self._active.clear()
            self._assumed.clear()
            result = self.cmp(a, b, ())
            fresh = {
                key: self._memo[key]
                for key in self._assumed
                if key in self._memo
                and key not in self._known_failed
                and not (self._memo[key].backward and self._memo[key].forward)
            }
            if not fresh:
                return result.changes
            self._known_failed.update(fresh)
        # no fixpoint within the budget: say so and count it as breaking
        undecided = self._ch(
            "COMBINED_TYPE_SUBSCHEMAS_CHANGED",
            a,
            b,
            False,
            False,
            "recursive schemas did not settle within the comparison budget",
            (),
            proven=False,
        )
        return [*result.changes, undecided]

    # ---- helpers -----------------------------------------------------------------------------
    def _ch(
        self,
        rule: str,
        a: Node | None,
        b: Node | None,
        backward: bool,
        forward: bool,
        message: str,
        path: tuple[Step, ...],
        *,
        a_kw: str | None = None,
        b_kw: str | None = None,
        proven: bool = True,
        hints: tuple[Any, ...] = (),
        at: tuple[Node, Node] | None = None,
    ) -> Change:
        if self.lenient and rule in LENIENT_RULES:
            backward = forward = True
        op = _ptr(a, a_kw)
        np = _ptr(b, b_kw)
        return Change(
            id=rule,
            old_pointer=op,
            new_pointer=np,
            backward=backward,
            forward=forward,
            message=message,
            proven=proven,
            old_loc=a.loc if a is not None else None,
            new_loc=b.loc if b is not None else None,
            old_node=at[0] if at else a,
            new_node=at[1] if at else b,
            path=path,
            hints=hints,
        )

    def valid(self, value: Any, node: Node, side: str) -> bool:
        """Whether ``node`` accepts ``value`` according to a real validator."""
        if node.false:
            return False
        if node.loc is _TRUE_LOC:
            return True
        for loc in (node.loc, *node.also):
            # a node belongs to the set holding its document (sides swap under `not`)
            preferred = self.old_set if side == "old" else self.new_set
            other = self.new_set if side == "old" else self.old_set
            schemas = preferred if loc.uri in preferred.documents else other
            if loc.uri not in schemas.documents:
                if loc is _TRUE_LOC:
                    continue
                return False
            if not schemas.is_valid(loc, value, formats=self.format_assertion):
                return False
        return True

    # ---- the recursive comparison ----------------------------------------------------------
    def cmp(self, a: Node, b: Node, path: tuple[Step, ...]) -> _Result:
        a = _unwrap(a)
        b = _unwrap(b)
        key = (a, b)
        memo = self._memo.get(key)
        if memo is not None:
            return memo
        known = self._known_failed.get(key)
        if known is not None:  # a failure found under optimistic assumptions is real
            return known
        if key in self._active:
            self._assumed.add(key)
            return _EMPTY
        self._active.add(key)
        self.steps += 1
        try:
            changes = self._cmp(a, b, path)
        finally:
            self._active.discard(key)
        res = _Result(changes.own, changes.children)
        self._memo[key] = res
        if not (res.backward and res.forward) and key not in self._assumed:
            self._known_failed[key] = res
        return res

    def _cmp(self, a: Node, b: Node, path: tuple[Step, ...]) -> _Out:
        out = _Out()
        sub = self.cmp

        self._annotations(a, b, path, out)
        if a.false and b.false:
            return out
        if a.false:
            if not _is_false_like(b):
                out.append(
                    self._ch(
                        "FALSE_SCHEMA_REMOVED",
                        a,
                        b,
                        True,
                        False,
                        "the old schema accepted nothing; the new one accepts values",
                        path,
                    )
                )
            return out
        if b.false:
            out.append(
                self._ch(
                    "FALSE_SCHEMA_ADDED", a, b, False, True, "the new schema accepts nothing", path
                )
            )
            return out

        if a.unions or b.unions:
            self._unions(a, b, path, out, sub)
            return out
        if a.allof or b.allof:
            self._allof(a, b, path, out, sub)
            return out
        self._plain(a, b, path, out, sub)
        return out

    # ---- annotations ---------------------------------------------------------------------------
    _ANN: ClassVar[dict[str, str]] = {
        "title": "TITLE_CHANGED",
        "description": "DESCRIPTION_CHANGED",
        "default": "DEFAULT_CHANGED",
        "examples": "EXAMPLES_CHANGED",
        "deprecated": "DEPRECATED_CHANGED",
        "readOnly": "READ_ONLY_CHANGED",
        "writeOnly": "WRITE_ONLY_CHANGED",
        "$comment": "COMMENT_CHANGED",
        "contentEncoding": "CONTENT_ANNOTATION_CHANGED",
        "contentMediaType": "CONTENT_ANNOTATION_CHANGED",
        "contentSchema": "CONTENT_ANNOTATION_CHANGED",
    }

    def _annotations(self, a: Node, b: Node, path: tuple[Step, ...], out: _Out) -> None:
        for key, rule in self._ANN.items():
            va = a.annotations.get(key, _MISSING)
            vb = b.annotations.get(key, _MISSING)
            if va is _MISSING and vb is _MISSING:
                continue
            if va is not _MISSING and vb is not _MISSING and canonical(va) == canonical(vb):
                continue
            out.append(
                self._ch(
                    rule,
                    a,
                    b,
                    True,
                    True,
                    f"{key} changed from {_short(va)} to {_short(vb)} (annotation only)",
                    path,
                    a_kw=key if va is not _MISSING else None,
                    b_kw=key if vb is not _MISSING else None,
                )
            )
        if canonical(a.unknown) != canonical(b.unknown):
            out.append(
                self._ch(
                    "UNKNOWN_KEYWORD_CHANGED",
                    a,
                    b,
                    True,
                    True,
                    "a keyword JSON Schema does not define changed (validators ignore it)",
                    path,
                )
            )

    # ---- unions ---------------------------------------------------------------------------------
    def _branches(self, x: Node) -> tuple[str | None, list[Node]]:
        if not x.unions:
            return None, [x]
        kind, branches = x.unions[0]
        branches = _flatten(branches)
        rest = _copy(x)
        rest.unions = list(x.unions[1:])
        if rest.is_true and not rest.unions:
            return kind, branches
        out = []
        for br in branches:
            br = _unwrap(br)
            v = _copy(br)
            v.also = [*br.also, x.loc, *x.also]
            v.annotations = dict(br.annotations)
            if br.ready and _merge_into(v, _strip_annotations(rest)):
                out.append(v)
            else:
                w = _copy(br)
                w.allof = [*br.allof, _strip_annotations(rest)]
                w.also = [*br.also, x.loc, *x.also]
                out.append(w)
        return kind, out

    def _unions(self, a: Node, b: Node, path: tuple[Step, ...], out: _Out, sub: Any) -> None:
        ka, A = self._branches(a)
        kb, B = self._branches(b)
        if len(A) == 1 and len(B) == 1:
            r = sub(A[0], B[0], path)
            out.child(r)
            return
        n, m = len(A), len(B)
        res: dict[tuple[int, int], _Result] = {}

        dis: dict[tuple[int, int], bool] = {}

        def apart(i: int, j: int) -> bool:
            if (i, j) not in dis:
                dis[(i, j)] = disjoint(A[i], B[j])
            return dis[(i, j)]

        def pair(i: int, j: int) -> _Result:
            if (i, j) not in res:
                res[(i, j)] = sub(A[i], B[j], path)
            return res[(i, j)]

        def usable(i: int, j: int, backward: bool) -> bool:
            if apart(i, j):
                return False
            r = pair(i, j)
            return r.backward if backward else r.forward

        def old_in_new(i: int, j: int) -> bool:
            return usable(i, j, True)

        def new_in_old(j: int, i: int) -> bool:
            return usable(i, j, False)

        # identical position first, then any
        bpart: dict[int, int | None] = {}
        for i in range(n):
            if A[i].false:  # an empty branch is covered by anything
                bpart[i] = -1
                continue
            order = _candidates(A[i], B, i)
            bpart[i] = next((j for j in order if usable(i, j, True)), None)
            if bpart[i] is None and self._split_cover(A[i], B, path, sub, backward=True):
                bpart[i] = -1
            if bpart[i] is None:
                bpart[i] = self._union_cover(A[i], "old", B, "new", order, old_in_new, i)
        fpart: dict[int, int | None] = {}
        for j in range(m):
            if B[j].false:
                fpart[j] = -1
                continue
            order = _candidates(B[j], A, j)
            fpart[j] = next((i for i in order if usable(i, j, False)), None)
            if fpart[j] is None and self._split_cover(B[j], A, path, sub, backward=False):
                fpart[j] = -1
            if fpart[j] is None:
                fpart[j] = self._union_cover(B[j], "new", A, "old", order, new_in_old, j)

        for i, pj in bpart.items():
            if pj is not None:
                continue
            near = [k for k in _candidates(A[i], B, i) if not apart(i, k)]
            if near:
                # explain through the closest counterpart (a discriminated union has one)
                best = min(near, key=lambda k: pair(i, k).fail_b)
                out.child(pair(i, best), force_f=True)
                if pair(i, best).backward:
                    out.append(
                        self._ch(
                            "SUM_TYPE_NARROWED",
                            A[i],
                            b,
                            False,
                            True,
                            f"old branch {A[i].display} fits no single new branch",
                            path,
                        )
                    )
            else:
                out.append(
                    self._ch(
                        "SUM_TYPE_NARROWED",
                        A[i],
                        b,
                        False,
                        True,
                        f"old branch {A[i].display} has no counterpart in the new schema: its "
                        "instances are rejected",
                        path,
                    )
                )
        for j, pi in fpart.items():
            if pi is not None:
                continue
            near = [k for k in _candidates(B[j], A, j) if not apart(k, j)]
            if near:
                best = min(near, key=lambda k: pair(k, j).fail_f)
                out.child(pair(best, j), force_b=True)
                if pair(best, j).forward:
                    out.append(
                        self._ch(
                            "SUM_TYPE_EXTENDED",
                            a,
                            B[j],
                            True,
                            False,
                            f"new branch {B[j].display} fits no single old branch",
                            path,
                        )
                    )
            else:
                out.append(
                    self._ch(
                        "SUM_TYPE_EXTENDED",
                        a,
                        B[j],
                        True,
                        False,
                        f"new branch {B[j].display} accepts instances no old branch accepted "
                        "(old readers reject them)",
                        path,
                    )
                )
        shown: set[tuple[int, int]] = set()
        for i, pj in bpart.items():
            if pj is not None and pj >= 0 and (i, pj) not in shown:
                shown.add((i, pj))
                out.child(pair(i, pj), force_f=True)
        for j, pi in fpart.items():
            if pi is not None and pi >= 0 and (pi, j) not in shown:
                shown.add((pi, j))
                out.child(pair(pi, j), force_b=True)

        # oneOf: an instance must match exactly one branch
        equivalent = n == m and all(
            (A[i].false and B[i].false)  # an empty branch stays empty, at the same place
            or (
                bpart[i] is not None
                and bpart[i] != -1
                and fpart[bpart[i]] == i  # type: ignore[index]
                and pair(i, bpart[i]).backward  # type: ignore[arg-type]
                and pair(i, bpart[i]).forward  # type: ignore[arg-type]
            )
            for i in range(n)
        )
        if kb == "oneOf" and len(B) > 1 and not (equivalent and ka == "oneOf"):
            overlap = self._overlapping(B, "new")
            if overlap is not None:
                i, j = overlap
                out.append(
                    self._ch(
                        "ONEOF_EXCLUSIVITY_UNPROVEN",
                        a,
                        b,
                        False,
                        True,
                        f"new oneOf branches {B[i].display} and {B[j].display} may both match one "
                        "instance, which oneOf then rejects",
                        path,
                        proven=False,
                        hints=("oneof", i, j),
                    )
                )
        if ka == "oneOf" and len(A) > 1 and not (equivalent and kb == "oneOf"):
            overlap = self._overlapping(A, "old")
            if overlap is not None:
                i, j = overlap
                out.append(
                    self._ch(
                        "ONEOF_EXCLUSIVITY_UNPROVEN",
                        a,
                        b,
                        True,
                        False,
                        f"old oneOf branches {A[i].display} and {A[j].display} may both match one "
                        "instance the new schema accepts",
                        path,
                        proven=False,
                        hints=("oneof", i, j),
                    )
                )

    def _union_cover(
        self,
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
        values = _finite(x)
        if values is not None and all(
            not self.valid(v, x, side)
            or any(
                not o.false and _covered(_json_type(v), o.types) and self.valid(v, o, other_side)
                for o in others
            )
            for v in values
        ):
            return -1
        rest = (k for k in range(len(others)) if k not in tried and _shallow(others[k]))
        return next((k for k in rest if fits(me, k)), None)

    def _split_cover(
        self, x: Node, others: list[Node], path: tuple[Step, ...], sub: Any, *, backward: bool
    ) -> bool:
        """Whether every JSON type of ``x`` fits into some branch of ``others`` (type by type)."""
        fams = _families(x.types)
        if len(fams) < 2:
            return False
        for fam in sorted(fams):
            xs = _restrict(x, fam)
            ok = False
            for o in others:
                if fam not in _families(o.types):
                    continue
                os_ = _restrict(o, fam)
                r = sub(xs, os_, path) if backward else sub(os_, xs, path)
                if r.backward if backward else r.forward:
                    ok = True
                    break
            if not ok:
                return False
        return True

    def _overlapping(self, branches: list[Node], side: str) -> tuple[int, int] | None:
        for i in range(len(branches)):
            for j in range(i + 1, len(branches)):
                if not disjoint(branches[i], branches[j]):
                    return i, j
        return None

    # ---- allOf left unmerged -----------------------------------------------------------------
    def _allof(self, a: Node, b: Node, path: tuple[Step, ...], out: _Out, sub: Any) -> None:
        ra = _copy(a)
        ra.allof = []
        rb = _copy(b)
        rb.allof = []
        A = [ra, *(_unwrap(x) for x in a.allof)]
        B = [rb, *(_unwrap(x) for x in b.allof)]
        if ra.is_true and len(A) > 1:
            A = A[1:]
        if rb.is_true and len(B) > 1:
            B = B[1:]
        if len(A) == 1 and len(B) == 1:
            out.child(sub(A[0], B[0], path))
            return
        # backward: every new member must be implied by some old member
        for j, bj in enumerate(B):
            order = ([j] if j < len(A) else []) + [i for i in range(len(A)) if i != j]
            found = None
            for i in order:
                r = sub(A[i], bj, path)
                if r.backward:
                    found = r
                    break
            if found is None:
                out.append(
                    self._ch(
                        "PRODUCT_TYPE_EXTENDED",
                        a,
                        bj,
                        False,
                        True,
                        f"new constraint {bj.display} is not implied by the old schema",
                        path,
                        proven=False,
                    )
                )
            else:
                out.child(found, force_f=True)
        for i, ai in enumerate(A):
            order = ([i] if i < len(B) else []) + [j for j in range(len(B)) if j != i]
            found = None
            for j in order:
                r = sub(ai, B[j], path)
                if r.forward:
                    found = r
                    break
            if found is None:
                out.append(
                    self._ch(
                        "PRODUCT_TYPE_NARROWED",
                        ai,
                        b,
                        True,
                        False,
                        f"old constraint {ai.display} is not implied by the new schema",
                        path,
                        proven=False,
                    )
                )
            else:
                out.child(found, force_b=True)

    # ---- plain nodes ---------------------------------------------------------------------------
    def _plain(self, a: Node, b: Node, path: tuple[Step, ...], out: _Out, sub: Any) -> None:
        if a.enum is not None or b.enum is not None or _finite(a) or _finite(b):
            self._enum(a, b, path, out)
            return
        ta = _families(a.types)
        tb = _families(b.types)
        removed = [t for t in _expand(a.types) if not _covered(t, b.types)]
        added = [t for t in _expand(b.types) if not _covered(t, a.types)]
        if removed or added:
            if (
                a.types == frozenset({"integer"})
                and b.types is not None
                and "number" in b.types
                and not removed
            ):
                rule = "TYPE_EXTENDED"
            elif (
                b.types == frozenset({"integer"})
                and a.types is not None
                and "number" in a.types
                and not added
            ):
                rule = "TYPE_NARROWED"
            elif removed and added:
                rule = "TYPE_CHANGED"
            elif added:
                rule = "SUM_TYPE_EXTENDED"
            elif a.types is None:
                rule = "TYPE_CHANGED"
            else:
                rule = "SUM_TYPE_NARROWED"
            msg = []
            if removed:
                msg.append(f"no longer accepts {', '.join(removed)}")
            if added:
                msg.append(f"now also accepts {', '.join(added)}")
            out.append(
                self._ch(
                    rule,
                    a,
                    b,
                    not removed,
                    not added,
                    "type " + " and ".join(msg),
                    path,
                    a_kw="type" if a.types is not None else None,
                    b_kw="type" if b.types is not None else None,
                    hints=("types", tuple(removed), tuple(added)),
                )
            )
        shared = ta & tb
        if "string" in shared:
            self._string(a, b, path, out)
        if "number" in shared:
            self._number(a, b, path, out)
        if "object" in shared:
            self._object(a, b, path, out, sub)
        if "array" in shared:
            self._array(a, b, path, out, sub)
        self._not(a, b, path, out, sub)
        self._cond(a, b, path, out, sub)

    # ---- enum / const: decided exactly with the real validator ---------------------------
    def _enum(self, a: Node, b: Node, path: tuple[Step, ...], out: _Out) -> None:
        va = _finite(a)
        vb = _finite(b)
        vals_a = [v for v in va if self.valid(v, a, "old")] if va is not None else None
        vals_b = [v for v in vb if self.valid(v, b, "new")] if vb is not None else None
        if vals_a is not None:
            lost = [v for v in vals_a if not self.valid(v, b, "new")]
            backward = not lost
        else:
            lost = []
            backward = False  # an infinite set never fits into a finite one
        if vals_b is not None:
            gained = [v for v in vals_b if not self.valid(v, a, "old")]
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
            parts.append(f"no longer accepts {', '.join(_short(v) for v in lost[:5])}")
        elif not backward:
            parts.append("accepts only a fixed set of values the old schema did not limit")
        if gained:
            parts.append(f"now accepts {', '.join(_short(v) for v in gained[:5])}")
        elif not forward:
            parts.append("accepts values outside the old fixed set")
        a_kw = a.enum_key if a.enum is not None else None
        b_kw = b.enum_key if b.enum is not None else None
        out.append(
            self._ch(
                rule,
                a,
                b,
                backward,
                forward,
                "; ".join(parts),
                path,
                a_kw=a_kw,
                b_kw=b_kw,
                hints=("values", tuple(lost[:3]), tuple(gained[:3])),
            )
        )

    # ---- strings ------------------------------------------------------------------------------
    def _string(self, a: Node, b: Node, path: tuple[Step, ...], out: _Out) -> None:
        self._bound(a, b, path, out, "minLength", "MIN_LENGTH", lower=True)
        self._bound(a, b, path, out, "maxLength", "MAX_LENGTH", lower=False)
        pa, pb = a.kw.get("pattern"), b.kw.get("pattern")
        if pa != pb:
            if pa is None:
                out.append(
                    self._ch(
                        "PATTERN_ADDED",
                        a,
                        b,
                        False,
                        True,
                        f"pattern {pb!r} added",
                        path,
                        b_kw="pattern",
                    )
                )
            elif pb is None:
                out.append(
                    self._ch(
                        "PATTERN_REMOVED",
                        a,
                        b,
                        True,
                        False,
                        f"pattern {pa!r} removed",
                        path,
                        a_kw="pattern",
                    )
                )
            else:
                la, lb = pattern_language(pa), pattern_language(pb)
                decided = la is not None and lb is not None
                backward = decided and _lang_subset(la, lb)  # type: ignore[arg-type]
                forward = decided and _lang_subset(lb, la)  # type: ignore[arg-type]
                if not (backward and forward):
                    if decided:
                        msg = _describe_languages(la, lb)  # type: ignore[arg-type]
                    else:
                        msg = (
                            f"pattern changed from {pa!r} to {pb!r} "
                            "(regex inclusion is not decided)"
                        )
                    out.append(
                        self._ch(
                            "PATTERN_CHANGED",
                            a,
                            b,
                            backward,
                            forward,
                            msg,
                            path,
                            a_kw="pattern",
                            b_kw="pattern",
                            proven=decided,
                            hints=("pattern", la, lb),
                        )
                    )
        fa, fb = a.kw.get("format"), b.kw.get("format")
        if fa != fb:
            strict = self.format_assertion
            if fa is None:
                out.append(
                    self._ch(
                        "FORMAT_ADDED",
                        a,
                        b,
                        not strict,
                        True,
                        f"format {fb!r} added",
                        path,
                        b_kw="format",
                    )
                )
            elif fb is None:
                out.append(
                    self._ch(
                        "FORMAT_REMOVED",
                        a,
                        b,
                        True,
                        not strict,
                        f"format {fa!r} removed",
                        path,
                        a_kw="format",
                    )
                )
            else:
                out.append(
                    self._ch(
                        "FORMAT_CHANGED",
                        a,
                        b,
                        not strict,
                        not strict,
                        f"format changed from {fa!r} to {fb!r}",
                        path,
                        a_kw="format",
                        b_kw="format",
                    )
                )

    def _bound(
        self,
        a: Node,
        b: Node,
        path: tuple[Step, ...],
        out: _Out,
        kw: str,
        rule: str,
        *,
        lower: bool,
        va: Any = None,
        vb: Any = None,
    ) -> None:
        va = a.kw.get(kw) if va is None else va
        vb = b.kw.get(kw) if vb is None else vb
        if va == vb or (va is None and vb is None):
            return
        if va is None:
            what, looser = "ADDED", False
        elif vb is None:
            what, looser = "REMOVED", True
        elif vb > va:
            what, looser = "INCREASED", not lower
        else:
            what, looser = "DECREASED", lower
        if lower and va is None and vb == 0:
            return
        if lower and vb is None and va == 0:
            return
        out.append(
            self._ch(
                f"{rule}_{what}",
                a,
                b,
                looser,
                not looser,
                f"{kw} {what.lower()}"
                + (f" from {va}" if va is not None else "")
                + (f" to {vb}" if vb is not None else ""),
                path,
                a_kw=kw if va is not None else None,
                b_kw=kw if vb is not None else None,
                hints=("bound", kw, va, vb),
            )
        )

    # ---- numbers ------------------------------------------------------------------------------
    def _number(self, a: Node, b: Node, path: tuple[Step, ...], out: _Out) -> None:
        for lower, (inc, exc) in (
            (True, ("minimum", "exclusiveMinimum")),
            (False, ("maximum", "exclusiveMaximum")),
        ):
            ba = _eff_bound(a.kw, inc, exc, lower)
            bb = _eff_bound(b.kw, inc, exc, lower)
            if ba == bb:
                continue
            if ba is None:
                looser = False
                kw = exc if bb is not None and bb[1] else inc
                what = "ADDED"
            elif bb is None:
                looser = True
                kw = exc if ba[1] else inc
                what = "REMOVED"
            else:
                looser = _looser(bb, ba, lower)
                kw = exc if bb[1] else inc
                what = (
                    "INCREASED"
                    if (bb[0], bb[1] != lower) > (ba[0], ba[1] != lower)
                    else "DECREASED"
                )
                if bb[0] == ba[0]:
                    what = (
                        "INCREASED"
                        if (lower and bb[1]) or (not lower and not bb[1])
                        else "DECREASED"
                    )
            rule = {
                "minimum": "MINIMUM",
                "exclusiveMinimum": "EXCLUSIVE_MINIMUM",
                "maximum": "MAXIMUM",
                "exclusiveMaximum": "EXCLUSIVE_MAXIMUM",
            }[kw]

            def desc(x: tuple[Any, bool] | None, lower: bool = lower) -> str:
                if x is None:
                    return "none"
                if lower:
                    return ("> " if x[1] else ">= ") + str(x[0])
                return ("< " if x[1] else "<= ") + str(x[0])

            out.append(
                self._ch(
                    f"{rule}_{what}",
                    a,
                    b,
                    looser,
                    not looser,
                    f"{'lower' if lower else 'upper'} bound changed from {desc(ba)} to {desc(bb)}",
                    path,
                    a_kw=_bound_kw(a.kw, inc, exc),
                    b_kw=_bound_kw(b.kw, inc, exc),
                    hints=("num", lower, ba, bb),
                )
            )
        ma, mb = a.kw.get("multipleOf"), b.kw.get("multipleOf")
        if ma != mb:
            if ma is None:
                out.append(
                    self._ch(
                        "MULTIPLE_OF_ADDED",
                        a,
                        b,
                        False,
                        True,
                        f"multipleOf {mb} added",
                        path,
                        b_kw="multipleOf",
                    )
                )
            elif mb is None:
                out.append(
                    self._ch(
                        "MULTIPLE_OF_REMOVED",
                        a,
                        b,
                        True,
                        False,
                        f"multipleOf {ma} removed",
                        path,
                        a_kw="multipleOf",
                    )
                )
            else:
                fa, fb = Fraction(str(ma)), Fraction(str(mb))
                if (fa / fb).denominator == 1:
                    out.append(
                        self._ch(
                            "MULTIPLE_OF_REDUCED",
                            a,
                            b,
                            True,
                            False,
                            f"multipleOf {ma} → {mb}: more values allowed",
                            path,
                            a_kw="multipleOf",
                            b_kw="multipleOf",
                        )
                    )
                elif (fb / fa).denominator == 1:
                    out.append(
                        self._ch(
                            "MULTIPLE_OF_EXPANDED",
                            a,
                            b,
                            False,
                            True,
                            f"multipleOf {ma} → {mb}: fewer values allowed",
                            path,
                            a_kw="multipleOf",
                            b_kw="multipleOf",
                        )
                    )
                else:
                    out.append(
                        self._ch(
                            "MULTIPLE_OF_CHANGED",
                            a,
                            b,
                            False,
                            False,
                            f"multipleOf changed from {ma} to {mb}",
                            path,
                            a_kw="multipleOf",
                            b_kw="multipleOf",
                        )
                    )

    # ---- objects ------------------------------------------------------------------------------
    def _rest(self, x: Node) -> Node:
        addl = x.kw.get("additionalProperties")
        if addl is None:
            addl = x.kw.get("unevaluatedProperties")
        return _unwrap(addl) if addl is not None else self.TRUE

    def _for_name(self, x: Node, name: str) -> tuple[Node, str]:
        props = x.kw.get("properties", {})
        pats = [s for p, s in x.kw.get("patternProperties", {}).items() if _search(p, name)]
        if name in props:
            base, how = _unwrap(props[name]), "declared"
        elif pats:
            base, how = _unwrap(pats[0]), "pattern"
            pats = pats[1:]
        else:
            rest = self._rest(x)
            return rest, ("closed" if rest.false else "open" if rest.is_true else "partial")
        if pats:
            v = _copy(base)
            v.allof = [*base.allof, *pats]
            return v, how
        return base, how

    def _object(self, a: Node, b: Node, path: tuple[Step, ...], out: _Out, sub: Any) -> None:
        pa = a.kw.get("properties", {})
        pb = b.kw.get("properties", {})
        ra = set(a.kw.get("required", []))
        rb = set(b.kw.get("required", []))
        names = list(dict.fromkeys([*pa, *pb, *sorted(ra), *sorted(rb)]))
        for name in names:
            step = (*path, Step(a, b, name))
            sa, how_a = self._for_name(a, name)
            sb, how_b = self._for_name(b, name)
            req_a, req_b = name in ra, name in rb
            has_default = "default" in sb.annotations
            declared_a, declared_b = name in pa, name in pb
            if declared_a and declared_b:
                out.child(sub(sa, sb, step))
            elif declared_b:
                r = sub(sa, sb, step)
                if how_a == "open":
                    if sb.is_true:
                        out.append(
                            self._ch(
                                "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
                                a,
                                sb,
                                True,
                                True,
                                f"property {name!r} added (accepts anything)",
                                path,
                            )
                        )
                    elif not req_b:
                        out.append(
                            self._ch(
                                "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
                                a,
                                sb,
                                r.backward,
                                True,
                                f"optional property {name!r} added to an open object: old "
                                f"data may carry {name!r} with any value",
                                path,
                                hints=("prop", name),
                                at=(a, b),
                            )
                        )
                    elif req_a:
                        # Required before but undeclared (any value); declaring it now
                        # narrows what it accepts: the nested comparison says how.
                        out.child(r)
                elif how_a == "closed":
                    if not req_b:
                        out.append(
                            self._ch(
                                "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
                                a,
                                sb,
                                True,
                                sb.false,
                                f"optional property {name!r} added; old readers reject "
                                "it (the old object was closed)",
                                path,
                                hints=("prop", name),
                                at=(a, b),
                            )
                        )
                else:
                    rule = (
                        "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                        if r.backward
                        else "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                    )
                    out.append(
                        self._ch(
                            rule,
                            sa,
                            sb,
                            r.backward,
                            r.forward,
                            f"property {name!r} added where the old schema allowed it "
                            f"through {sa.display}",
                            path,
                            hints=("prop", name),
                            at=(a, b),
                        )
                    )
                    out.child(r)
                if req_b and not req_a:
                    open_ = "OPEN" if how_a == "open" else "UNOPEN"
                    if has_default:
                        rule = f"REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_{open_}_CONTENT_MODEL"
                    else:
                        rule = f"REQUIRED_PROPERTY_ADDED_TO_{open_}_CONTENT_MODEL"
                    ok = has_default and self.required_default_ok
                    out.append(
                        self._ch(
                            rule,
                            a,
                            sb,
                            ok,
                            True,
                            f"new required property {name!r}: old data without it is rejected",
                            path,
                            hints=("req", name),
                            at=(a, b),
                        )
                    )
                    req_a = req_b  # reported
            elif declared_a:
                r = sub(sa, sb, step)
                if how_b == "open":
                    out.append(
                        self._ch(
                            "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
                            sa,
                            b,
                            True,
                            r.forward,
                            f"property {name!r} removed; the new object is open, so new "
                            f"data may carry {name!r} with any value",
                            path,
                            hints=("prop", name),
                            at=(a, b),
                        )
                    )
                elif how_b == "closed":
                    if sa.false:
                        out.append(
                            self._ch(
                                "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
                                sa,
                                b,
                                True,
                                True,
                                f"forbidden property {name!r} removed",
                                path,
                            )
                        )
                    else:
                        out.append(
                            self._ch(
                                "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
                                sa,
                                b,
                                False,
                                True,
                                f"property {name!r} removed from a closed object: old "
                                f"data carrying {name!r} is rejected",
                                path,
                                hints=("prop", name),
                                at=(a, b),
                            )
                        )
                else:
                    rule = (
                        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                        if r.backward
                        else "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                    )
                    out.append(
                        self._ch(
                            rule,
                            sa,
                            sb,
                            r.backward,
                            r.forward,
                            f"property {name!r} removed; the new schema governs it "
                            f"through {sb.display}",
                            path,
                            hints=("prop", name),
                            at=(a, b),
                        )
                    )
                    out.child(r)
                if req_a and not req_b and not out.own[-1].forward:
                    req_b = req_a  # removal already explains it (else: new data may omit it)
            else:
                if not (sa.is_true and sb.is_true):
                    out.child(sub(sa, sb, step))
            if req_a != req_b:
                declared = declared_a and declared_b
                if req_b:
                    rule = (
                        "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED"
                        if has_default and declared
                        else "REQUIRED_ATTRIBUTE_ADDED"
                        if declared
                        else "REQUIRED_UNDECLARED_ADDED"
                    )
                    ok = has_default and self.required_default_ok
                    out.append(
                        self._ch(
                            rule,
                            a,
                            b,
                            ok,
                            True,
                            f"{name!r} became required: old data without it is rejected",
                            path,
                            b_kw="required",
                            hints=("req", name),
                        )
                    )
                else:
                    rule = (
                        "REQUIRED_ATTRIBUTE_REMOVED" if declared else "REQUIRED_UNDECLARED_REMOVED"
                    )
                    out.append(
                        self._ch(
                            rule,
                            a,
                            b,
                            True,
                            False,
                            f"{name!r} is no longer required: new data may omit it",
                            path,
                            a_kw="required",
                            hints=("req", name),
                        )
                    )
        # additional / unevaluated properties
        rest_a, rest_b = self._rest(a), self._rest(b)
        pat_a = a.kw.get("patternProperties", {})
        pat_b = b.kw.get("patternProperties", {})
        if set(pat_a) != set(pat_b) and pat_a and pat_b:
            out.append(
                self._ch(
                    "PATTERN_PROPERTIES_CHANGED",
                    a,
                    b,
                    False,
                    False,
                    "patternProperties changed from "
                    f"{sorted(pat_a)} to {sorted(pat_b)}; overlapping patterns are "
                    "not analysed",
                    path,
                    a_kw="patternProperties",
                    b_kw="patternProperties",
                    proven=False,
                )
            )
        elif set(pat_a) != set(pat_b):
            # one side has no patterns: its undeclared names all fall to additionalProperties
            pairs = (
                [(rest_a, _unwrap(s), p) for p, s in pat_b.items()]
                if pat_b
                else [(_unwrap(s), rest_b, p) for p, s in pat_a.items()]
            )
            for xa, xb, pat in pairs:
                pstep = (*path, Step(a, b, _sample_name(pat)))
                r = sub(xa, xb, pstep)
                if not (r.backward and r.forward):
                    out.append(
                        self._ch(
                            "PATTERN_PROPERTIES_CHANGED",
                            xa,
                            xb,
                            r.backward,
                            r.forward,
                            f"names matching {pat!r} are now governed by "
                            f"{xb.display} (was {xa.display})",
                            pstep,
                        )
                    )
        else:
            for pat in pat_a:
                out.child(
                    sub(
                        _unwrap(pat_a[pat]),
                        _unwrap(pat_b[pat]),
                        (*path, Step(a, b, _sample_name(pat))),
                    )
                )
        if not (rest_a.is_true and rest_b.is_true):
            kw = (
                "additionalProperties"
                if ("additionalProperties" in a.kw or "additionalProperties" in b.kw)
                else "unevaluatedProperties"
            )
            prefix = "ADDITIONAL" if kw == "additionalProperties" else "UNEVALUATED"
            extra = _fresh_name(pa, pb)
            step = (*path, Step(a, b, extra))
            if rest_a.false and not rest_b.false:
                out.append(
                    self._ch(
                        f"{prefix}_PROPERTIES_ADDED",
                        a,
                        b,
                        True,
                        False,
                        "undeclared properties are now allowed",
                        path,
                        a_kw=kw,
                        b_kw=kw if kw in b.kw else None,
                        hints=("extra", extra),
                    )
                )
            elif rest_b.false and not rest_a.false:
                out.append(
                    self._ch(
                        f"{prefix}_PROPERTIES_REMOVED",
                        a,
                        b,
                        False,
                        True,
                        "undeclared properties are no longer allowed",
                        path,
                        a_kw=kw if kw in a.kw else None,
                        b_kw=kw,
                        hints=("extra", extra),
                    )
                )
            elif not (rest_a.false and rest_b.false):
                r = sub(rest_a, rest_b, step)
                if rest_a.is_true:
                    out.append(
                        self._ch(
                            f"{prefix}_PROPERTIES_NARROWED",
                            a,
                            b,
                            r.backward,
                            True,
                            f"undeclared properties must now match {rest_b.display}",
                            path,
                            b_kw=kw,
                            hints=("extra", extra),
                        )
                    )
                elif rest_b.is_true:
                    out.append(
                        self._ch(
                            f"{prefix}_PROPERTIES_EXTENDED",
                            a,
                            b,
                            True,
                            r.forward,
                            "undeclared properties may now hold any value",
                            path,
                            a_kw=kw,
                            hints=("extra", extra),
                        )
                    )
                else:
                    out.child(r)
        # names, counts, dependencies
        pna = _unwrap(a.kw["propertyNames"]) if "propertyNames" in a.kw else self.TRUE
        pnb = _unwrap(b.kw["propertyNames"]) if "propertyNames" in b.kw else self.TRUE
        if not (pna.is_true and pnb.is_true):
            r = sub(pna, pnb, path)
            if not (r.backward and r.forward):
                out.append(
                    self._ch(
                        "PROPERTY_NAMES_CHANGED",
                        pna,
                        pnb,
                        r.backward,
                        r.forward,
                        "the allowed property names changed",
                        path,
                        a_kw=None,
                        b_kw=None,
                        at=(a, b),
                    )
                )
        self._bound(a, b, path, out, "minProperties", "MIN_PROPERTIES", lower=True)
        self._bound(a, b, path, out, "maxProperties", "MAX_PROPERTIES", lower=False)
        da = a.kw.get("dependentRequired", {})
        db = b.kw.get("dependentRequired", {})
        for name in dict.fromkeys([*da, *db]):
            need_a, need_b = set(da.get(name, [])), set(db.get(name, []))
            if need_a == need_b:
                continue
            if not need_a:
                rule = "DEPENDENCY_ARRAY_ADDED"
            elif not need_b:
                rule = "DEPENDENCY_ARRAY_REMOVED"
            elif need_a < need_b:
                rule = "DEPENDENCY_ARRAY_EXTENDED"
            elif need_b < need_a:
                rule = "DEPENDENCY_ARRAY_NARROWED"
            else:
                rule = "DEPENDENCY_ARRAY_CHANGED"
            out.append(
                self._ch(
                    rule,
                    a,
                    b,
                    need_b <= need_a,
                    need_a <= need_b,
                    f"when {name!r} is present, {sorted(need_b)} are required "
                    f"(was {sorted(need_a)})",
                    path,
                    hints=("dep", name),
                )
            )
        sa_ = a.kw.get("dependentSchemas", {})
        sb_ = b.kw.get("dependentSchemas", {})
        for name in dict.fromkeys([*sa_, *sb_]):
            xa = _unwrap(sa_[name]) if name in sa_ else self.TRUE
            xb = _unwrap(sb_[name]) if name in sb_ else self.TRUE
            r = sub(xa, xb, path)
            if name not in sa_ and not r.backward:
                out.append(
                    self._ch(
                        "DEPENDENCY_SCHEMA_ADDED",
                        a,
                        xb,
                        False,
                        True,
                        f"a schema dependency on {name!r} was added",
                        path,
                        at=(a, b),
                    )
                )
            elif name not in sb_ and not r.forward:
                out.append(
                    self._ch(
                        "DEPENDENCY_SCHEMA_REMOVED",
                        xa,
                        b,
                        True,
                        False,
                        f"the schema dependency on {name!r} was removed",
                        path,
                        at=(a, b),
                    )
                )
            else:
                out.child(r)

    # ---- arrays ------------------------------------------------------------------------------
    def _array(self, a: Node, b: Node, path: tuple[Step, ...], out: _Out, sub: Any) -> None:
        pa = [_unwrap(x) for x in a.kw.get("prefixItems", [])]
        pb = [_unwrap(x) for x in b.kw.get("prefixItems", [])]

        def rest(x: Node) -> Node:
            it = x.kw.get("items")
            if it is None:
                it = x.kw.get("unevaluatedItems")
            return _unwrap(it) if it is not None else self.TRUE

        ia, ib = rest(a), rest(b)
        for k in range(max(len(pa), len(pb))):
            step = (*path, Step(a, b, k))
            xa = pa[k] if k < len(pa) else ia
            xb = pb[k] if k < len(pb) else ib
            r = sub(xa, xb, step)
            if k < len(pa) and k < len(pb):
                out.child(r)
                continue
            if k >= len(pa):  # position added
                if ia.false:
                    rule = "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL"
                elif ia.is_true:
                    rule = (
                        "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL"
                        if xb.is_true
                        else "ITEM_ADDED_TO_OPEN_CONTENT_MODEL"
                    )
                else:
                    rule = (
                        "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                        if r.backward
                        else "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                    )
                out.append(
                    self._ch(rule, ia, xb, r.backward, r.forward, f"tuple position {k} added", step)
                )
            else:
                if ib.false:
                    rule = (
                        "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL"
                        if xa.false
                        else "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL"
                    )
                elif ib.is_true:
                    rule = "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL"
                else:
                    rule = (
                        "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                        if r.backward
                        else "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
                    )
                out.append(
                    self._ch(
                        rule, xa, ib, r.backward, r.forward, f"tuple position {k} removed", step
                    )
                )
        if not (ia.is_true and ib.is_true):
            step = (*path, Step(a, b, max(len(pa), len(pb))))
            r = sub(ia, ib, step)
            if ia.false and not ib.false:
                out.append(
                    self._ch(
                        "ADDITIONAL_ITEMS_ADDED",
                        a,
                        b,
                        True,
                        False,
                        "items beyond the tuple are now allowed",
                        path,
                    )
                )
            elif ib.false and not ia.false:
                out.append(
                    self._ch(
                        "ADDITIONAL_ITEMS_REMOVED",
                        a,
                        b,
                        False,
                        True,
                        "items beyond the tuple are no longer allowed",
                        step,
                    )
                )
            elif ia.is_true:
                out.append(
                    self._ch(
                        "ADDITIONAL_ITEMS_NARROWED",
                        a,
                        ib,
                        r.backward,
                        True,
                        f"array items must now match {ib.display}",
                        step,
                    )
                )
            elif ib.is_true:
                out.append(
                    self._ch(
                        "ADDITIONAL_ITEMS_EXTENDED",
                        ia,
                        b,
                        True,
                        r.forward,
                        "array items may now hold any value",
                        step,
                    )
                )
            else:
                out.child(r)
        self._bound(a, b, path, out, "minItems", "MIN_ITEMS", lower=True)
        self._bound(a, b, path, out, "maxItems", "MAX_ITEMS", lower=False)
        ua, ub = bool(a.kw.get("uniqueItems")), bool(b.kw.get("uniqueItems"))
        if ua != ub:
            if ub:
                out.append(
                    self._ch(
                        "UNIQUE_ITEMS_ADDED",
                        a,
                        b,
                        False,
                        True,
                        "array items must now be unique",
                        path,
                        b_kw="uniqueItems",
                    )
                )
            else:
                out.append(
                    self._ch(
                        "UNIQUE_ITEMS_REMOVED",
                        a,
                        b,
                        True,
                        False,
                        "array items may now repeat",
                        path,
                        a_kw="uniqueItems",
                    )
                )
        ca = _unwrap(a.kw["contains"]) if "contains" in a.kw else None
        cb = _unwrap(b.kw["contains"]) if "contains" in b.kw else None
        if ca is None and cb is None:
            return
        mina = a.kw.get("minContains", 1) if ca is not None else 0
        minb = b.kw.get("minContains", 1) if cb is not None else 0
        maxa = a.kw.get("maxContains", INF) if ca is not None else INF
        maxb = b.kw.get("maxContains", INF) if cb is not None else INF
        if ca is None:
            if minb > 0 or maxb < INF:
                out.append(
                    self._ch(
                        "CONTAINS_ADDED",
                        a,
                        cb,
                        False,
                        True,
                        "arrays must now contain a matching item",
                        path,
                        at=(a, b),
                    )
                )
            return
        if cb is None:
            if mina > 0 or maxa < INF:
                out.append(
                    self._ch(
                        "CONTAINS_REMOVED",
                        ca,
                        b,
                        True,
                        False,
                        "arrays no longer need a matching item",
                        path,
                        at=(a, b),
                    )
                )
            return
        r = sub(ca, cb, path)
        equiv = r.backward and r.forward
        # backward: every array with >= mina items matching ca has >= minb matching cb (and <= maxb)
        backward = (r.backward and mina >= minb and maxb == INF) or (
            equiv and mina >= minb and maxa <= maxb
        )
        forward = (r.forward and minb >= mina and maxa == INF) or (
            equiv and minb >= mina and maxb <= maxa
        )
        if not equiv:
            out.append(
                self._ch(
                    "CONTAINS_CHANGED",
                    ca,
                    cb,
                    backward,
                    forward,
                    "the contains schema changed",
                    path,
                    a_kw=None,
                    b_kw=None,
                    at=(a, b),
                )
            )
        else:
            self._bound(
                a, b, path, out, "minContains", "MIN_CONTAINS", lower=True, va=mina, vb=minb
            )
            self._bound(
                a,
                b,
                path,
                out,
                "maxContains",
                "MAX_CONTAINS",
                lower=False,
                va=None if maxa == INF else maxa,
                vb=None if maxb == INF else maxb,
            )

    # ---- not / if-then-else ----------------------------------------------------------------
    def _not(self, a: Node, b: Node, path: tuple[Step, ...], out: _Out, sub: Any) -> None:
        na, nb = a.not_, b.not_
        if na is None and nb is None:
            return
        if na is not None and nb is not None:
            r = sub(_unwrap(nb), _unwrap(na), path)
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
                self._ch(
                    rule,
                    na,
                    nb,
                    r.backward,
                    r.forward,
                    "the excluded set (`not`) changed",
                    path,
                    proven=False,
                    at=(a, b),
                )
            )
        elif na is not None:
            ok = disjoint(b, _unwrap(na))
            if not ok:
                out.append(
                    self._ch(
                        "NOT_REMOVED",
                        na,
                        b,
                        True,
                        False,
                        f"`not` {na.display} removed: values it excluded are accepted",
                        path,
                        at=(a, b),
                    )
                )
        elif nb is not None:
            ok = disjoint(a, _unwrap(nb))
            if not ok:
                out.append(
                    self._ch(
                        "NOT_ADDED",
                        a,
                        nb,
                        False,
                        True,
                        f"`not` {nb.display} added: some old values may be excluded",
                        path,
                        proven=False,
                        at=(a, b),
                    )
                )

    def _cond(self, a: Node, b: Node, path: tuple[Step, ...], out: _Out, sub: Any) -> None:
        ca, cb = a.cond, b.cond
        if ca is None and cb is None:
            return
        if ca is not None and cb is not None:
            r = sub(_unwrap(ca[0]), _unwrap(cb[0]), path)
            if r.backward and r.forward:
                for xa, xb in ((ca[1], cb[1]), (ca[2], cb[2])):
                    ya = _unwrap(xa) if xa is not None else self.TRUE
                    yb = _unwrap(xb) if xb is not None else self.TRUE
                    out.child(sub(ya, yb, path))
                return
            out.append(
                self._ch(
                    "CONDITIONAL_CHANGED",
                    a,
                    b,
                    False,
                    False,
                    "the `if` condition changed; compatibility is not decided",
                    path,
                    a_kw="if",
                    b_kw="if",
                    proven=False,
                )
            )
        elif cb is not None:
            out.append(
                self._ch(
                    "CONDITIONAL_ADDED",
                    a,
                    b,
                    False,
                    True,
                    "if/then/else added: some old values may now be rejected",
                    path,
                    b_kw="if",
                    proven=False,
                )
            )
        else:
            out.append(
                self._ch(
                    "CONDITIONAL_REMOVED",
                    a,
                    b,
                    True,
                    False,
                    "if/then/else removed: new values may break old readers",
                    path,
                    a_kw="if",
                    proven=False,
                )
            )


# ---- module helpers ------------------------------------------------------------------------
class _Missing:
    pass


_MISSING = _Missing()


def _ptr(node: Node | None, kw: str | None) -> str:
    if node is None:
        return ""
    base = node.display
    if kw:
        return f"{base}/{kw}" if not base.endswith("/") else base + kw
    return base


def _short(v: Any) -> str:
    if isinstance(v, _Missing):
        return "(none)"
    text = canonical(v)
    return text if len(text) <= 60 else text[:57] + "..."


def _copy(x: Node) -> Node:
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
    return n


_MAX_ALTERNATIVES = 6
_UNBOUNDED_UNION = 40


def _signature(x: Node) -> tuple[Any, ...]:
    props = x.kw.get("properties", {})
    tags = tuple(
        sorted(
            (name, canonical(_unwrap(p).enum))
            for name, p in props.items()
            if _unwrap(p).enum is not None
        )
    )
    return (x.types, tags, tuple(sorted(props)), x.annotations.get("title"), x.display)


def _candidates(x: Node, others: list[Node], position: int) -> list[int]:
    """Which branches of ``others`` to try as ``x``'s partner: the same position first, then
    the most similar few (same tags, property names, title, definition). Trying every branch
    of two large unions against each other would be quadratic in deep comparisons; a branch
    with no partner among these is reported as unmatched, which can only err towards
    breaking."""
    sx = _signature(x)
    if position < len(others):
        sp = _signature(others[position])
        named = sx[3] is not None and sx[3] == sp[3]
        same_def = sx[4] == sp[4] and not re.search(r"/(anyOf|oneOf|allOf)/\d+$", sx[4])
        if sx[0] == sp[0] and sx[1] == sp[1] and (named or same_def):
            # the branch at the same place has the same tags and name: it is the partner
            return [position]

    def score(k: int) -> tuple[int, int]:
        so = _signature(others[k])
        same = sum(1 for p, q in zip(sx, so, strict=True) if p == q)
        shared = len(set(sx[2]) & set(so[2]))
        return (-same, -shared)

    rest = sorted((k for k in range(len(others)) if k != position), key=score)
    if len(rest) > _UNBOUNDED_UNION:
        # large unions: the most similar few, plus every untagged branch (a catch-all)
        untagged = [k for k in rest[_MAX_ALTERNATIVES:] if not _signature(others[k])[1]]
        rest = rest[:_MAX_ALTERNATIVES] + untagged[:_MAX_ALTERNATIVES]
    return ([position] if position < len(others) else []) + rest


def _flatten(branches: list[Node], depth: int = 0) -> list[Node]:
    """Inline nested unions (anyOf, or oneOf over provably disjoint branches)."""
    out: list[Node] = []
    for br in branches:
        br = _unwrap(br)
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
            sub = [_unwrap(x) for x in sub]
            if kind == "anyOf" or all(
                disjoint(sub[i], sub[j]) for i in range(len(sub)) for j in range(i + 1, len(sub))
            ):
                out.extend(_flatten(sub, depth + 1))
                continue
        out.append(br)
    return out


def _restrict(x: Node, family: str) -> Node:
    n = _copy(x)
    allowed = {"number": {"number", "integer"}}.get(family, {family})
    if x.types is None:
        n.types = frozenset({"number"} if family == "number" else {family})
    else:
        n.types = frozenset(t for t in x.types if t in allowed)
    return n


def _shallow(x: Node) -> bool:
    """Whether ``x`` has no sub-schemas (only local keywords such as `type`, `maxLength`)."""
    x = _unwrap(x)
    if x.unions or x.allof or x.not_ is not None or x.cond is not None:
        return False
    for value in x.kw.values():
        inner = value.values() if isinstance(value, dict) else value
        if any(isinstance(v, Node) for v in (inner if isinstance(value, dict | list) else [value])):
            return False
    return True


def _strip_annotations(x: Node) -> Node:
    n = _copy(x)
    n.annotations = {}
    n.unknown = {}
    return n


def _unwrap(x: Node) -> Node:
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


def _is_false_like(x: Node) -> bool:
    return x.false or (x.enum is not None and not x.enum)


_BASIC = ("null", "boolean", "object", "array", "string", "number")


def _expand(types: frozenset[str] | None) -> list[str]:
    if types is None:
        return list(_BASIC)
    order = [*_BASIC, "integer"]
    return [t for t in order if t in types]


def _covered(t: str, types: frozenset[str] | None) -> bool:
    if types is None:
        return True
    if t in types:
        return True
    return t == "integer" and "number" in types


def _families(types: frozenset[str] | None) -> set[str]:
    if types is None:
        return set(_BASIC)
    return {"number" if t == "integer" else t for t in types}


def _finite(x: Node) -> list[Any] | None:
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


def _eff_bound(kw: dict[str, Any], inc: str, exc: str, lower: bool) -> tuple[Any, bool] | None:
    cands = []
    if inc in kw:
        cands.append((kw[inc], False))
    if exc in kw:
        cands.append((kw[exc], True))
    if not cands:
        return None
    best = cands[0]
    for c in cands[1:]:
        if _looser(best, c, lower):
            best = c
    return best


def _looser(x: tuple[Any, bool], y: tuple[Any, bool], lower: bool) -> bool:
    """Whether bound ``x`` admits everything bound ``y`` admits."""
    if x[0] == y[0]:
        return (not x[1]) or y[1]
    return bool(x[0] < y[0]) if lower else bool(x[0] > y[0])


def _bound_kw(kw: dict[str, Any], inc: str, exc: str) -> str | None:
    if exc in kw:
        return exc
    if inc in kw:
        return inc
    return None


_END = r"(?:\$|\\Z|\(\?!\[\\s\\S\]\))"
_EXCLUDE = re.compile(
    r"^\^\(\?!\(\?:(?P<alts>[^()]*)\)" + _END + r"\)(?P<rest>\.\*|\.\+|\[\\s\\S\]\*)?$"
)
_ONLY = re.compile(
    r"^\^\(\?:(?P<alts>[^()]*)\)" + _END + "$"
    r"|^\^(?P<lit>[^()|\[\]{}*+?.^$\\]*(?:\\.[^()|\[\]{}*+?.^$\\]*)*)" + _END + "$"
)


def _unescape_alt(text: str) -> str | None:
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            if i + 1 >= len(text) or text[i + 1].isalnum():
                return None
            out.append(text[i + 1])
            i += 2
            continue
        if ch in "[](){}*+?.^$|":
            return None
        out.append(ch)
        i += 1
    return "".join(out)


def pattern_language(pattern: str) -> tuple[str, frozenset[str]] | None:
    """Patterns we can reason about exactly: ``^(?:a|b)$`` (only these strings) and
    ``^(?!(?:a|b)$)`` (every string but these); None for anything else."""
    m = _EXCLUDE.match(pattern)
    if m and m.group("rest") != ".+":
        alts = [_unescape_alt(x) for x in m.group("alts").split("|")]
        if all(a is not None for a in alts):
            return "exclude", frozenset(a for a in alts if a is not None)
    m = _ONLY.match(pattern)
    if m:
        raw = m.group("alts") if m.group("alts") is not None else m.group("lit")
        alts = [_unescape_alt(x) for x in raw.split("|")]
        if all(a is not None for a in alts):
            return "only", frozenset(a for a in alts if a is not None)
    return None


def _describe_languages(x: tuple[str, frozenset[str]], y: tuple[str, frozenset[str]]) -> str:
    def names(vals: frozenset[str]) -> str:
        shown = ", ".join(repr(v) for v in sorted(vals)[:6])
        return shown + (f" and {len(vals) - 6} more" if len(vals) > 6 else "")

    if x[0] == y[0] == "exclude":
        parts = []
        if y[1] - x[1]:
            parts.append(f"now also excludes {names(y[1] - x[1])}")
        if x[1] - y[1]:
            parts.append(f"no longer excludes {names(x[1] - y[1])}")
        return "pattern (an exclusion list) " + "; ".join(parts)
    if x[0] == y[0] == "only":
        parts = []
        if x[1] - y[1]:
            parts.append(f"no longer accepts {names(x[1] - y[1])}")
        if y[1] - x[1]:
            parts.append(f"now accepts {names(y[1] - x[1])}")
        return "pattern (a list of literals) " + "; ".join(parts)
    return "pattern changed between a literal list and an exclusion list"


def _lang_subset(x: tuple[str, frozenset[str]], y: tuple[str, frozenset[str]]) -> bool:
    """Whether language ``x`` is contained in language ``y``."""
    if x[0] == "only" and y[0] == "only":
        return x[1] <= y[1]
    if x[0] == "only" and y[0] == "exclude":
        return not (x[1] & y[1])
    if x[0] == "exclude" and y[0] == "exclude":
        return y[1] <= x[1]
    return False


def _search(pattern: str, name: str) -> bool:
    try:
        return re.search(pattern, name) is not None
    except re.error:
        return False


def _sample_name(pattern: str) -> str:
    for cand in ("x", "a", "key", "x-extra", "0", "A"):
        if _search(pattern, cand):
            return cand
    lit = re.sub(r"[\^\$\\.*+?()\[\]{}|]", "", pattern)
    return lit or "x"


def _fresh_name(*decl: dict[str, Any]) -> str:
    name = "x-undeclared"
    while any(name in d for d in decl):
        name += "_"
    return name


# ---- disjointness (for oneOf exclusivity and `not`) ---------------------------------------
def _json_type(v: Any) -> str:
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


def _rejects(node: Node, v: Any) -> bool:
    """True only when ``node`` certainly rejects the value ``v`` (local keywords only)."""
    node = _unwrap(node)
    if node.false:
        return True
    t = _json_type(v)
    if node.types is not None and not _covered(t, node.types):
        return True
    if node.enum is not None and canonical(v) not in {canonical(e) for e in node.enum}:
        return True
    if node.not_ is not None:
        neg = _unwrap(node.not_)
        if neg.enum is not None and canonical(v) in {canonical(e) for e in neg.enum}:
            return True
    if isinstance(v, str):
        pat = node.kw.get("pattern")
        if isinstance(pat, str) and not _search(pat, v):
            try:
                re.compile(pat)
            except re.error:
                return False
            return True
        if isinstance(node.kw.get("maxLength"), int) and len(v) > node.kw["maxLength"]:
            return True
        if isinstance(node.kw.get("minLength"), int) and len(v) < node.kw["minLength"]:
            return True
    return False


def disjoint(x: Node, y: Node, depth: int = 0) -> bool:
    """True only when no instance can satisfy both ``x`` and ``y`` (a proof, not a guess)."""
    x, y = _unwrap(x), _unwrap(y)
    if x.false or y.false:
        return True
    if depth > 8:
        return False
    if x.unions:
        return all(disjoint(b, y, depth + 1) for b in x.unions[0][1])
    if y.unions:
        return all(disjoint(x, b, depth + 1) for b in y.unions[0][1])
    tx, ty = _families(x.types), _families(y.types)
    if x.types is not None and y.types is not None:
        inter = set()
        for t in _expand(x.types):
            for u in _expand(y.types):
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
        if e.enum is not None and all(_rejects(other, v) for v in e.enum):
            return True
    if "object" in tx and "object" in ty:
        # a tag property required on both sides with disjoint values
        px, py = x.kw.get("properties", {}), y.kw.get("properties", {})
        rx, ry = set(x.kw.get("required", [])), set(y.kw.get("required", []))
        for name in set(px) & set(py) & rx & ry:
            if disjoint(px[name], py[name], depth + 1):
                only_objects = x.types == frozenset({"object"}) or y.types == frozenset({"object"})
                if only_objects:
                    return True
        if x.types == frozenset({"object"}) or y.types == frozenset({"object"}):
            # a property one side forbids (closed object) that the other requires
            for p, q in ((x, y), (y, x)):
                addl = p.kw.get("additionalProperties")
                if addl is not None and _unwrap(addl).false:
                    for name in set(q.kw.get("required", [])):
                        if name not in p.kw.get("properties", {}) and not p.kw.get(
                            "patternProperties"
                        ):
                            return True
    return False
