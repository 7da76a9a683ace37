"""The fast encoder (behind ``dumps`` and the emitters) writes pydantic's exact bytes."""

from __future__ import annotations

import datetime
import decimal
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, RootModel, computed_field
from vtcode_exec_events.models import v0_4_0

import vtcode_exec_events as vee
from tests.foundation.strategies import from_schema
from vtcode_exec_events import registry
from vtcode_exec_events.bundle import bundle
from vtcode_exec_events.fastwire import encode, encode_line, schema_version_of

from .conftest import sample_lines


def reference(event: BaseModel, schema_version: str | None = None) -> bytes:
    """The bytes pydantic writes: what ``dumps`` produced before the fast encoder."""
    while isinstance(event, RootModel):
        event = event.root
    payload = event.model_dump_json(by_alias=True, exclude_none=True).encode()
    if schema_version is None:
        return payload
    return b'{"schema_version":"' + schema_version.encode() + b'","event":' + payload + b"}"


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("line", sample_lines())
def test_samples_round_trip_byte_for_byte(line: str) -> None:
    parsed = vee.parse_line(line)
    event, version = parsed.event, parsed.schema_version
    assert encode(event, schema_version=version) == line.encode()
    assert encode_line(event, schema_version=version) == line.encode() + b"\n"
    assert encode(event) == vee.dumps(event).encode() == reference(event)
    enveloped = reference(event, "0.11.0")
    assert encode(event, schema_version="0.11.0") == enveloped
    assert encode_line(event, schema_version="0.11.0") == enveloped + b"\n"


def _events(version: str) -> st.SearchStrategy[Any]:
    doc = bundle(registry.load(version), registry.THREAD_EVENT)
    return from_schema(doc, doc)


@pytest.mark.parametrize("version", ["0.1.0", "0.4.0", "0.11.0"])
def test_generated_events_encode_as_dumps_does(version: str) -> None:
    @SETTINGS
    @given(_events(version))
    def check(value: Any) -> None:
        try:
            event = vee.parse_event(json.dumps(value), schema_version=version)
        except vee.WireFormatError:
            return  # the models reject it (e.g. 5.0 for an integer): nothing to write
        assert encode(event) == reference(event)
        assert encode_line(event, schema_version=version) == reference(event, version) + b"\n"
        # The event's wire dict (what a dicts producer builds) is written with the same bytes.
        assert encode_line(json.loads(encode(event))) == reference(event) + b"\n"

    check()


@pytest.mark.parametrize(
    "arguments",
    [
        {"when": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)},
        {"big": 2**70, "neg": -(2**65)},
        {"cost": decimal.Decimal("1.50")},
        {"tags": {"b"}},
        {"raw": b"bytes"},
        {"nested": {"none": None, "list": [None, 1.5, 1e-7, 1e22, float("inf")]}},
        ("a", 1),
    ],
)
def test_values_outside_the_fast_path_fall_back_to_pydantic(arguments: Any) -> None:
    item = vee.CommandExecutionItem(
        id="c", command="x", arguments=arguments, status="completed", exit_code=0
    )
    event = vee.ItemCompletedEvent(item=vee.ThreadItem(root=item))
    assert encode(event) == reference(event)


def test_a_model_with_computed_fields_is_left_to_pydantic() -> None:
    class Tagged(vee.ThreadStartedEvent):
        @computed_field  # type: ignore[prop-decorator]
        @property
        def shout(self) -> str:
            return self.thread_id.upper()

    event = Tagged(thread_id="t")
    assert encode(event) == b'{"type":"thread.started","thread_id":"t","shout":"T"}'
    assert encode(event) == reference(event)


def test_schema_version_of_follows_the_models_module() -> None:
    assert schema_version_of(vee.ThreadStartedEvent(thread_id="t")) == vee.EVENT_SCHEMA_VERSION
    usage = {
        "input_tokens": 1,
        "cached_input_tokens": 0,
        "cache_creation_tokens": 0,
        "output_tokens": 1,
    }
    old = v0_4_0.TurnCompletedEvent(usage=v0_4_0.Usage(**usage))
    assert schema_version_of(old) == "0.4.0"
