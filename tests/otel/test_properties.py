"""Properties of the GenAI span tree over any order of events (hypothesis).

Whatever arrives, in whatever order: nothing raises, every span started is ended by
``close()``, every span's parent is in its own trace, each trace has one root
(``invoke_agent vtcode``), no span ends before it starts, and at most one thread is open.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from vtcode_exec_events.emit.otel import OtelEmitter

from .conftest import Started

IDS = st.sampled_from(["a", "b", "c", "a:output", "b:output"])
STATUS = st.sampled_from(["completed", "failed", "in_progress"])
USAGE = st.fixed_dictionaries(
    {
        "input_tokens": st.integers(0, 2**64 - 1),
        "cached_input_tokens": st.integers(0, 2**64 - 1),
        "cache_creation_tokens": st.integers(0, 2**64 - 1),
        "output_tokens": st.integers(0, 2**64 - 1),
    }
)


def _item(draw: Any) -> dict[str, Any]:
    item_id = draw(IDS)
    kind = draw(
        st.sampled_from(
            [
                "command_execution",
                "tool_invocation",
                "tool_output",
                "mcp_tool_call",
                "web_search",
                "plan",
                "agent_message",
                "error",
            ]
        )
    )
    text = draw(st.text(max_size=8))
    if kind == "command_execution":
        return {"id": item_id, "type": kind, "command": text, "status": draw(STATUS)}
    if kind == "tool_invocation":
        return {"id": item_id, "type": kind, "tool_name": text, "status": draw(STATUS)}
    if kind == "tool_output":
        call = item_id.removesuffix(":output")
        return {"id": item_id, "type": kind, "call_id": call, "status": draw(STATUS)}
    if kind == "mcp_tool_call":
        return {"id": item_id, "type": kind, "tool_name": text, "status": "failed"}
    if kind == "web_search":
        return {"id": item_id, "type": kind, "query": text}
    if kind == "error":
        return {"id": item_id, "type": kind, "message": text}
    return {"id": item_id, "type": kind, "text": text}


@st.composite
def events(draw: Any) -> dict[str, Any]:
    tag = draw(
        st.sampled_from(
            [
                "thread.started",
                "thread.completed",
                "turn.started",
                "turn.completed",
                "turn.failed",
                "item.started",
                "item.updated",
                "item.completed",
                "error",
                "permission.requested",
                "matrix.updated",
            ]
        )
    )
    if tag == "thread.started":
        return {"type": tag, "thread_id": draw(st.sampled_from(["t1", "t2"]))}
    if tag == "thread.completed":
        subtype = draw(st.sampled_from(["success", "cancelled", "future_subtype"]))
        return {
            "type": tag,
            "thread_id": "t1",
            "session_id": "s",
            "subtype": subtype,
            "outcome_code": "x",
            "usage": draw(USAGE),
            "num_turns": 1,
        }
    if tag == "turn.completed":
        return {"type": tag, "usage": draw(USAGE)}
    if tag == "turn.failed":
        return {"type": tag, "message": draw(st.text(max_size=8))}
    if tag.startswith("item."):
        return {"type": tag, "item": _item(draw)}
    if tag == "error":
        return {"type": tag, "message": draw(st.text(max_size=8))}
    if tag == "permission.requested":
        return {"type": tag, "tool_name": "x"}
    return {"type": tag}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(events(), max_size=40), st.integers(1, 4))
def test_any_order_of_events_gives_a_closed_well_formed_forest(
    stream: list[dict[str, Any]], cap: int
) -> None:
    exporter = InMemorySpanExporter()
    started = Started()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    provider.add_span_processor(started)
    ticks = itertools.count(0, 1000)
    emit = OtelEmitter(
        provider.get_tracer("prop"),
        mode="gen_ai",
        raise_errors=True,
        capture_content=True,
        openinference=True,
        max_open_items=cap,
        clock=lambda: next(ticks),
    )
    for event in stream:
        emit(event)
        roots_open = [s for s in started.spans if s.end_time is None and s.parent is None]
        assert len(roots_open) <= 1
        items_open = [s for s in started.spans if s.end_time is None and s.name != "turn"]
        assert len(items_open) <= cap + 1  # the open items and the thread
    emit.close()
    assert [s.name for s in started.spans if s.end_time is None] == []
    spans = exporter.get_finished_spans()
    ids = {s.context.span_id: s for s in spans}
    for span in spans:
        assert span.end_time is not None
        assert span.start_time is not None
        assert span.end_time >= span.start_time
        if span.parent is None:
            assert span.name == "invoke_agent vtcode"
        else:
            parent = ids[span.parent.span_id]
            assert parent.context.trace_id == span.context.trace_id
            assert parent.start_time is not None
            assert parent.start_time <= span.start_time
    provider.shutdown()
