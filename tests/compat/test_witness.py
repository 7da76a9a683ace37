"""Witnesses are specific: each shows its own change, not a sibling change of the same node."""

from __future__ import annotations

import copy
import os
from typing import Any

from hypothesis import HealthCheck, assume, example, given, settings
from jsonschema import Draft202012Validator

from tests.compat.strategies import related_pairs
from vtcode_exec_events.compat import compare
from vtcode_exec_events.compat.canonical import NUMBER_KW, STRING_KW
from vtcode_exec_events.errors import SchemaError
from vtcode_exec_events.pointer import split

EXAMPLES = int(os.environ.get("COMPAT_FUZZ_EXAMPLES", "150"))
_LEAF = {*STRING_KW, *NUMBER_KW, "type", "enum", "const", "required", "uniqueItems"} | {
    "minProperties", "maxProperties", "minItems", "maxItems",
}  # fmt: skip
_MISSING = object()


def _valid(schema: Any, value: Any) -> bool:
    """As the engine judges by default: no $vocabulary here, so `format` is an annotation."""
    return bool(Draft202012Validator(schema).is_valid(value))


def _at(doc: Any, tokens: list[str]) -> Any:
    for t in tokens:
        if isinstance(doc, dict) and t in doc:
            doc = doc[t]
        elif isinstance(doc, list) and t.isdigit() and int(t) < len(doc):
            doc = doc[int(t)]
        else:
            return _MISSING
    return doc


def _apply_only(old: Any, new: Any, pointer: str) -> Any:
    """``old`` with the one keyword at ``pointer`` set as ``new`` has it (or removed)."""
    tokens = split(pointer[1:])
    if not isinstance(_at(old, tokens[:-1]), dict) or not isinstance(_at(new, tokens[:-1]), dict):
        return _MISSING
    if _at(old, tokens) is _MISSING and _at(new, tokens) is _MISSING:
        return _MISSING  # a place of the canonical form, not of the documents
    patched = copy.deepcopy(old)
    target = _at(patched, tokens[:-1])
    value = _at(new, tokens)
    if value is _MISSING:
        target.pop(tokens[-1], None)
    else:
        target[tokens[-1]] = copy.deepcopy(value)
    return patched


def _keyword_pointer(change: Any) -> str | None:
    """The pointer of the one keyword a change is about (added, removed or changed there)."""
    if change.id.startswith(("ENUM_", "TYPE_", "SUM_TYPE_")):
        return None  # compared as whole finite or typed sets, not as one keyword
    o, n = change.old_pointer, change.new_pointer
    for p, other in ((n, o), (o, n)):
        if p.startswith("#/") and "$ref" not in p and split(p[1:])[-1] in _LEAF:
            parent = p.rsplit("/", 1)[0] or "#"
            if other in (p, parent):
                return p
    return None


@settings(
    max_examples=max(EXAMPLES // 3, 40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(pair=related_pairs())
# The sibling case of the issue: an optional property added beside a property made required.
@example(
    pair=(
        {"type": "object", "properties": {"a": {"type": "string"}}},
        {
            "type": "object",
            "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
            "required": ["a"],
        },
    )
)
def test_a_witness_shows_its_own_change(pair: tuple[Any, Any]) -> None:
    """Applying only the change to the old schema reproduces the witness's verdict: the new
    side's rejection (backward) or acceptance (forward) is due to that change alone."""
    old, new = pair
    try:
        report = compare(old, new)
    except SchemaError:
        assume(False)
        raise
    for change in report.changes:
        w = change.witness
        if w is None:
            continue
        schemas = {"old": old, "new": new}
        assert _valid(schemas[w["accepted_by"]], w["instance"])
        assert not _valid(schemas[w["rejected_by"]], w["instance"])
        pointer = _keyword_pointer(change)
        if pointer is None:
            continue
        patched = _apply_only(old, new, pointer)
        if patched is _MISSING:
            continue
        expected = w["accepted_by"] == "new"  # forward: the change alone lets it in
        assert _valid(patched, w["instance"]) is expected, (change.id, pointer, w)


def test_the_sibling_case_keeps_both_witnesses_apart() -> None:
    old = {"type": "object", "properties": {"a": {"type": "string"}}}
    new = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
        "required": ["a"],
    }
    witnesses = {c.id: c.witness["instance"] for c in compare(old, new).changes if c.witness}
    assert witnesses["REQUIRED_ATTRIBUTE_ADDED"] == {}
    assert "a" in witnesses["OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"]
    assert "b" in witnesses["OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"]
