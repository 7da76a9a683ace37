"""Whether a witness shows its own change: rejected only at the change's node and keyword."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vtcode_exec_events.compat.canonical import NUMBER_KW, STRING_KW
from vtcode_exec_events.pointer import unescape

if TYPE_CHECKING:
    from vtcode_exec_events.compat.diff import Change

__all__ = ["specific"]


def specific(errors: list[tuple[str, ...]] | None, change: Change, side: str) -> bool:
    """Whether a witness is rejected only at the change: every error's schema path lies at
    or under the node (or the ``required`` list) the change is about. Only decided where
    paths are absolute (``errors`` is None when the rejecting document has references)."""
    pointer = change.new_pointer if side == "new" else change.old_pointer
    if errors is None or not pointer.startswith("#"):
        return True
    want = _tokens(pointer)
    keywords: frozenset[str] | None = None  # the error must come from one of these
    if change.hints and change.hints[0] == "req":
        node = change.new_node if side == "new" else change.old_node
        if node is None or not node.display.startswith("#"):
            return True
        want, keywords = _tokens(node.display), frozenset({"required"})
    elif want and want[-1] in _LEAF_KEYWORDS:
        keywords = _SAME_ERROR.get(want[-1], frozenset({want[-1]}))
        want = want[:-1]
    return all(
        (
            path[: len(want)] == want
            and (keywords is None or (len(path) > len(want) and path[len(want)] in keywords))
        )
        # through a combinator an error is not placed (its branches, a merged canonical node)
        or any(t in _COMBINATORS for t in path)
        for path in errors
    )


#: keywords whose failures jsonschema reports under another keyword of the same node
_SAME_ERROR = {
    k: frozenset(group)
    for group in (
        {"minimum", "exclusiveMinimum"},
        {"maximum", "exclusiveMaximum"},
        {"contains", "minContains", "maxContains"},
        {"enum", "const"},
    )
    for k in group
}
_COMBINATORS = frozenset({"anyOf", "oneOf", "allOf", "not", "if", "then", "else"})


def _tokens(pointer: str) -> tuple[str, ...]:
    return tuple(unescape(t) for t in pointer[1:].split("/")[1:])


#: keywords whose value is not a schema: a change "at" one is a change of its node
_LEAF_KEYWORDS = frozenset(
    {*STRING_KW, *NUMBER_KW, "type", "enum", "const", "required", "uniqueItems"}
    | {"minProperties", "maxProperties", "minItems", "maxItems", "minContains", "maxContains"}
    | {"dependentRequired", "patternProperties", "if"}
)
