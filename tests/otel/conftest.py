"""Helpers for the GenAI trace tests: the SDK's in-memory exporter and a span-tree view."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("opentelemetry.sdk")

from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import vtcode_exec_events as vee
from vtcode_exec_events.emit.otel import OtelEmitter

ROOT = Path(__file__).resolve().parents[2]
SESSION = ROOT / "examples" / "logs" / "session.jsonl"
STEP = 1_000_000  # the fake clock's tick: 1 ms per event


class Started(SpanProcessor):
    """Remembers every span started, to check that each one was ended."""

    def __init__(self) -> None:
        self.spans: list[Span] = []

    def on_start(self, span: Span, parent_context: Any = None) -> None:
        self.spans.append(span)


@dataclass
class Traced:
    provider: TracerProvider
    exporter: InMemorySpanExporter
    started: Started

    def open_spans(self) -> list[str]:
        """Names of spans started and never ended."""
        return [s.name for s in self.started.spans if s.end_time is None]

    def emitter(self, **options: Any) -> OtelEmitter:
        """A gen_ai emitter whose clock ticks 1 ms per call, from 0."""
        ticks = itertools.count(0, STEP)
        options.setdefault("raise_errors", True)
        options.setdefault("capture_content", False)
        return OtelEmitter(
            self.provider.get_tracer("test"), mode="gen_ai", clock=lambda: next(ticks), **options
        )

    def spans(self) -> list[ReadableSpan]:
        return list(self.exporter.get_finished_spans())

    def run(self, lines: Iterable[Any], **options: Any) -> list[ReadableSpan]:
        """Feed events (JSON lines, dicts or models) through a fresh emitter, then close it."""
        with self.emitter(**options) as emit:
            for line in lines:
                emit(vee.parse_line(line).event if isinstance(line, str) else line)
        return self.spans()


@pytest.fixture
def traced() -> Iterator[Traced]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    started = Started()
    provider.add_span_processor(started)
    yield Traced(provider, exporter, started)
    provider.shutdown()


def by_name(spans: Iterable[ReadableSpan], name: str) -> list[ReadableSpan]:
    return [s for s in spans if s.name == name]


def one(spans: Iterable[ReadableSpan], name: str) -> ReadableSpan:
    (span,) = by_name(spans, name)
    return span


def parent_of(span: ReadableSpan, spans: Iterable[ReadableSpan]) -> ReadableSpan | None:
    if span.parent is None:
        return None
    (parent,) = [s for s in spans if s.context.span_id == span.parent.span_id]
    return parent


def attrs(span: ReadableSpan) -> dict[str, Any]:
    return dict(span.attributes or {})


def ms(span: ReadableSpan) -> tuple[int, int]:
    """Start and end in fake-clock ticks (events)."""
    return ((span.start_time or 0) // STEP, (span.end_time or 0) // STEP)
