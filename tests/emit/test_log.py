"""``LogEmitter``: the bare event JSON as the message, version and type as record attributes."""

from __future__ import annotations

import logging

import pytest
from pydantic import BaseModel
from vtcode_exec_events.models import v0_4_0

import vtcode_exec_events as vee
from vtcode_exec_events.emit import LogEmitter


def test_message_is_the_bare_event_json(
    caplog: pytest.LogCaptureFixture, events: list[BaseModel]
) -> None:
    emitter = LogEmitter()
    with caplog.at_level(logging.INFO, logger="vtcode_exec_events.events"):
        for event in events:
            emitter(event)
    assert [r.getMessage() for r in caplog.records] == [vee.dumps(e) for e in events]
    record = caplog.records[0]
    assert record.name == "vtcode_exec_events.events"
    assert record.levelno == logging.INFO
    assert record.__dict__["schema_version"] == "0.11.0"
    assert record.__dict__["event_type"] == "thread.started"
    assert record.__dict__["vtcode_event"] == record.getMessage()
    assert record.pathname == __file__  # points at the producer, not the emitter


def test_logger_and_level_are_configurable(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("agent.events")
    usage = {
        "input_tokens": 1,
        "cached_input_tokens": 0,
        "cache_creation_tokens": 0,
        "output_tokens": 2,
    }
    old = v0_4_0.TurnCompletedEvent(usage=v0_4_0.Usage(**usage))
    with caplog.at_level(logging.DEBUG, logger="agent.events"):
        LogEmitter(logger, "DEBUG")(old)
        LogEmitter("agent.events", logging.WARNING, schema_version="9.9.9")(vee.TurnStartedEvent())
    first, second = caplog.records
    assert (first.levelno, first.__dict__["schema_version"]) == (logging.DEBUG, "0.4.0")
    assert first.__dict__["event_type"] == "turn.completed"
    assert (second.levelno, second.__dict__["schema_version"]) == (logging.WARNING, "9.9.9")
    with pytest.raises(ValueError, match="unknown logging level"):
        LogEmitter(level="LOUD")


def test_nothing_is_encoded_when_the_level_is_disabled(caplog: pytest.LogCaptureFixture) -> None:
    class Unencodable(vee.TurnStartedEvent):
        def __getattribute__(self, name: str) -> object:
            if name == "__dict__":
                raise AssertionError("encoded although disabled")
            return super().__getattribute__(name)

    emitter = LogEmitter("quiet.events", logging.DEBUG)
    with caplog.at_level(logging.INFO, logger="quiet.events"):
        emitter(Unencodable.model_construct())
    assert caplog.records == []
    assert emitter.failures.count == 0


def test_a_percent_sign_in_an_event_is_not_a_format_string(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="vtcode_exec_events.events"):
        LogEmitter()(vee.ThreadErrorEvent(message="100%s done %d"))
    assert caplog.records[0].getMessage() == '{"type":"error","message":"100%s done %d"}'
