"""Round trips of VT Code's own lines, and the decode table, through the models and the schema."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest

import vtcode_exec_events as vee
from vtcode_exec_events import registry
from vtcode_exec_events.wire import models_for

from .conftest import DATA, load_json, schema_accepts

SAMPLES = (DATA / "samples.jsonl").read_text("utf-8").splitlines()
DECODE = load_json("decode.json")


@pytest.mark.parametrize("line", SAMPLES, ids=lambda s: json.loads(s).get("type", "envelope"))
def test_sample_round_trips_byte_for_byte(line: str) -> None:
    parsed = vee.parse_line(line)
    assert vee.dumps(parsed.event, schema_version=parsed.schema_version) == line


@pytest.mark.parametrize("line", SAMPLES, ids=lambda s: json.loads(s).get("type", "envelope"))
def test_sample_is_valid_under_the_schema(line: str) -> None:
    assert schema_accepts(json.loads(line))


def test_every_event_tag_and_item_kind_has_a_sample() -> None:
    models = models_for()
    tags = {json.loads(s).get("type") for s in SAMPLES}
    kinds = {json.loads(s).get("item", {}).get("type") for s in SAMPLES}
    assert set(models.events) <= tags
    assert set(models.items) <= kinds
    assert len(models.events) == 17
    assert len(models.items) == 11


def _verdict_by_models(value: Any) -> tuple[bool, str | None]:
    try:
        parsed = vee.parse_line(orjson.dumps(value))
    except vee.WireFormatError:
        return False, None
    return True, type(parsed.event).__name__


@pytest.mark.parametrize("case", DECODE, ids=[c["name"] for c in DECODE])
def test_decode_table_models(case: dict[str, Any]) -> None:
    accepted, model = _verdict_by_models(case["line"])
    assert accepted is case["accept"]
    assert model == case["model"]


@pytest.mark.parametrize("case", DECODE, ids=[c["name"] for c in DECODE])
def test_decode_table_schema(case: dict[str, Any]) -> None:
    assert schema_accepts(case["line"]) is case["accept"]


def test_unknown_event_keeps_its_type_and_drops_the_rest() -> None:
    event = vee.parse_event('{"type":"something.new","payload":{"a":1}}')
    assert isinstance(event, vee.UnknownThreadEvent)
    assert event.type == "something.new"
    assert vee.dumps(event) == '{"type":"something.new"}'


def test_known_tag_with_bad_payload_is_an_error_not_an_unknown_event() -> None:
    with pytest.raises(vee.WireFormatError) as info:
        vee.parse_event('{"type":"thread.started"}')
    assert info.value.pointer == ""  # validate's pointer: the object missing the field
    assert info.value.message == '"thread_id" is a required property'
    assert info.value.kind == "schema"


def test_error_pointer_goes_through_the_item_union() -> None:
    line = '{"type":"item.completed","item":{"id":"i","type":"file_change",' + (
        '"changes":[{"path":"a","kind":"update"},{"path":"b","kind":"rename"}],"status":"completed"}}'
    )
    with pytest.raises(vee.WireFormatError) as info:
        vee.parse_line(line)
    assert info.value.pointer == "/item/changes/1/kind"
    assert info.value.message == '"rename" is not one of "add", "delete", "update"'


def test_invalid_json_is_a_json_error() -> None:
    with pytest.raises(vee.WireFormatError) as info:
        vee.parse_line('{"type":')
    assert info.value.kind == "json"
    assert isinstance(info.value, ValueError)


def test_envelope_with_unknown_version_is_a_version_error() -> None:
    with pytest.raises(vee.WireFormatError) as info:
        vee.parse_line('{"schema_version":"0.5.0","event":{"type":"turn.started"}}')
    assert info.value.kind == "version"
    assert info.value.pointer == "/schema_version"
    assert "0.1.0" in info.value.message
    assert "0.11.0" in info.value.message


def test_newer_envelope_version_is_read_with_the_newest() -> None:
    parsed = vee.parse_line('{"schema_version":"99.0.0","event":{"type":"turn.started"}}')
    assert parsed.schema_version == "99.0.0"
    assert parsed.event.__class__.__module__ == models_for(registry.latest()).module.__name__


def test_envelope_picks_the_models_of_its_version() -> None:
    parsed = vee.parse_line(
        '{"schema_version":"0.3.0","event":{"type":"turn.completed","usage":'
        '{"input_tokens":1,"cached_input_tokens":0,"output_tokens":2}}}'
    )
    assert parsed.schema_version == "0.3.0"
    assert type(parsed.event).__module__.endswith("v0_3_0")


@pytest.mark.parametrize(
    ("event", "line"),
    [
        (vee.ThreadStartedEvent(thread_id="t"), '{"type":"thread.started","thread_id":"t"}'),
        (
            vee.ItemStartedEvent(
                item=vee.ThreadItem(
                    vee.CommandExecutionItem(id="c", command="ls", status="in_progress")
                )
            ),
            '{"type":"item.started","item":{"id":"c","type":"command_execution",'
            '"command":"ls","aggregated_output":"","status":"in_progress"}}',
        ),
        (
            vee.ItemCompletedEvent(
                item=vee.ThreadItem(vee.ToolOutputItem(id="t:output", call_id="t", status="failed"))
            ),
            '{"type":"item.completed","item":{"id":"t:output","type":"tool_output",'
            '"call_id":"t","output":"","status":"failed"}}',
        ),
    ],
)
def test_constructed_events_write_vt_code_bytes(event: Any, line: str) -> None:
    assert vee.dumps(event) == line
    assert vee.dumps(vee.parse_event(line)) == line


def test_envelope_stamps_the_version() -> None:
    event = vee.TurnStartedEvent()
    assert (
        vee.dumps(event, schema_version=vee.EVENT_SCHEMA_VERSION)
        == f'{{"schema_version":"{vee.EVENT_SCHEMA_VERSION}","event":{{"type":"turn.started"}}}}'
    )


def test_versioned_model_writes_the_same_bytes() -> None:
    line = '{"schema_version":"0.11.0","event":{"type":"thread.started","thread_id":"x"}}'
    model = vee.VersionedThreadEvent.model_validate_json(line)
    assert vee.dumps(model) == line


def test_package_constants() -> None:
    assert registry.latest() == vee.EVENT_SCHEMA_VERSION
    assert registry.version_key(vee.EVENT_SCHEMA_VERSION) >= (0, 11, 0)
