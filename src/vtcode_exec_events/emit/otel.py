"""``OtelEmitter``: events as OpenTelemetry spans (or span events), as the crate's ``OtelEmitter``.

Needs the ``otel`` extra (``pip install 'vtcode-exec-events[otel]'``, which pulls in
``opentelemetry-api`` only; the SDK and exporters are the application's choice).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from vtcode_exec_events.emit.base import SinkFailures
from vtcode_exec_events.fastwire import not_an_event
from vtcode_exec_events.wire import parse_event

try:
    from opentelemetry import trace
    from opentelemetry.trace import Span, Status, StatusCode, Tracer
except ImportError as exc:  # without the `otel` extra (tested with a blocked import)
    raise ImportError(
        "OtelEmitter needs OpenTelemetry: pip install 'vtcode-exec-events[otel]'"
    ) from exc

from vtcode_exec_events.emit.genai import (
    DEFAULT_CONTENT_LIMIT,
    DEFAULT_MAX_OPEN_ITEMS,
    GenAiTraces,
    saturate,
    unwrap,
    wire_value,
)

if TYPE_CHECKING:
    from vtcode_exec_events import Event

MODES = ("spans", "events", "gen_ai")

__all__ = ["SPAN_NAMED_EVENTS", "OtelEmitter", "harness_debug_name", "span_attributes", "span_name"]

#: Event tags that name their span; every other event's span is named ``event``.
SPAN_NAMED_EVENTS = frozenset(
    {
        "thread.started",
        "thread.completed",
        "context.reset",
        "turn.started",
        "turn.completed",
        "turn.failed",
        "item.started",
        "item.updated",
        "item.completed",
        "error",
    }
)

AttributeValue = str | bool | int | float


def span_name(event: Event | BaseModel) -> str:
    """The span name of an event: its tag for the lifecycle events, else ``event``."""
    tag = getattr(unwrap(event), "type", None)
    return tag if isinstance(tag, str) and tag in SPAN_NAMED_EVENTS else "event"


def harness_debug_name(kind: object) -> str:
    """Rust ``Debug`` name of a harness kind: ``verification_failed`` -> ``VerificationFailed``."""
    return "".join(part.capitalize() for part in str(wire_value(kind)).split("_"))


def span_attributes(event: Event | BaseModel) -> dict[str, AttributeValue]:
    """The span attributes the crate's ``OtelEmitter`` sets for an event."""
    ev: Any = unwrap(event)
    tag = getattr(ev, "type", None)
    attrs: dict[str, AttributeValue] = {}
    if tag == "thread.started":
        attrs["thread_id"] = ev.thread_id
    elif tag == "thread.completed":
        if ev.total_cost_usd is not None:
            attrs["total_cost_usd"] = float(ev.total_cost_usd)
        attrs["input_tokens"] = saturate(ev.usage.input_tokens)
        attrs["output_tokens"] = saturate(ev.usage.output_tokens)
        attrs["completion_subtype"] = str(wire_value(ev.subtype))
    elif tag == "context.reset":
        attrs["thread_id"] = ev.thread_id
        attrs["turn_id"] = ev.turn_id
        attrs["plan_preserved"] = bool(ev.plan_preserved)
        attrs["previous_context_usage_percent"] = saturate(ev.previous_context_usage_percent)
        attrs["tool_budget_reset"] = bool(ev.tool_budget_reset)
    elif tag == "turn.completed":
        attrs["turn_input_tokens"] = saturate(ev.usage.input_tokens)
        attrs["turn_output_tokens"] = saturate(ev.usage.output_tokens)
    elif tag == "item.completed":
        item = unwrap(ev.item)
        if getattr(item, "type", None) == "harness":
            attrs["harness_event"] = harness_debug_name(item.event)
            if item.message is not None:
                attrs["harness_message"] = item.message
            if item.path is not None:
                attrs["harness_path"] = item.path
            if getattr(item, "duration_ms", None) is not None:
                attrs["duration_ms"] = saturate(item.duration_ms)
    elif tag == "error":
        attrs["error_message"] = ev.message
    return attrs


def _harness_event(event: Any) -> Mapping[str, AttributeValue] | None:
    """The attributes of the ``harness_event`` span event, for a completed harness item."""
    if getattr(event, "type", None) != "item.completed":
        return None
    item = unwrap(event.item)
    if getattr(item, "type", None) != "harness":
        return None
    attrs: dict[str, AttributeValue] = {"event_kind": harness_debug_name(item.event)}
    if item.message is not None:
        attrs["message"] = item.message
    return attrs


