"""Wire-shaped dicts as events: every emitter takes them, and the bytes are the model's."""

from __future__ import annotations

import datetime
import io
import json
import logging
from pathlib import Path
from typing import Any

import orjson
import pytest

import vtcode_exec_events as vee
from vtcode_exec_events.emit import FanOut, JsonlEmitter, LogEmitter
from vtcode_exec_events.fastwire import encode, encode_line

from .conftest import sample_lines

#: The sample corpus's bare lines (one of each event kind, exact VT Code bytes).
BARE = [line for line in sample_lines() if not line.startswith('{"schema_version"')]


@pytest.mark.parametrize("line", BARE)
def test_a_dict_read_from_a_line_is_written_back_byte_for_byte(line: str) -> None:
    plain = orjson.loads(line)
    bare, enveloped = io.BytesIO(), io.BytesIO()
    JsonlEmitter(bare)(plain)
    JsonlEmitter(enveloped, envelope=True)(plain)
    model = vee.parse_line(line).event
    assert bare.getvalue() == line.encode() + b"\n" == encode_line(model)
    assert enveloped.getvalue() == encode_line(model, schema_version="0.11.0")
    assert vee.dumps(plain) == vee.dumps(model) == line


def test_models_nested_in_a_dict_are_written_as_models() -> None:
    item = vee.CommandExecutionItem(id="c", command="ls", status="completed", exit_code=0)
    mixed = {"type": "item.completed", "item": item}
    model = vee.ItemCompletedEvent(item=vee.ThreadItem(root=item))
    assert encode(mixed) == encode(model)
    assert encode(mixed) == (
        b'{"type":"item.completed","item":{"id":"c","type":"command_execution",'
        b'"command":"ls","aggregated_output":"","exit_code":0,"status":"completed"}}'
    )


def test_a_dict_is_written_as_given_none_included() -> None:
    # No runtime check on dicts: their key order and nulls are what the producer built.
    plain = {"item": {"type": "agent_message", "id": "a", "text": "hi"}, "type": "item.completed"}
    plain["item"]["stage"] = None
    assert encode(plain) == (
        b'{"item":{"type":"agent_message","id":"a","text":"hi","stage":null},'
        b'"type":"item.completed"}'
    )


def test_values_orjson_cannot_write_go_through_pydantic() -> None:
    when = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.timezone.utc)
    assert encode({"type": "x", "at": when, "big": 2**70}) == (
        b'{"type":"x","at":"2026-11-25T12:00:00Z","big":1180591620717411303424}'
    )


NOT_EVENTS: list[Any] = [42, "turn.started", ["a"], None, ("type", "x"), 1.5, True]


@pytest.mark.parametrize("value", NOT_EVENTS, ids=lambda v: type(v).__name__)
def test_anything_but_a_model_or_a_mapping_is_refused(value: Any) -> None:
    message = f"an event is a model or a mapping, not {type(value).__name__}"
    stream = io.StringIO()
    emitter = JsonlEmitter(stream)
    emitter(value)
    enveloped = JsonlEmitter(stream, envelope=True)
    enveloped(value)
    assert stream.getvalue() == ""
    assert str(emitter.failures.last) == str(enveloped.failures.last) == message
    assert emitter.failures.count == enveloped.failures.count == 1
    with pytest.raises(TypeError, match=message):
        vee.dumps(value)
    with pytest.raises(TypeError, match=message):
        JsonlEmitter(stream, raise_errors=True)(value)


def test_log_emitter_takes_dicts(caplog: pytest.LogCaptureFixture) -> None:
    plain = {"type": "thread.started", "thread_id": "t-1"}
    with caplog.at_level(logging.INFO, logger="vtcode_exec_events.events"):
        LogEmitter()(plain)
    (record,) = caplog.records
    assert record.getMessage() == '{"type":"thread.started","thread_id":"t-1"}'
    assert record.event_type == "thread.started"  # type: ignore[attr-defined]
    assert record.schema_version == vee.EVENT_SCHEMA_VERSION  # type: ignore[attr-defined]


def broken(event: object) -> None:
    raise RuntimeError("sink down")


def test_a_fan_out_passes_dicts_on_and_reports_their_tag(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "events.jsonl"
    plain = {"type": "turn.started"}
    with (
        caplog.at_level(logging.WARNING, logger="vtcode_exec_events.emit"),
        FanOut(broken, JsonlEmitter(path)) as fan,
    ):
        fan(plain)
    assert path.read_text() == '{"type":"turn.started"}\n'
    assert fan.failures == {"tests.emit.test_dict_events.broken": 1}
    assert "(event 'turn.started')" in caplog.records[0].getMessage()


def test_otel_emitter_reads_dicts_with_the_models() -> None:
    pytest.importorskip("opentelemetry.sdk")
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from vtcode_exec_events.emit.otel import OtelEmitter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    emitter = OtelEmitter(provider.get_tracer("test"))
    line = '{"type":"thread.started","thread_id":"t-1"}'
    emitter(json.loads(line))
    emitter(vee.parse_event(line))
    emitter({"type": "thread.started"})  # no thread_id: the models reject it
    first, second = exporter.get_finished_spans()
    assert first.name == second.name == "thread.started"
    assert dict(first.attributes or {}) == dict(second.attributes or {})
    assert emitter.failures.count == 1
    assert isinstance(emitter.failures.last, vee.WireFormatError)
    emitter(line)  # JSON text is not an event either
    assert emitter.failures.count == 2
    assert str(emitter.failures.last) == "an event is a model or a mapping, not str"
    assert len(exporter.get_finished_spans()) == 2
    provider.shutdown()
