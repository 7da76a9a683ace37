"""Witnesses: concrete instances one schema accepts and the other rejects, checked by jsonschema."""

from __future__ import annotations

import copy
import math
import time
from typing import TYPE_CHECKING, Any

from vtcode_exec_events.compat.algebra.nodes import families, unwrap
from vtcode_exec_events.compat.algebra.regex import counterexample
from vtcode_exec_events.compat.canonical import Node, canonical, type_of_kw
from vtcode_exec_events.compat.diff.unions import branches
from vtcode_exec_events.compat.loader import Location
from vtcode_exec_events.compat.specificity import specific

if TYPE_CHECKING:
    from vtcode_exec_events.compat.diff import Change, Differ

__all__ = ["Witnesses", "attach_witnesses", "candidates"]

_FORMAT_SAMPLES = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00Z",
    "email": "a@example.com",
    "uri": "https://example.com/",
    "uri-reference": "a",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
    "hostname": "example.com",
    "duration": "P1D",
    "regex": "a",
    "json-pointer": "/a",
}
_ODD_VALUES: list[Any] = [None, True, 0, 1, -1, 0.5, "", "a", [], {}]
_MAX_CANDIDATES = 80
#: the longest string or array a candidate may be (longer bounds get no candidate there:
#: a witness that would need one is reported as too large to show)
MAX_BUILD = 1_000
_MAX_FULL_PROPERTIES = 200
TOO_LARGE = "witness too large to show"
_MAX_WITNESS_CHARS = 3000  # a witness is for people: small, and cheap to validate


