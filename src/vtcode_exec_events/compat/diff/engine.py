"""The engine: walks two canonical schema graphs pair by pair (memo, cycles, fixpoint)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from vtcode_exec_events.compat.algebra.cycles import check_cycles
from vtcode_exec_events.compat.algebra.nodes import (
    TRUE_LOC,
    is_false_like,
    shape,
    true_node,
    unwrap,
)
from vtcode_exec_events.compat.canonical import Node
from vtcode_exec_events.compat.diff import annotation, arrays, logic, objects, scalars, unions
from vtcode_exec_events.compat.diff.change import Change, Path
from vtcode_exec_events.compat.diff.results import EMPTY, Out, Result
from vtcode_exec_events.compat.loader import SchemaSet, asserts_format
from vtcode_exec_events.compat.normalize import MAX_DEPTH, Normalizer
from vtcode_exec_events.compat.rules import CATALOGUE
from vtcode_exec_events.errors import SchemaError

__all__ = ["Differ"]


class Differ:
    """Compares nodes of an old and a new schema set under a policy."""

    def __init__(
        self,
        old: SchemaSet,
        new: SchemaSet,
        *,
        lenient: bool = False,
        format_assertion: bool | None = True,
        required_default_ok: bool = False,
    ) -> None:
        """``format_assertion`` None: `format` asserts only where a schema's dialect says so
        (a ``$vocabulary`` with format-assertion turned on); an annotation elsewhere."""
        self.old_set = old
        self.new_set = new
        self.old_norm = Normalizer(old)
        self.new_norm = Normalizer(new)
        self.lenient = lenient
        self.format_assertion = (
            format_assertion
            if format_assertion is not None
            else asserts_format(old) or asserts_format(new)
        )
        self.required_default_ok = required_default_ok
        self.TRUE = true_node()
        # memo and cycle bookkeeping, keyed by node shapes (nodes.shape: a document's node is
        # itself, an engine-made copy its content; ``_shapes`` keeps the copies alive)
        self._memo: dict[tuple[Hashable, Hashable], Result] = {}
        self._active: set[tuple[Hashable, Hashable]] = set()
        self._assumed: set[tuple[Hashable, Hashable]] = set()
        self._known_failed: dict[tuple[Hashable, Hashable], Result] = {}
        self._shapes: dict[int, tuple[Node, Hashable]] = {}
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
        check_cycles(a)
        check_cycles(b)
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
        unsettled = self.change(
            "COMBINED_TYPE_SUBSCHEMAS_CHANGED",
            a,
            b,
            (),
            decided=False,
            detail="recursive schemas did not settle within the comparison budget",
        )
        return [*result.changes, unsettled]

    # ---- helpers -----------------------------------------------------------------------------
    def change(
        self,
        rule: str,
        a: Node | None,
        b: Node | None,
        path: Path,
        *,
        backward: bool | None = None,
        forward: bool | None = None,
        decided: bool = True,
        a_kw: str | None = None,
        b_kw: str | None = None,
        hints: tuple[Any, ...] = (),
        at: tuple[Node, Node] | None = None,
        **fields: object,
    ) -> Change:
        """A change of rule ``rule``: verdicts default to the rule's, the message is the rule's
        template filled with ``fields``; the lenient policy accepts its lenient rules."""
        record = CATALOGUE[rule]
        bw = record.backward if backward is None else backward
        fw = record.forward if forward is None else forward
        if bw is None or fw is None:
            raise ValueError(f"rule {rule} has no default verdict: the call site must give one")
        if self.lenient and record.lenient:
            bw = fw = True
        return Change(
            id=rule,
            old_pointer=_ptr(a, a_kw),
            new_pointer=_ptr(b, b_kw),
            backward=bw,
            forward=fw,
            message=record.message.format(**fields),
            decided=decided,
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
        if node.loc is TRUE_LOC:
            return True
        for loc in (node.loc, *node.also):
            # a node belongs to the set holding its document (sides swap under `not`)
            preferred = self.old_set if side == "old" else self.new_set
            other = self.new_set if side == "old" else self.old_set
            schemas = preferred if loc.uri in preferred.documents else other
            if loc.uri not in schemas.documents:
                if loc is TRUE_LOC:
                    continue
                return False
            if not schemas.is_valid(loc, value, formats=self.format_assertion):
                return False
        return True

    # ---- the recursive comparison ----------------------------------------------------------
    def cmp(self, a: Node, b: Node, path: Path) -> Result:
        """Compare one pair of nodes (memoised; a pair met again on its own path is assumed
        compatible until the fixpoint says otherwise)."""
        a = unwrap(a)
        b = unwrap(b)
        key = (shape(a, self._shapes), shape(b, self._shapes))
        memo = self._memo.get(key)
        if memo is not None:
            return memo
        known = self._known_failed.get(key)
        if known is not None:  # a failure found under optimistic assumptions is real
            return known
        if key in self._active:
            self._assumed.add(key)
            return EMPTY
        if len(self._active) >= MAX_DEPTH:
            raise SchemaError(
                f"{a.display} and {b.display}: schemas nest deeper than {MAX_DEPTH} levels"
            )
        self._active.add(key)
        self.steps += 1
        try:
            changes = self._cmp(a, b, path)
        finally:
            self._active.discard(key)
        res = Result(changes.own, changes.children)
        self._memo[key] = res
        if not (res.backward and res.forward) and key not in self._assumed:
            self._known_failed[key] = res
        return res

    def _cmp(self, a: Node, b: Node, path: Path) -> Out:
        out = Out()
        annotation.compare(self, a, b, path, out)
        if a.false and b.false:
            return out
        if a.false:
            if not is_false_like(b):
                out.append(self.change("FALSE_SCHEMA_REMOVED", a, b, path))
            return out
        if b.false:
            out.append(self.change("FALSE_SCHEMA_ADDED", a, b, path))
            return out
        if a.remote is not None or b.remote is not None:
            if a.remote != b.remote:
                out.append(
                    self.change(
                        "REMOTE_REF_CHANGED",
                        a,
                        b,
                        path,
                        decided=False,
                        old=a.remote or a.display,
                        new=b.remote or b.display,
                    )
                )
            return out
        if a.unions or b.unions:
            unions.compare(self, a, b, path, out)
        elif a.allof or b.allof:
            logic.compare_allof(self, a, b, path, out)
        else:
            self._plain(a, b, path, out)
        return out

    def _plain(self, a: Node, b: Node, path: Path, out: Out) -> None:
        if not scalars.compare_types(self, a, b, path, out):
            return
        shared = scalars.shared_families(a, b)
        if "string" in shared:
            scalars.compare_string(self, a, b, path, out)
        if "number" in shared:
            scalars.compare_number(self, a, b, path, out)
        if "object" in shared:
            objects.compare(self, a, b, path, out)
        if "array" in shared:
            arrays.compare(self, a, b, path, out)
        logic.compare_not(self, a, b, path, out)
        logic.compare_cond(self, a, b, path, out)


def _ptr(node: Node | None, kw: str | None) -> str:
    if node is None:
        return ""
    base = node.display
    if kw:
        return f"{base}/{kw}" if not base.endswith("/") else base + kw
    return base
