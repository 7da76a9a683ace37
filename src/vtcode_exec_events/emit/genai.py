"""GenAI traces: live events as OpenTelemetry GenAI agent spans (thread, turns, tool calls).

The span tree follows the OpenTelemetry GenAI semantic conventions (agent spans): one
``invoke_agent vtcode`` root per thread, one ``turn`` child per turn, and one
``execute_tool {tool}`` (or ``plan vtcode``) grandchild per tool-like item. Used by
``OtelEmitter(mode="gen_ai")``; needs ``opentelemetry-api`` only.
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import orjson
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer
from pydantic import RootModel

__all__ = [
    "AGENT_NAME",
    "CAPTURE_ENV",
    "DEFAULT_CONTENT_LIMIT",
    "DEFAULT_MAX_OPEN_ITEMS",
    "INCOMPLETE",
    "GenAiTraces",
    "capture_from_env",
    "saturate",
    "unwrap",
    "wire_value",
]

#: The agent name of every root span (``invoke_agent vtcode``).
AGENT_NAME = "vtcode"
#: The conventions' opt-in for message and tool content.
CAPTURE_ENV = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"
#: ``error.type`` of a span the emitter ended because its item or turn never completed.
INCOMPLETE = "incomplete"
#: Open items (tool calls, commands, plans) kept per thread; the oldest is ended beyond it.
DEFAULT_MAX_OPEN_ITEMS = 1024
#: Characters of one captured content attribute; longer values are cut with a marker.
DEFAULT_CONTENT_LIMIT = 16384

_TOOL_KINDS = frozenset({"command_execution", "mcp_tool_call", "tool_invocation", "web_search"})
_NOTED_EVENTS = frozenset(
    {
        "thread.compact_boundary",
        "context.reset",
        "permission.requested",
        "permission.resolved",
        "interjected",
        "plan.approval.requested",
        "plan.approval.resolved",
    }
)
I64_MAX = 2**63 - 1
Attrs = dict[str, Any]


def capture_from_env(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT`` asks for content."""
    value = (environ if environ is not None else os.environ).get(CAPTURE_ENV, "")
    return value.strip().lower() in {"true", "1", "yes", "span_only", "span_and_event"}


def wire_value(value: Any) -> Any:
    """An enum member's wire string; anything else as it is."""
    return value.value if isinstance(value, Enum) else value


def unwrap(value: Any) -> Any:
    """The value inside (nested) pydantic root models, e.g. an item inside ``ThreadItem``."""
    while isinstance(value, RootModel):
        value = value.root
    return value


def saturate(value: Any) -> int:
    """An integer attribute, saturated at ``i64::MAX`` as the crate does."""
    return min(int(value), I64_MAX)


def _scalar(value: Any) -> bool | int | float | str | None:
    value = wire_value(unwrap(value))
    if isinstance(value, bool | float | str):
        return value
    if isinstance(value, int):
        return saturate(value)
    return None


@dataclass
class _Item:
    span: Span
    kind: str
    #: When a tool invocation completed; its span stays open for its ``tool_output``.
    completed_at: int | None = None
    failed: bool = False


@dataclass
class _Turn:
    span: Span
    context: Context
    number: int


@dataclass
class _Thread:
    span: Span
    context: Context
    thread_id: str | None
    turns: int = 0
    turn: _Turn | None = None
    items: OrderedDict[str, _Item] = field(default_factory=OrderedDict)
    usage: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    usage_seen: bool = False
    error: str | None = None
    last_message: str | None = None