class Witnesses:
    """The witness search over one differ's schema sets; owns its caches."""

    def __init__(self, differ: Differ) -> None:
        self.differ = differ
        self._candidates: dict[Node, list[Any]] = {}
        self._samples: dict[Node, Any] = {}
        self._vocabulary: list[str] | None = None

    # ---- candidate values ----------------------------------------------------------------
    def candidates(self, node: Node, depth: int = 0) -> list[Any]:
        """Values near ``node``'s boundaries: some valid, some just outside. Not verified."""
        node = unwrap(node)
        cached = self._candidates.get(node)
        if cached is None:
            self._candidates[node] = []  # a recursive schema sees none for itself meanwhile
            cached = self._candidates[node] = self._build(node, depth)
        return cached

    def _build(self, node: Node, depth: int) -> list[Any]:
        out: list[Any] = []
        if node.false:
            return list(_ODD_VALUES)
        if node.enum is not None:
            return [*node.enum, *_ODD_VALUES]
        if node.unions:
            for br in branches(node)[1]:
                out.extend(self.candidates(br, depth + 1)[:20])
            return out[:_MAX_CANDIDATES]
        if node.allof and not node.kw and node.types is None:
            for member in node.allof:
                out.extend(self.candidates(member, depth + 1)[:20])
            return out[:_MAX_CANDIDATES]
        fams = families(node.types)
        order: list[str] = [
            f for f in ("object", "array", "string", "number") if f in fams and _has_kw(node, f)
        ]
        order += [
            f
            for f in ("object", "string", "number", "array", "boolean", "null")
            if f in fams and f not in order
        ]
        for fam in order:
            if fam == "null":
                out.append(None)
            elif fam == "boolean":
                out += [True, False]
            elif fam == "number":
                out += _numbers(node)
            elif fam == "string":
                out += _strings(node)
                if node.not_ is not None and node.not_.enum is not None:
                    out += [v for v in node.not_.enum if isinstance(v, str)]
                out += self.vocabulary()[:40]
            elif fam == "object" and depth < 5:
                out += self._objects(node, depth)
            elif fam == "array" and depth < 5:
                out += self._arrays(node, depth)
        out += _ODD_VALUES
        return _dedupe(out)[:_MAX_CANDIDATES]

    def vocabulary(self) -> list[str]:
        """Every string constant (enum, const, property name) in both schema sets, once."""
        if self._vocabulary is not None:
            return self._vocabulary
        words: dict[str, None] = {}
        stack: list[Any] = [
            doc.contents
            for schemas in (self.differ.old_set, self.differ.new_set)
            for doc in schemas.documents.values()
        ]
        stack.reverse()
        while stack:  # depth first, in document order
            node = stack.pop()
            if isinstance(node, _Words):
                words.update((v, None) for v in node.values)
            elif isinstance(node, dict):
                tasks: list[Any] = []
                for key, value in node.items():
                    if key in ("enum", "examples") and isinstance(value, list):
                        tasks.append(_Words([v for v in value if isinstance(v, str)]))
                    elif key == "const" and isinstance(value, str):
                        tasks.append(_Words([value]))
                    else:
                        tasks.append(value)
                stack.extend(reversed(tasks))
            elif isinstance(node, list):
                stack.extend(reversed(node))
        self._vocabulary = list(words)
        return self._vocabulary

    def _first_valid(self, node: Node, side: str, depth: int) -> Any:
        if node in self._samples:
            return self._samples[node]
        self._samples[node] = None
        for v in self.candidates(node, depth + 1):
            if self.differ.valid(v, node, side):
                self._samples[node] = v
                break
        return self._samples[node]

    def _side(self, node: Node) -> str:
        return "old" if node.loc.uri in self.differ.old_set.documents else "new"

    def _objects(self, node: Node, depth: int) -> list[Any]:
        props: dict[str, Node] = node.kw.get("properties", {})
        required = list(node.kw.get("required", []))
        side = self._side(node)
        base: dict[str, Any] = {}
        for name in required:
            sub = props.get(name)
            base[name] = self._first_valid(sub, side, depth) if sub is not None else 0
        out: list[Any] = [dict(base)]
        full = dict(base)
        for name, sub in list(props.items())[: len(base) + _MAX_FULL_PROPERTIES]:
            if name not in full:
                full[name] = self._first_valid(sub, side, depth)
        out.append(full)
        for name in required:
            smaller = dict(base)
            smaller.pop(name, None)
            out.append(smaller)
        for name in list(props)[:12]:
            odd_values: tuple[Any, ...] = (0, "", None, True, [], {}, 1.5)
            for odd in odd_values:
                out.append({**base, name: odd})
        for odd in (0, "", None, {}):
            out.append({**base, "x-undeclared": odd})
        for key in ("dependentRequired", "dependentSchemas"):
            for name in node.kw.get(key, {}):
                out.append({**base, name: 0})
                out.append({**full, name: 0})
        return out

    def _arrays(self, node: Node, depth: int) -> list[Any]:
        side = self._side(node)
        prefix = [self._first_valid(x, side, depth) for x in node.kw.get("prefixItems", [])]
        items = node.kw.get("items")
        item = self._first_valid(items, side, depth) if items is not None else 0
        lo = node.kw.get("minItems", 0) if isinstance(node.kw.get("minItems"), int) else 0
        hi = node.kw.get("maxItems") if isinstance(node.kw.get("maxItems"), int) else None
        out: list[Any] = [prefix, [*prefix, item], [*prefix, item, item]]
        n = max(lo, len(prefix))
        if n <= MAX_BUILD:
            out.append([*prefix, *([item] * (n - len(prefix)))])
        if 0 < lo <= MAX_BUILD:
            out.append([item] * (lo - 1))
        if hi is not None and hi <= MAX_BUILD:
            out += [[item] * hi, [item] * (hi + 1)]
        out += [[0], [""], [None], [{}], [1, 1], [prefix[0]] if prefix else [0, 0]]
        if "contains" in node.kw:
            c = self._first_valid(node.kw["contains"], side, depth)
            out += [[c], [c, c], [c, c, c]]
        return out

    # ---- search and embedding --------------------------------------------------------------
    def search(
        self,
        change: Change,
        direction: str,
        pairs: list[tuple[str, str]],
        deadline: float = float("inf"),
    ) -> dict[str, Any] | None:
        """A verified witness for ``change`` in ``direction``, or None."""
        differ = self.differ
        a, b = change.old_node, change.new_node
        if a is None or b is None:
            return None
        accept, reject = ("old", "new") if direction == "backward" else ("new", "old")
        src = a if direction == "backward" else b
        dst = b if direction == "backward" else a
        local: list[Any] = []
        hints = change.hints
        if hints and hints[0] == "values":
            local += list(hints[1] if direction == "backward" else hints[2])
        if hints and hints[0] == "pattern":
            for lang in hints[1:]:
                if lang is not None:
                    local += sorted(lang[1])
        local += self.candidates(src)
        if dst is not src:
            local += self.candidates(dst)
        tried = 0
        for value in _dedupe(local):
            if tried > 150 or time.monotonic() > deadline:
                break
            tried += 1
            if not differ.valid(value, src, accept) or differ.valid(value, dst, reject):
                continue
            for instance in self._embed(change, value, accept):
                if time.monotonic() > deadline or len(canonical(instance)) > _MAX_WITNESS_CHARS:
                    continue
                for old_uri, new_uri in pairs:
                    acc_set = differ.old_set if accept == "old" else differ.new_set
                    rej_set = differ.new_set if accept == "old" else differ.old_set
                    acc_uri = old_uri if accept == "old" else new_uri
                    rej_uri = new_uri if accept == "old" else old_uri
                    rej_loc = Location(rej_uri, "")
                    if (
                        acc_set.is_valid(
                            Location(acc_uri, ""), instance, formats=differ.format_assertion
                        )
                        and not rej_set.is_valid(rej_loc, instance, formats=differ.format_assertion)
                        and specific(
                            rej_set.errors(rej_loc, instance, formats=differ.format_assertion),
                            change,
                            reject,
                        )
                    ):
                        return {
                            "direction": direction,
                            "instance": instance,
                            "accepted_by": accept,
                            "rejected_by": reject,
                        }
        return None

    def _embed(self, change: Change, value: Any, side: str) -> list[Any]:
        """Whole instances carrying ``value`` at the change's instance path (a few variants)."""
        results: list[Any] = [value]
        for step in reversed(change.path):
            parent = step.old if side == "old" else step.new
            containers = [
                c
                for c in self.candidates(parent)
                if isinstance(c, dict if isinstance(step.key, str) else list)
            ][:4]
            nxt = []
            for container in containers:
                for inner in results[:3]:
                    c: Any = copy.deepcopy(container)
                    if isinstance(step.key, str):
                        c[step.key] = inner
                    else:
                        while len(c) < step.key:
                            c.append(c[-1] if c else 0)
                        if len(c) == step.key:
                            c.append(inner)
                        else:
                            c[step.key] = inner
                    nxt.append(c)
            results = nxt or results
        return results[:8]


