"""Data-driven verdicts: tests/data/compat/cases.json (old, new, policy → verdicts and rule ids)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import validators

from vtcode_exec_events.compat import compare

CASES = json.loads((Path(__file__).parents[1] / "data" / "compat" / "cases.json").read_text())


def _valid(schema: Any, value: Any) -> bool:
    cls = (
        validators.validator_for(schema, default=validators.Draft202012Validator)
        if isinstance(schema, dict)
        else validators.Draft202012Validator
    )
    if (
        isinstance(schema, dict)
        and "$schema" not in schema
        and ("additionalItems" in json.dumps(schema) or "dependencies" in schema)
    ):
        cls = validators.Draft7Validator
    return bool(cls(schema, format_checker=cls.FORMAT_CHECKER).is_valid(value))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    report = compare(case["old"], case["new"], policy=case.get("policy", "strict"))
    assert (report.backward, report.forward) == (case["backward"], case["forward"])
    breaking = sorted({c.id for c in report.changes if not (c.backward and c.forward)})
    assert breaking == sorted(case["breaking_ids"])
    for change in report.changes:
        if change.witness is not None:
            w = change.witness
            schemas = {"old": case["old"], "new": case["new"]}
            assert _valid(schemas[w["accepted_by"]], w["instance"])
            assert not _valid(schemas[w["rejected_by"]], w["instance"])


def test_every_breaking_case_with_a_decided_change_has_a_witness() -> None:
    missing = []
    for case in CASES:
        report = compare(case["old"], case["new"], policy=case.get("policy", "strict"))
        for change in report.changes:
            if change.breaking and change.decided and change.witness is None:
                missing.append((case["name"], change.id))
    assert missing == []


def test_report_shape_is_the_contract() -> None:
    report = compare({"type": "string", "maxLength": 5}, {"type": "string", "maxLength": 3})
    doc = report.to_json()
    assert doc["backward"] is False
    assert doc["forward"] is True
    (change,) = doc["changes"]
    assert {"id", "old_pointer", "new_pointer", "backward", "forward", "message"} <= set(change)
    assert change["id"] == "MAX_LENGTH_DECREASED"
    assert change["old_pointer"] == change["new_pointer"] == "#/maxLength"
    assert change["witness"] == {
        "direction": "backward",
        "instance": "aaaaa",
        "accepted_by": "old",
        "rejected_by": "new",
    }


def test_full_direction_and_changes_list() -> None:
    report = compare({"enum": ["a", "b"]}, {"enum": ["b", "c"]})
    assert report.backward is False
    assert report.forward is False
    assert report.full is False
    assert [c.id for c in report.changes] == ["ENUM_ARRAY_CHANGED"]


def test_recursion_terminates_on_mutual_recursion() -> None:
    schema = {
        "$defs": {
            "A": {"type": "object", "properties": {"b": {"$ref": "#/$defs/B"}}},
            "B": {
                "type": "object",
                "properties": {"a": {"$ref": "#/$defs/A"}, "n": {"type": "integer"}},
            },
        },
        "$ref": "#/$defs/A",
    }
    changed = json.loads(json.dumps(schema))
    changed["$defs"]["B"]["properties"]["n"] = {"type": "string"}
    assert compare(schema, schema).changes == []
    report = compare(schema, changed)
    assert not report.backward
    assert not report.forward
    assert {c.id for c in report.changes} == {"TYPE_CHANGED"}


def test_a_catch_all_enum_gains_a_value_without_breaking_anything() -> None:
    """The vocabulary's open enums: anyOf [enum ref, {"type": "string"}]. A new enum value is
    still a string, so neither direction breaks; without the string branch it would."""

    def union(values: list[str], other: str) -> dict[str, Any]:
        return {"anyOf": [{"$ref": "#/$defs/E"}, {"type": other}], "$defs": {"E": {"enum": values}}}

    report = compare(union(["a"], "string"), union(["a", "b"], "string"), policy="strict")
    assert (report.backward, report.forward) == (True, True)
    assert [(c.id, c.severity) for c in report.changes] == [("ENUM_ARRAY_EXTENDED", "info")]

    report = compare(union(["a"], "integer"), union(["a", "b"], "integer"), policy="strict")
    assert (report.backward, report.forward) == (True, False)
    (change,) = report.changes
    assert change.id == "ENUM_ARRAY_EXTENDED"
    assert change.witness is not None
    assert change.witness["instance"] == "b"
    assert change.witness["accepted_by"] == "new"
