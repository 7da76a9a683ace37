"""``OtelEmitter``: spans and span events as the crate's ``OtelEmitter``, via the SDK exporter."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("opentelemetry.sdk")

from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from opentelemetry.trace import StatusCode

import vtcode_exec_events as vee
from vtcode_exec_events.emit import FanOut
from vtcode_exec_events.emit.otel import OtelEmitter, harness_debug_name

from .conftest import DATA, sample_lines

EXPECTED = json.loads((DATA / "emit" / "otel_spans.json").read_text(encoding="utf-8"))


@pytest.fixture
def tracing() -> Iterator[tuple[TracerProvider, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider, exporter
    provider.shutdown()


def _spans(exporter: InMemorySpanExporter) -> list[ReadableSpan]:
    return list(exporter.get_finished_spans())


@pytest.mark.parametrize("case", EXPECTED["cases"], ids=lambda c: c["line"]["type"])
def test_span_name_attributes_status_and_events(
    tracing: tuple[TracerProvider, InMemorySpanExporter], case: dict[str, Any]
) -> None:
    provider, exporter = tracing
    emitter = OtelEmitter(provider.get_tracer("test"), raise_errors=True)
    emitter(vee.parse_event(json.dumps(case["line"])))
    (span,) = _spans(exporter)
    assert span.name == case["name"]
    assert dict(span.attributes or {}) == case["attributes"]
    status = case.get("status")
    if status is None:
        assert span.status.status_code is StatusCode.UNSET
    else:
        assert span.status.status_code is StatusCode[status["code"]]
        assert span.status.description == status["description"]
    events = [{"name": e.name, "attributes": dict(e.attributes or {})} for e in span.events]
    assert events == case.get("events", [])


def test_every_event_kind_gets_its_span_name(
    tracing: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = tracing
    emitter = OtelEmitter(provider.get_tracer("test"), raise_errors=True)
    lines = [*sample_lines(), '{"type":"future.event","x":1}']
    for line in lines:
        emitter(vee.parse_line(line).event)
    names = [s.name for s in _spans(exporter)]
    tags = [json.loads(line).get("type") or json.loads(line)["event"]["type"] for line in lines]
    assert names == [EXPECTED["span_names"][tag] for tag in tags]


def test_events_mode_records_on_the_current_span(
    tracing: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = tracing
    tracer = provider.get_tracer("test")
    emitter = OtelEmitter(tracer, mode="events", raise_errors=True)
    with tracer.start_as_current_span("agent.run"):
        emitter(vee.ThreadStartedEvent(thread_id="t1"))
        emitter(vee.parse_event(json.dumps(EXPECTED["cases"][5]["line"])))
        emitter(vee.ThreadErrorEvent(message="boom"))
    (span,) = _spans(exporter)
    assert span.name == "agent.run"
    assert [(e.name, dict(e.attributes or {})) for e in span.events] == [
        ("thread.started", {"thread_id": "t1"}),
        ("item.completed", EXPECTED["cases"][5]["attributes"]),
        ("harness_event", EXPECTED["cases"][5]["events"][0]["attributes"]),
        ("error", {"error_message": "boom"}),
    ]
    assert span.status.status_code is StatusCode.ERROR
    assert span.status.description == "boom"


def test_spans_are_children_of_the_current_span(
    tracing: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = tracing
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("agent.run") as parent:
        OtelEmitter(tracer)(vee.TurnStartedEvent())
    child, root = _spans(exporter)
    assert child.parent is not None
    assert child.parent.span_id == parent.get_span_context().span_id == root.context.span_id


def test_failures_are_isolated_and_bad_modes_rejected() -> None:
    class Exploding:
        def start_span(self, *args: object, **kwargs: object) -> None:
            raise RuntimeError("exporter down")

    received: list[object] = []
    emitter = OtelEmitter(Exploding())  # type: ignore[arg-type]
    FanOut(emitter, received.append)(vee.TurnStartedEvent())
    assert emitter.failures.count == 1
    assert len(received) == 1
    with pytest.raises(ValueError, match="mode"):
        OtelEmitter(mode="logs")  # type: ignore[arg-type]


def test_harness_debug_names() -> None:
    assert [harness_debug_name(k) for k in vee.HarnessEventKind][:3] == [
        "PlanningStarted",
        "PlanningCompleted",
        "ContinuationStarted",
    ]
    assert harness_debug_name(vee.HarnessEventKind.error_recovered) == "ErrorRecovered"
