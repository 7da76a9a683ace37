"""The emitter protocol, fan-out, and isolation of failing sinks."""

from __future__ import annotations

import logging

import pytest
from pydantic import BaseModel

import vtcode_exec_events as vee
from vtcode_exec_events.emit import EventEmitter, FanOut, Isolated, isolate


def test_any_callable_taking_an_event_is_an_emitter() -> None:
    seen: list[BaseModel] = []

    def collect(event: BaseModel) -> None:
        seen.append(event)

    emitter: EventEmitter = collect
    assert isinstance(collect, EventEmitter)
    assert isinstance(seen.append, EventEmitter)
    event = vee.ThreadStartedEvent(thread_id="t")
    emitter(event)
    assert seen == [event]


def test_fan_out_sends_each_event_to_every_emitter_in_order() -> None:
    calls: list[tuple[str, str]] = []
    fan = FanOut(
        lambda e: calls.append(("a", e.type)),
        [lambda e: calls.append(("b", e.type)), lambda e: calls.append(("c", e.type))],
    )
    fan(vee.ThreadStartedEvent(thread_id="t"))
    fan.emit(vee.TurnStartedEvent())
    assert calls == [
        ("a", "thread.started"),
        ("b", "thread.started"),
        ("c", "thread.started"),
        ("a", "turn.started"),
        ("b", "turn.started"),
        ("c", "turn.started"),
    ]
    assert fan.failures == {}


class Broken:
    def __call__(self, event: BaseModel) -> None:
        raise OSError("disk on fire")


def test_a_failing_sink_is_counted_logged_once_and_the_others_still_receive(
    caplog: pytest.LogCaptureFixture,
) -> None:
    received: list[BaseModel] = []
    fan = FanOut(Broken(), received.append)
    with caplog.at_level(logging.WARNING, logger="vtcode_exec_events.emit"):
        for n in range(5):
            fan(vee.ThreadStartedEvent(thread_id=f"t{n}"))
    assert len(received) == 5
    assert fan.failures == {"tests.emit.test_base.Broken": 5}
    warnings = [r for r in caplog.records if r.name == "vtcode_exec_events.emit"]
    assert len(warnings) == 1
    assert "event sink tests.emit.test_base.Broken failed (event 'thread.started')" in (
        warnings[0].getMessage()
    )
    assert warnings[0].exc_info is not None
    assert isinstance(warnings[0].exc_info[1], OSError)
    (broken, _) = fan.emitters
    assert isinstance(broken.failures.last, OSError)


def test_isolate_is_idempotent_and_can_be_told_to_raise() -> None:
    wrapped = isolate(Broken())
    assert isolate(wrapped) is wrapped
    wrapped(vee.TurnStartedEvent())
    assert wrapped.failures.count == 1
    strict = Isolated(Broken(), raise_errors=True)
    with pytest.raises(OSError, match="disk on fire"):
        strict(vee.TurnStartedEvent())


def test_fan_out_close_closes_what_can_be_closed() -> None:
    closed: list[str] = []

    class Closable:
        def __call__(self, event: BaseModel) -> None:
            pass

        def close(self) -> None:
            closed.append("x")

    class BadClose(Closable):
        def close(self) -> None:
            raise RuntimeError("nope")

    with FanOut(Closable(), BadClose(), print) as fan:
        pass
    assert closed == ["x"]
    assert fan.failures == {
        "tests.emit.test_base.test_fan_out_close_closes_what_can_be_closed.<locals>.BadClose": 1
    }
