"""Cycles a validator cannot leave: a schema that applies itself to the same instance."""

from __future__ import annotations

from collections.abc import Iterator

from vtcode_exec_events.compat.canonical import Node
from vtcode_exec_events.errors import SchemaError

__all__ = ["check_cycles"]


def _in_place(x: Node) -> Iterator[Node]:
    """The sub-schemas applied to the same instance as ``x`` (not to a part of it)."""
    yield from x.allof
    for _, branches in x.unions:
        yield from branches
    if x.not_ is not None:
        yield x.not_
    if x.cond is not None:
        yield from (c for c in x.cond if c is not None)
    yield from x.kw.get("dependentSchemas", {}).values()


def check_cycles(root: Node) -> None:
    """Raise a one-line ``SchemaError`` when a schema reachable from ``root`` reaches itself
    through in-place applicators only (allOf, anyOf, oneOf, not, if/then/else, $ref):
    validating any instance against it never ends. Iterative: any depth."""
    state: dict[int, int] = {}  # 1: on the current path, 2: done
    seen_all: list[Node] = [root]
    # every node of the graph, reached through any keyword
    index = 0
    known = {id(root)}
    while index < len(seen_all):
        x = seen_all[index]
        index += 1
        for child in _children(x):
            if id(child) not in known:
                known.add(id(child))
                seen_all.append(child)
    for start in seen_all:
        if id(start) in state:
            continue
        path: list[Node] = [start]
        stack: list[Iterator[Node]] = [_in_place(start)]
        state[id(start)] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                state[id(path.pop())] = 2
                continue
            mark = state.get(id(nxt))
            if mark == 1:
                loop = path[next(i for i, n in enumerate(path) if n is nxt) :]
                hops = " -> ".join(n.display for n in [*loop, nxt])
                raise SchemaError(
                    f"{nxt.display}: the schema applies itself to the same instance ({hops}): "
                    "a cycle no validator can finish"
                )
            if mark is None:
                state[id(nxt)] = 1
                path.append(nxt)
                stack.append(_in_place(nxt))


def _children(x: Node) -> Iterator[Node]:
    yield from _in_place(x)
    for value in x.kw.values():
        if isinstance(value, Node):
            yield value
        elif isinstance(value, dict):
            yield from (v for v in value.values() if isinstance(v, Node))
        elif isinstance(value, list):
            yield from (v for v in value if isinstance(v, Node))
