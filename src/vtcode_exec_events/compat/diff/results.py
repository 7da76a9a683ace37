"""The result graph: each compared pair's own changes plus shared links to sub-results."""

from __future__ import annotations

from dataclasses import replace

from vtcode_exec_events.compat.diff.change import Change

__all__ = ["EMPTY", "Out", "Result"]


class Result:
    """The outcome of comparing one pair of nodes: its own changes plus links to the results
    of sub-comparisons (shared, never copied, so a graph with many paths stays linear)."""

    __slots__ = ("backward", "children", "fail_b", "fail_f", "forward", "own")
    backward: bool
    forward: bool
    fail_b: int
    fail_f: int

    def __init__(
        self, own: list[Change], children: list[tuple[Result, bool, bool]] | None = None
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
        stack: list[tuple[Result, bool, bool]] = [(self, False, False)]
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


class Out:
    """Collects a comparison's own changes and links to sub-results."""

    __slots__ = ("children", "own")

    def __init__(self) -> None:
        self.own: list[Change] = []
        self.children: list[tuple[Result, bool, bool]] = []

    def append(self, change: Change) -> None:
        self.own.append(change)

    def child(self, result: Result, *, force_b: bool = False, force_f: bool = False) -> None:
        if result.own or result.children:
            self.children.append((result, force_b, force_f))


EMPTY = Result([])
