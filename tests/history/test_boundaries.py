"""Every wire change of the schema history, accepted and rejected at its boundary version,
by the generated models and by jsonschema over the version's own documents."""

from __future__ import annotations

import json
from typing import Any

import pytest
from history_oracle import (
    ACCEPT,
    expected,
    model_verdict,
    read_jsonl,
    read_rows,
    schema_validator,
    schema_verdict,
)

from vtcode_exec_events import registry, wire
from vtcode_exec_events.errors import WireFormatError
from vtcode_exec_events.validate import validate_lines

CASES = read_jsonl("boundaries.jsonl")
ENVELOPES = read_jsonl("envelopes.jsonl")
ROWS = read_rows()
VERSIONS = registry.versions()


def _id(case: dict[str, Any]) -> str:
    return f"{case['row']}:{case['case']}"


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_case_under_every_version(case: dict[str, Any]) -> None:
    """The models and the schema documents give the expected verdict under every version."""
    wrong = []
    for version in VERSIONS:
        want = expected(case["expect"], version)
        got_model = model_verdict(case, version)
        got_schema = schema_verdict(case, version)
        if got_model != want:
            wrong.append(f"{version}: models say {got_model}, expected {want}")
        if (got_schema == "valid") != (want in ACCEPT):
            wrong.append(f"{version}: schema says {got_schema}, expected {want}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("case", ENVELOPES, ids=_id)
def test_envelope_picks_its_version(case: dict[str, Any]) -> None:
    """An envelope's ``schema_version`` selects the models and the schema it is checked by."""
    line = json.dumps(case["line"])
    want = case["expect"]
    if want == "newer":  # VT Code never reads the version: the newest schema reads the line
        parsed = wire.parse_line(line)
        assert parsed.schema_version == case["line"]["schema_version"]
        assert parsed.event.__class__.__module__ == wire.models_for().module.__name__
        (result,) = validate_lines([line])
        assert result.valid
        assert [(i.kind, i.severity) for i in result.issues] == [("version", "warning")]
        return
    if want in ACCEPT:
        parsed = wire.parse_line(line)
        version = case["line"]["schema_version"]
        models = wire.models_for(version)
        assert parsed.schema_version == version
        assert parsed.event.__class__.__module__ == models.module.__name__
        is_unknown = models.unknown is not None and isinstance(parsed.event, models.unknown)
        assert is_unknown == (want == "unknown")
    else:
        with pytest.raises(WireFormatError) as info:
            wire.parse_line(line)
        assert info.value.kind == ("version" if want == "version" else "schema")
        assert case.get("message", "") in str(info.value)
    version = case["line"].get("schema_version")
    if want == "version":
        with pytest.raises(ValueError, match="schema version"):
            registry.resolve_version(version)
        return
    if not isinstance(version, str):
        version = registry.latest()
    validator = schema_validator(version, registry.VERSIONED_THREAD_EVENT)
    assert validator.is_valid(case["line"]) == (want in ACCEPT)


def _accepts(case: dict[str, Any], version: str) -> bool:
    return expected(case["expect"], version) in ACCEPT


@pytest.mark.parametrize("row", [r for r in ROWS if r["wire"]], ids=lambda r: r["commit"])
def test_every_history_row_has_an_accept_and_a_reject_at_its_boundary(
    row: dict[str, Any],
) -> None:
    """Each wire row of the history table is pinned by cases that flip at its version."""
    version = row["schema"]
    assert version in VERSIONS
    cases = [c for c in CASES if c["row"] == row["commit"]]
    envelopes = [c for c in ENVELOPES if c["row"] == row["commit"]]
    assert cases or envelopes, f"no boundary case for {row['commit']} ({row['change']})"
    if version == VERSIONS[0]:
        verdicts = {_accepts(c, version) for c in cases}
        verdicts |= {c["expect"] in ACCEPT for c in envelopes}
        assert verdicts == {True, False}, "needs an accepted and a rejected case at 0.1.0"
        return
    before = VERSIONS[VERSIONS.index(version) - 1]
    flips = [c for c in cases if _accepts(c, before) != _accepts(c, version)]
    assert flips, f"no case accepted on one side of {before} -> {version} and rejected on the other"


def test_every_case_names_a_row_of_the_table() -> None:
    commits = {r["commit"] for r in ROWS}
    strays = {c["row"] for c in CASES + ENVELOPES} - commits
    assert not strays


def test_expectations_start_at_the_first_version() -> None:
    for case in CASES:
        assert set(case["expect"]) <= set(VERSIONS), _id(case)
        assert VERSIONS[0] in case["expect"], _id(case)


USAGE_WITHOUT_CACHE_CREATION = {"input_tokens": 10, "cached_input_tokens": 0, "output_tokens": 5}
TOOL_INVOCATION = (
    '{"type":"item.started","item":{"id":"tool_1","type":"tool_invocation",'
    '"tool_name":"read_file","status":"in_progress"}}'
)
CONTEXT_RESET = (
    '{"type":"context.reset","thread_id":"thread-1","turn_id":"turn-3",'
    '"trigger":"plan_approval","plan_preserved":true,"previous_context_usage_percent":71,'
    '"tool_budget_reset":true}'
)


def test_issue_example_usage_without_cache_creation_tokens() -> None:
    """Valid under 0.3.0, invalid under 0.4.0, by the models and by the schema."""
    case = {"target": "Usage", "instance": USAGE_WITHOUT_CACHE_CREATION}
    assert model_verdict(case, "0.3.0") == schema_verdict(case, "0.3.0") == "valid"
    assert model_verdict(case, "0.4.0") == schema_verdict(case, "0.4.0") == "invalid"


def test_issue_example_tool_invocation() -> None:
    """Invalid under 0.1.0 (an unknown item kind is fatal), valid under 0.2.0."""
    with pytest.raises(WireFormatError):
        wire.parse_event(TOOL_INVOCATION, schema_version="0.1.0")
    event = wire.parse_event(TOOL_INVOCATION, schema_version="0.2.0")
    assert type(event).__module__ == "vtcode_exec_events.models.v0_2_0"
    line = json.loads(TOOL_INVOCATION)
    assert not schema_validator("0.1.0", registry.THREAD_EVENT).is_valid(line)
    assert schema_validator("0.2.0", registry.THREAD_EVENT).is_valid(line)


def test_issue_example_context_reset() -> None:
    """A known event under 0.11.0, an unknown event under 0.10.0."""
    known = wire.parse_event(CONTEXT_RESET, schema_version="0.11.0")
    unknown = wire.parse_event(CONTEXT_RESET, schema_version="0.10.0")
    assert type(known) is wire.models_for("0.11.0").events["context.reset"]
    assert type(unknown) is wire.models_for("0.10.0").unknown
