"""Hypothesis strategies: random JSON Schemas (2020-12), related schema pairs, and JSON values."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

NAMES = ["a", "b", "c"]
STRINGS = ["", "a", "ab", "abc", "x1", "2024-01-01", "a@b.co", "A"]
PATTERNS = ["^a", "b$", "^[a-z]*$", "1"]
SMALL_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    -1,
    2,
    0.5,
    3,
    "",
    "a",
    "ab",
    [],
    {},
    [1],
    {"a": 1},
]

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 5),
    st.sampled_from([0.5, -1.5, 2.0, 1e9]),
    st.sampled_from(STRINGS),
)
json_values = st.recursive(
    json_scalars,
    lambda kids: st.one_of(
        st.lists(kids, max_size=3),
        st.dictionaries(st.sampled_from([*NAMES, "d", "x1"]), kids, max_size=3),
    ),
    max_leaves=8,
)


def _leaf() -> st.SearchStrategy[Any]:
    string = st.fixed_dictionaries(
        {"type": st.just("string")},
        optional={
            "minLength": st.integers(0, 3),
            "maxLength": st.integers(0, 3),
            "pattern": st.sampled_from(PATTERNS),
            "format": st.sampled_from(["date", "email"]),
        },
    )
    number = st.fixed_dictionaries(
        {"type": st.sampled_from(["number", "integer"])},
        optional={
            "minimum": st.integers(-2, 3),
            "maximum": st.integers(-2, 3),
            "exclusiveMinimum": st.integers(-2, 3),
            "exclusiveMaximum": st.integers(-2, 3),
            "multipleOf": st.sampled_from([1, 2, 0.5, 3]),
        },
    )
    enum = st.builds(
        lambda vs: {"enum": vs},
        st.lists(st.sampled_from(SMALL_VALUES[:12]), min_size=1, max_size=3, unique_by=repr),
    )
    const = st.builds(lambda v: {"const": v}, st.sampled_from(SMALL_VALUES[:12]))
    types = st.builds(
        lambda ts: {"type": ts},
        st.lists(
            st.sampled_from(["null", "boolean", "string", "integer", "number", "object", "array"]),
            min_size=1,
            max_size=3,
            unique=True,
        ),
    )
    return st.one_of(string, number, enum, const, types, st.sampled_from([True, False, {}]))


def _compound(kids: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    obj = st.fixed_dictionaries(
        {},
        optional={
            "type": st.just("object"),
            "properties": st.dictionaries(st.sampled_from(NAMES), kids, max_size=3),
            "required": st.lists(st.sampled_from([*NAMES, "d"]), max_size=2, unique=True),
            "additionalProperties": kids,
            "patternProperties": st.dictionaries(st.sampled_from(["^x", "^a"]), kids, max_size=1),
            "propertyNames": st.just({"maxLength": 1}),
            "minProperties": st.integers(0, 2),
            "maxProperties": st.integers(0, 3),
            "dependentRequired": st.dictionaries(
                st.sampled_from(NAMES),
                st.lists(st.sampled_from(NAMES), max_size=2, unique=True),
                max_size=1,
            ),
        },
    )
    arr = st.fixed_dictionaries(
        {},
        optional={
            "type": st.just("array"),
            "items": kids,
            "prefixItems": st.lists(kids, min_size=1, max_size=2),
            "minItems": st.integers(0, 2),
            "maxItems": st.integers(0, 3),
            "uniqueItems": st.booleans(),
            "contains": kids,
            "minContains": st.integers(0, 2),
        },
    )
    comb = st.one_of(
        st.builds(lambda xs: {"anyOf": xs}, st.lists(kids, min_size=1, max_size=3)),
        st.builds(lambda xs: {"oneOf": xs}, st.lists(kids, min_size=1, max_size=3)),
        st.builds(lambda xs: {"allOf": xs}, st.lists(kids, min_size=1, max_size=2)),
        st.builds(lambda x: {"not": x}, kids),
        st.builds(lambda i, t, e: {"if": i, "then": t, "else": e}, kids, kids, kids),
    )
    return st.one_of(obj, arr, comb)


schemas = st.recursive(_leaf(), _compound, max_leaves=6)


def _walk(node: Any, out: list[dict[str, Any]]) -> None:
    if isinstance(node, dict):
        out.append(node)
        for key, value in node.items():
            if key in ("enum", "const", "required", "dependentRequired"):
                continue
            if isinstance(value, dict):
                if key in ("properties", "patternProperties"):
                    for sub in value.values():
                        _walk(sub, out)
                else:
                    _walk(value, out)
            elif isinstance(value, list):
                for sub in value:
                    _walk(sub, out)


@st.composite
def related_pairs(draw: st.DrawFn) -> tuple[Any, Any]:
    """An old schema and a new one that differs by a few edits (or is drawn afresh)."""
    old = draw(schemas)
    if draw(st.integers(0, 9)) == 0:
        return old, draw(schemas)
    new = copy.deepcopy(old)
    if not isinstance(new, dict):
        return old, draw(schemas)
    for _ in range(draw(st.integers(1, 2))):
        nodes: list[dict[str, Any]] = []
        _walk(new, nodes)
        target = draw(st.sampled_from(nodes))
        action = draw(st.integers(0, 3))
        if action == 0 and target:
            target.pop(draw(st.sampled_from(sorted(target))))
        elif action == 1:
            extra = draw(_leaf())
            if isinstance(extra, dict):
                target.update(extra)
        elif action == 2:
            target["properties"] = {
                **target.get("properties", {}),
                draw(st.sampled_from(NAMES)): draw(_leaf()),
            }
            if draw(st.booleans()):
                target["required"] = sorted(
                    {*target.get("required", []), draw(st.sampled_from(NAMES))}
                )
        else:
            inner = dict(target)
            target.clear()
            target[draw(st.sampled_from(["anyOf", "oneOf", "allOf"]))] = [inner, draw(_leaf())]
    return old, new


@st.composite
def catch_all_pairs(draw: st.DrawFn) -> tuple[Any, Any]:
    """A union whose first branch is a shared definition (`$ref`) beside other branches, such
    as a catch-all enum (`anyOf` [enum ref, `{"type": "string"}`]), with only the definition
    changed between the versions: the branch next to it may or may not contain the change."""
    kind = draw(st.sampled_from(["anyOf", "anyOf", "oneOf"]))
    others = draw(st.lists(_leaf(), min_size=1, max_size=2))
    old_def = draw(_leaf())
    if draw(st.booleans()):
        new_def = draw(_leaf())
    elif isinstance(old_def, dict) and "enum" in old_def:
        extra = draw(st.sampled_from(SMALL_VALUES[:12]))
        values = [v for v in old_def["enum"] if draw(st.booleans())]
        known = {repr(v) for v in values}
        new_def = {"enum": values if repr(extra) in known else [*values, extra]}
    else:
        new_def = copy.deepcopy(old_def)
        edit = draw(_leaf())
        if isinstance(new_def, dict) and isinstance(edit, dict):
            new_def.update(edit)

    def union(definition: Any) -> dict[str, Any]:
        body = {kind: [{"$ref": "#/$defs/E"}, *others], "$defs": {"E": definition}}
        if draw(st.booleans()):
            return body
        return {"type": "object", "properties": {"p": body}, "$defs": body.pop("$defs")}

    return union(old_def), union(new_def)