class GenAiTraces:
    """Builds GenAI spans from events, one thread at a time (see ``docs/otel.md``).

    ``record(event)`` takes an event model (any schema version); ``close()`` ends every
    open span. Not thread-safe by itself: ``OtelEmitter`` serialises calls.
    """

    def __init__(
        self,
        tracer: Tracer,
        *,
        capture_content: bool | None = None,
        openinference: bool = False,
        clock: Callable[[], int] = time.time_ns,
        max_open_items: int = DEFAULT_MAX_OPEN_ITEMS,
        content_limit: int = DEFAULT_CONTENT_LIMIT,
        extra_attributes: Mapping[str, Any] | None = None,
    ) -> None:
        if max_open_items < 1:
            raise ValueError("max_open_items must be at least 1")
        self.tracer = tracer
        self.capture = capture_from_env() if capture_content is None else capture_content
        self.openinference = openinference
        self.clock = clock
        self.max_open_items = max_open_items
        self.content_limit = content_limit
        self.extra = dict(extra_attributes or {})
        self._thread: _Thread | None = None

    # -- spans -------------------------------------------------------------------------

    def _start(self, name: str, parent: Context, attrs: Attrs, now: int) -> Span:
        return self.tracer.start_span(
            name, context=parent, kind=SpanKind.INTERNAL, attributes=attrs, start_time=now
        )

    def _content(self, value: Any) -> str:
        text = value if isinstance(value, str) else orjson.dumps(value, default=str).decode()
        if len(text) > self.content_limit:
            cut = len(text) - self.content_limit
            text = f"{text[: self.content_limit]}…[{cut} more characters]"
        return text

    def _common(self, thread: _Thread | None, kind: str) -> Attrs:
        attrs: Attrs = dict(self.extra)
        if thread is not None and thread.thread_id is not None:
            attrs["gen_ai.conversation.id"] = thread.thread_id
            if self.openinference:
                attrs["session.id"] = thread.thread_id
        if self.openinference:
            attrs["openinference.span.kind"] = kind
        return attrs

    @staticmethod
    def _fail(span: Span, error_type: str, description: str | None = None) -> None:
        span.set_attribute("error.type", error_type)
        if description is not None:
            description = description[:1024]
        span.set_status(Status(StatusCode.ERROR, description))

    def _usage(self, span: Span, usage: list[int]) -> None:
        """Usage attributes from ``[input, output, cache read, cache creation]``."""
        span.set_attribute("gen_ai.usage.input_tokens", usage[0])
        span.set_attribute("gen_ai.usage.output_tokens", usage[1])
        span.set_attribute("gen_ai.usage.cache_read.input_tokens", usage[2])
        span.set_attribute("gen_ai.usage.cache_creation.input_tokens", usage[3])
        if self.openinference:
            span.set_attribute("llm.token_count.prompt", usage[0])
            span.set_attribute("llm.token_count.completion", usage[1])
            span.set_attribute("llm.token_count.total", min(usage[0] + usage[1], I64_MAX))

    @staticmethod
    def _usage_of(usage: Any) -> list[int] | None:
        if usage is None:
            return None
        return [
            saturate(usage.input_tokens),
            saturate(usage.output_tokens),
            saturate(usage.cached_input_tokens),
            saturate(getattr(usage, "cache_creation_tokens", 0) or 0),
        ]

    # -- threads and turns -------------------------------------------------------------

    def _open_thread(self, thread_id: str | None, now: int) -> _Thread:
        attrs = self._common(None, "AGENT")
        attrs["gen_ai.operation.name"] = "invoke_agent"
        attrs["gen_ai.agent.name"] = AGENT_NAME
        if thread_id is not None:
            attrs["gen_ai.conversation.id"] = thread_id
            if self.openinference:
                attrs["session.id"] = thread_id
        if self.openinference:
            attrs["agent.name"] = AGENT_NAME
        span = self._start(f"invoke_agent {AGENT_NAME}", Context(), attrs, now)
        self._thread = _Thread(span, trace.set_span_in_context(span, Context()), thread_id)
        return self._thread

    def _current(self, now: int) -> _Thread:
        return self._thread if self._thread is not None else self._open_thread(None, now)

    def _parent(self, thread: _Thread) -> Context:
        return thread.turn.context if thread.turn is not None else thread.context

    def _end_items(self, thread: _Thread, now: int) -> None:
        while thread.items:
            _, item = thread.items.popitem(last=False)
            self._end_item(item, now)

    def _end_item(self, item: _Item, now: int) -> None:
        if item.completed_at is not None:  # an invocation whose output never came
            item.span.end(end_time=item.completed_at)
            return
        self._fail(item.span, INCOMPLETE, "the item never completed")
        item.span.end(end_time=now)

    def _end_turn(self, thread: _Thread, now: int, *, incomplete: bool) -> None:
        turn = thread.turn
        if turn is None:
            return
        thread.turn = None
        self._end_items(thread, now)
        if incomplete:
            self._fail(turn.span, INCOMPLETE, "the turn never completed")
        turn.span.end(end_time=now)

    def _end_thread(self, now: int, completed: Any = None) -> None:
        thread = self._thread
        if thread is None:
            return
        self._thread = None
        self._end_turn(thread, now, incomplete=True)
        self._end_items(thread, now)
        span = thread.span
        usage = thread.usage if thread.usage_seen else None
        if completed is not None:
            if usage is None:
                usage = self._usage_of(completed.usage)
            for key in ("subtype", "outcome_code", "stop_reason", "num_turns", "session_id"):
                value = _scalar(getattr(completed, key, None))
                if value is not None:
                    span.set_attribute(f"vtcode.thread.{key}", value)
            cost = getattr(completed, "total_cost_usd", None)
            if cost is not None:
                span.set_attribute("vtcode.thread.total_cost_usd", float(cost))
            if self.capture and getattr(completed, "result", None) is not None:
                thread.last_message = completed.result
            subtype = str(wire_value(completed.subtype))
            if subtype != "success":
                self._fail(span, subtype, f"thread ended: {subtype}")
        else:
            span.set_attribute("vtcode.thread.completed", False)
            if thread.error is not None:
                self._fail(span, "error", thread.error)
        if usage is not None:
            self._usage(span, usage)
        if self.capture and thread.last_message is not None:
            self._output(span, thread.last_message)
        span.end(end_time=now)

    def _output(self, span: Span, text: str) -> None:
        text = self._content(text)
        message = [{"role": "assistant", "parts": [{"type": "text", "content": text}]}]
        span.set_attribute("gen_ai.output.messages", orjson.dumps(message).decode())
        if self.openinference:
            span.set_attribute("output.value", text)

    # -- events ------------------------------------------------------------------------

    def record(self, event: Any) -> None:
        """Update the span tree with one event model; unknown events are ignored."""
        event = unwrap(event)
        tag = getattr(event, "type", None)
        now = self.clock()
        if tag == "thread.started":
            self._end_thread(now)
            self._open_thread(event.thread_id, now)
        elif tag == "thread.completed":
            thread = self._current(now)
            if thread.thread_id is None:
                thread.thread_id = event.thread_id
                thread.span.set_attribute("gen_ai.conversation.id", event.thread_id)
            self._end_thread(now, completed=event)
        elif tag == "turn.started":
            self._turn_started(event, now)
        elif tag in ("turn.completed", "turn.failed"):
            self._turn_ended(event, tag, now)
        elif tag in ("item.started", "item.updated", "item.completed"):
            self._item(unwrap(event.item), tag, now)
        elif tag == "error":
            thread = self._current(now)
            thread.error = event.message[:1024]
            span = (thread.turn or thread).span
            span.add_event("exception", {"exception.message": thread.error}, timestamp=now)
        elif tag in _NOTED_EVENTS:
            self._note(event, tag, now)

    def _turn_started(self, event: Any, now: int) -> None:
        thread = self._current(now)
        self._end_turn(thread, now, incomplete=True)
        thread.turns += 1
        attrs = self._common(thread, "CHAIN")
        attrs["vtcode.turn.number"] = thread.turns
        breakdown = getattr(event, "token_breakdown", None)
        if breakdown is not None:
            for key, value in breakdown:
                if isinstance(value, int):
                    attrs[f"vtcode.turn.token_breakdown.{key}"] = saturate(value)
        span = self._start("turn", thread.context, attrs, now)
        thread.turn = _Turn(span, trace.set_span_in_context(span, Context()), thread.turns)

    def _turn_ended(self, event: Any, tag: str, now: int) -> None:
        thread = self._current(now)
        if thread.turn is None:  # a turn that never said it started
            self._turn_started(None, now)
        turn = thread.turn
        assert turn is not None
        usage = self._usage_of(getattr(event, "usage", None))
        if usage is not None:
            thread.usage_seen = True
            thread.usage = [min(a + b, I64_MAX) for a, b in zip(thread.usage, usage, strict=True)]
            self._usage(turn.span, usage)
        if tag == "turn.failed":
            self._fail(turn.span, "turn_failed", event.message)
        self._end_turn(thread, now, incomplete=False)

    def _note(self, event: Any, tag: str, now: int) -> None:
        """A span event on the current turn (or thread) with the event's scalar fields."""
        thread = self._current(now)
        attrs: Attrs = {}
        for key, value in event:
            scalar = _scalar(value)
            if key != "type" and scalar is not None:
                attrs[f"vtcode.{key}"] = scalar
        (thread.turn or thread).span.add_event(f"vtcode.{tag}", attrs, timestamp=now)

    # -- items -------------------------------------------------------------------------

    def _item(self, item: Any, tag: str, now: int) -> None:
        kind = getattr(item, "type", None)
        thread = self._current(now)
        if kind == "tool_output":
            self._tool_output(thread, item, tag, now)
        elif kind in _TOOL_KINDS or kind == "plan":
            open_item = thread.items.get(item.id)
            stale = open_item is not None and (open_item.completed_at or open_item.kind != kind)
            if open_item is None or stale:  # new, or the same id again as another item
                open_item = self._open_item(thread, item, kind, now)
            if tag == "item.completed":
                self._complete(thread, item, open_item, now)
        elif tag == "item.completed":
            self._item_note(thread, item, kind, now)

    def _open_item(self, thread: _Thread, item: Any, kind: str, now: int) -> _Item:
        if kind == "plan":
            attrs = self._common(thread, "CHAIN")
            attrs["gen_ai.operation.name"] = "plan"
            attrs["gen_ai.agent.name"] = AGENT_NAME
            name = f"plan {AGENT_NAME}"
        else:
            tool = _tool_name(item, kind)
            attrs = self._common(thread, "TOOL")
            attrs["gen_ai.operation.name"] = "execute_tool"
            attrs["gen_ai.tool.name"] = tool
            if self.openinference:
                attrs["tool.name"] = tool
            call_id = getattr(item, "tool_call_id", None)
            if call_id is not None:
                attrs["gen_ai.tool.call.id"] = call_id
            name = f"execute_tool {tool}"
        attrs["vtcode.item.id"] = item.id
        attrs["vtcode.item.type"] = kind
        span = self._start(name, self._parent(thread), attrs, now)
        opened = _Item(span, kind)
        previous = thread.items.pop(item.id, None)
        if previous is not None:  # the same id again: the earlier one is over
            self._end_item(previous, now)
        thread.items[item.id] = opened
        while len(thread.items) > self.max_open_items:
            _, oldest = thread.items.popitem(last=False)
            self._end_item(oldest, now)
        return opened

    def _complete(self, thread: _Thread, item: Any, opened: _Item, now: int) -> None:
        span = opened.span
        kind = opened.kind
        status = str(wire_value(getattr(item, "status", None)))
        if self.capture and kind != "plan":
            arguments = _arguments(item, kind)
            if arguments is not None:
                self._set_content(span, "gen_ai.tool.call.arguments", "input.value", arguments)
            result = _result(item, kind)
            if result is not None:
                self._set_content(span, "gen_ai.tool.call.result", "output.value", result)
        if kind == "command_execution":
            if item.exit_code is not None:
                span.set_attribute("process.exit.code", item.exit_code)
            if status == "failed":
                code = item.exit_code
                self._fail_item(opened, str(code) if code is not None else "command_failed")
        elif kind == "tool_invocation":
            outcome = wire_value(getattr(item, "outcome", None))
            if outcome is not None:
                span.set_attribute("vtcode.tool.outcome", outcome)
            if status == "failed":
                self._fail_item(opened, str(outcome) if outcome is not None else "tool_failed")
            opened.completed_at = now  # ended by its output, or when its turn ends
            return
        elif kind == "mcp_tool_call" and status == "failed":
            self._fail_item(opened, "tool_failed")
        del thread.items[item.id]
        span.end(end_time=now)

    def _fail_item(self, item: _Item, error_type: str) -> None:
        item.failed = True
        self._fail(item.span, error_type)

    def _set_content(self, span: Span, key: str, alias: str, value: Any) -> None:
        text = self._content(value)
        span.set_attribute(key, text)
        if self.openinference:
            span.set_attribute(alias, text)

    def _tool_output(self, thread: _Thread, item: Any, tag: str, now: int) -> None:
        invocation = thread.items.get(item.call_id)
        if invocation is None or invocation.kind != "tool_invocation":
            if tag != "item.completed":
                return  # an orphan output gets its span when it completes
            invocation = self._open_item(thread, item, "tool_output", now)
            del thread.items[item.id]
        elif tag != "item.completed":
            return
        else:
            del thread.items[item.call_id]
        span = invocation.span
        if getattr(item, "tool_call_id", None) is not None:
            span.set_attribute("gen_ai.tool.call.id", item.tool_call_id)
        if item.exit_code is not None:
            span.set_attribute("process.exit.code", item.exit_code)
        if self.capture:
            self._set_content(span, "gen_ai.tool.call.result", "output.value", item.output)
        if str(wire_value(item.status)) == "failed" and not invocation.failed:
            self._fail_item(invocation, "tool_failed")
        span.end(end_time=now)

    def _item_note(self, thread: _Thread, item: Any, kind: Any, now: int) -> None:
        attrs: Attrs = {"vtcode.item.id": item.id, "vtcode.item.type": str(kind)}
        if kind == "agent_message":
            thread.last_message = item.text if self.capture else None
        elif kind == "file_change":
            attrs["vtcode.file_change.count"] = len(item.changes)
            attrs["vtcode.file_change.status"] = str(wire_value(item.status))
        elif kind == "harness":
            attrs["vtcode.harness.event"] = str(wire_value(item.event))
            for key in ("exit_code", "attempt", "duration_ms"):
                value = getattr(item, key, None)
                if value is not None:
                    attrs[f"vtcode.harness.{key}"] = saturate(value)
        (thread.turn or thread).span.add_event(f"vtcode.item.{kind}", attrs, timestamp=now)

    def close(self) -> None:
        """End every open span (open items and turns with ``error.type`` ``incomplete``)."""
        self._end_thread(self.clock())


def _tool_name(item: Any, kind: str) -> str:
    if kind in ("tool_invocation", "mcp_tool_call"):
        return str(item.tool_name)
    if kind == "tool_output":
        return "unknown"
    return kind  # command_execution, web_search


def _arguments(item: Any, kind: str) -> Any:
    if kind == "command_execution":
        args: Attrs = {"command": item.command}
        if getattr(item, "arguments", None) is not None:
            args["arguments"] = item.arguments
        return args
    if kind == "web_search":
        query: Attrs = {"query": item.query}
        if getattr(item, "provider", None) is not None:
            query["provider"] = item.provider
        return query
    return getattr(item, "arguments", None)


def _result(item: Any, kind: str) -> Any:
    if kind == "command_execution":
        return item.aggregated_output
    if kind == "web_search":
        return item.results
    if kind == "mcp_tool_call":
        return item.result
    return None