class _Words:
    """String constants met during the vocabulary walk."""

    __slots__ = ("values",)

    def __init__(self, values: list[str]) -> None:
        self.values = values


def candidates(differ: Differ, node: Node) -> list[Any]:
    """Candidate values for ``node`` (a fresh search: for tests and one-off probes)."""
    return Witnesses(differ).candidates(node)


def attach_witnesses(
    differ: Differ, changes: list[Change], pairs: list[tuple[str, str]], budget: float = 5.0
) -> None:
    """Find and verify a witness for every breaking change, within a time budget."""
    search = Witnesses(differ)
    deadline = time.monotonic() + budget
    per_change = max(budget / 10, 0.25)
    for change in changes:
        now = time.monotonic()
        if now > deadline:
            break
        for direction in ("backward", "forward"):
            if getattr(change, direction) or change.witness is not None or not change.breaking:
                continue
            w = search.search(change, direction, pairs, min(deadline, now + per_change))
            if w is not None:
                change.witness = w
            elif _too_large(change):
                change.witness_note = TOO_LARGE


def _too_large(change: Change) -> bool:
    """Whether the change's bounds are beyond what a witness may be built at."""
    hints = change.hints
    return (
        bool(hints)
        and hints[0] == "bound"
        and any(isinstance(v, int) and v > MAX_BUILD for v in hints[2:])
    )


def _has_kw(node: Node, fam: str) -> bool:
    return any(type_of_kw(k) == fam for k in node.kw)


def _dedupe(values: list[Any]) -> list[Any]:
    seen: set[str] = set()
    out = []
    for v in values:
        try:
            key = canonical(v) + type(v).__name__
        except (TypeError, ValueError):
            continue
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


def _numbers(node: Node) -> list[Any]:
    kw = node.kw
    integer = node.types is not None and "integer" in node.types and "number" not in node.types
    pts: list[Any] = [0, 1, -1]
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if isinstance(kw.get(key), (int, float)):
            v = kw[key]
            pts += [v, v + 1, v - 1, v + 0.5, v - 0.5]
    m = kw.get("multipleOf")
    if isinstance(m, (int, float)) and m > 0:
        pts += [m, 2 * m, 3 * m]
        for p in [p for p in pts if isinstance(p, (int, float))]:
            q = p / m
            if math.isfinite(q) and abs(q) < 1e15:  # a multiple near p, when one is printable
                pts.append(round(q) * m)
    if not integer:
        pts += [0.5, 1.5]
    out: list[Any] = []
    for p in pts:
        if isinstance(p, float) and p.is_integer():
            out.append(int(p))
            out.append(p)
        else:
            out.append(p)
    return out


def _strings(node: Node) -> list[Any]:
    kw = node.kw
    lo = kw.get("minLength", 0) if isinstance(kw.get("minLength"), int) else 0
    hi = kw.get("maxLength") if isinstance(kw.get("maxLength"), int) else None
    out: list[Any] = []
    fmt = kw.get("format")
    if isinstance(fmt, str) and fmt in _FORMAT_SAMPLES:
        out.append(_FORMAT_SAMPLES[fmt])
    if lo <= MAX_BUILD:
        out += ["a" * max(lo, 1), "a" * lo]
        if lo:
            out.append("a" * (lo - 1))
    out.append("x")
    if hi is not None and hi <= MAX_BUILD:
        out += ["a" * hi, "a" * (hi + 1)]
    out += ["not-a-" + (fmt if isinstance(fmt, str) else "thing"), "0", "A1"]
    pattern = kw.get("pattern")
    if isinstance(pattern, str):
        # `[]` matches nothing: the shortest match of the pattern; then the shortest of at
        # least minLength and of more than maxLength characters (a string outside `^.{0,n}$`)
        targets = ["[]"] + [
            f"^[\\s\\S]{{0,{n}}}$" for n in (lo - 1, hi) if n is not None and 0 <= n < 200
        ]
        for target in targets:
            found = counterexample(pattern, target)
            if found is not None and found[1] is not None:
                out.append(found[1])
        lit = "".join(ch for ch in pattern if ch.isalnum() or ch in "-_:. ")
        out += [lit, lit + "a", lit[:1]]
    return out
