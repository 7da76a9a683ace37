"""Hypothesis strategies for instances of our schema documents, valid ones and near misses."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
ANY_JSON = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)
TAG_LIKE = st.sampled_from(
    ["future.event", "Unknown", "matrix.updated", "turn.blocked", "x"]
) | st.text(min_size=1, max_size=10)


def from_schema(node: Any, root: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Instances valid under ``node`` (a subset of 2020-12: what our documents use)."""
    if (
        node is True
        or node == {}
        or (
            isinstance(node, dict)
            and not (
                set(node)
                - {"description", "title", "default"}
                - {k for k in node if k.startswith("x-")}
            )
        )
    ):
        return ANY_JSON
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        target = root if node["$ref"] == "#" else root["$defs"][name]
        return from_schema(target, root, depth + 1)
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if "oneOf" in node or "anyOf" in node:
        branches = node.get("oneOf") or node["anyOf"]
        return st.one_of([from_schema(b, root, depth + 1) for b in branches])
    types = node.get("type")
    if isinstance(types, list):
        return st.one_of([from_schema({**node, "type": t}, root, depth) for t in types])
    if types == "null":
        return st.none()
    if types == "boolean":
        return st.booleans()
    if types == "string":
        if "pattern" in node:  # the unknown-event tag: anything but the known tags
            return TAG_LIKE.filter(lambda s: s not in node["pattern"])
        return st.text(max_size=12)
    if types == "integer":
        return st.integers(min_value=node.get("minimum"), max_value=node.get("maximum"))
    if types == "number":
        return st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    if types == "array":
        return st.lists(from_schema(node.get("items", {}), root, depth + 1), max_size=3)
    if types == "object":
        props = node.get("properties", {})
        required = node.get("required", [])
        fixed = {k: from_schema(props.get(k, {}), root, depth + 1) for k in required}
        optional = {
            k: from_schema(v, root, depth + 1) for k, v in props.items() if k not in required
        }
        return st.fixed_dictionaries(fixed, optional=optional)
    raise AssertionError(f"strategy for {node!r} not written")


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[Any]) -> Any:
    """A valid instance with one random change: a value replaced, a key dropped or added."""
    value = draw(base)
    paths = [p for p in _paths(value) if p]
    if not paths:
        return value
    path = draw(st.sampled_from(paths))
    parent: Any = value
    for step in path[:-1]:
        parent = parent[step]
    key = path[-1]
    action = draw(st.sampled_from(["replace", "drop", "null", "add"]))
    if action == "drop" and isinstance(parent, dict):
        del parent[key]
    elif action == "null":
        parent[key] = None
    elif action == "add" and isinstance(parent, dict):
        parent[draw(st.text(max_size=6))] = draw(ANY_JSON)
    else:
        parent[key] = draw(ANY_JSON | TAG_LIKE)
    return value