class OtelEmitter:
    """Turns events into OpenTelemetry spans: as the crate does, or as GenAI agent traces.

    ``mode="spans"`` (default) starts and ends one span per event, a child of the current
    span, named and attributed as in ``span_name``/``span_attributes``; a completed harness
    item adds a ``harness_event`` span event; an ``error`` event sets the span's status to
    ERROR with the message. ``mode="events"`` records each event as a span event of the
    current span instead (same names and attributes; ``error`` sets the current span's
    status); with no recording span current, nothing is recorded.

    ``mode="gen_ai"`` builds the OpenTelemetry GenAI span tree: one ``invoke_agent vtcode``
    trace per thread, a ``turn`` span per turn, an ``execute_tool {tool}`` span per command,
    MCP call, tool invocation or web search (see ``docs/otel.md``). Only that mode reads
    ``capture_content`` (default: the ``OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT``
    environment variable), ``openinference`` (OpenInference aliases), ``clock`` (nanoseconds
    since the epoch, per event), ``max_open_items``, ``content_limit`` and
    ``extra_attributes`` (added to every span).

    A wire-shaped dict is read with the newest models first, so it gets the same spans as
    the model would (a dict the models reject is a failure, counted like any other).
    ``tracer`` defaults to the global tracer provider's tracer for ``vtcode_exec_events``.
    Exceptions never reach the producer (unless ``raise_errors=True``): they are counted
    in ``failures`` and logged once. ``close()`` (or leaving a ``with`` block) ends every
    span still open; events after it are refused (counted as failures).
    """

    def __init__(
        self,
        tracer: Tracer | None = None,
        *,
        mode: Literal["spans", "events", "gen_ai"] = "spans",
        raise_errors: bool = False,
        capture_content: bool | None = None,
        openinference: bool = False,
        clock: Callable[[], int] = time.time_ns,
        max_open_items: int = DEFAULT_MAX_OPEN_ITEMS,
        content_limit: int = DEFAULT_CONTENT_LIMIT,
        extra_attributes: Mapping[str, Any] | None = None,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be 'spans', 'events' or 'gen_ai', not {mode!r}")
        if tracer is None:
            from vtcode_exec_events import __version__

            tracer = trace.get_tracer("vtcode_exec_events", __version__)
        self.tracer = tracer
        self.mode = mode
        self.raise_errors = raise_errors
        self.failures = SinkFailures(f"OtelEmitter({mode})")
        self.closed = False
        self._lock = threading.Lock()
        self.genai: GenAiTraces | None = None
        if mode == "gen_ai":
            self.genai = GenAiTraces(
                tracer,
                capture_content=capture_content,
                openinference=openinference,
                clock=clock,
                max_open_items=max_open_items,
                content_limit=content_limit,
                extra_attributes=extra_attributes,
            )

    def __call__(self, event: Event | BaseModel | Mapping[str, Any], /) -> None:
        try:
            if self.closed:
                raise ValueError("OtelEmitter is closed")
            if isinstance(event, Mapping):  # a wire-shaped dict: read with the models
                event = parse_event(event)
            elif not isinstance(event, BaseModel):
                raise not_an_event(event)
            if self.genai is not None:
                with self._lock:
                    self.genai.record(event)
            else:
                self._record(unwrap(event))
        except Exception as exc:
            if self.raise_errors:
                raise
            self.failures.record(exc, event)

    emit = __call__

    def close(self) -> None:
        """End every open span (``gen_ai`` mode); later events are refused. Idempotent."""
        with self._lock:
            if self.closed:
                return
            self.closed = True
            if self.genai is None:
                return
            try:
                self.genai.close()
            except Exception as exc:
                if self.raise_errors:
                    raise
                self.failures.record(exc)

    def __enter__(self) -> OtelEmitter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"OtelEmitter(mode={self.mode!r}, failures={self.failures.count})"

    def _record(self, event: Any) -> None:
        name = span_name(event)
        attrs = span_attributes(event)
        harness = _harness_event(event)
        if self.mode == "events":
            span = trace.get_current_span()
            span.add_event(name, attrs)
            if harness is not None:
                span.add_event("harness_event", harness)
            self._status(span, event)
            return
        span = self.tracer.start_span(name, attributes=attrs)
        try:
            if harness is not None:
                span.add_event("harness_event", harness)
            self._status(span, event)
        finally:
            span.end()

    @staticmethod
    def _status(span: Span, event: Any) -> None:
        if getattr(event, "type", None) == "error":
            span.set_status(Status(StatusCode.ERROR, description=event.message))
