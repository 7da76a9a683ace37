"""Print the GenAI span tree of a recorded log as text (no backend needed).

    python examples/otel_tree.py examples/logs/session.jsonl [--capture-content] [--openinference]

Runs the log through ``OtelEmitter(mode="gen_ai")`` into the OpenTelemetry SDK's in-memory
exporter, with synthesized times (1 ms per event from 0), and prints every span with its
attributes, status and span events. ``docs/otel.md`` shows its output for the example session
(a test keeps the two equal). Needs the ``otel-export`` extra (or ``opentelemetry-sdk``).
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections.abc import Sequence
from typing import Any

from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from vtcode_exec_events.consumers.reader import read_log
from vtcode_exec_events.emit.otel import OtelEmitter
from vtcode_exec_events.text import visible

STEP_NS = 1_000_000


def spans_of(path: str, **options: Any) -> list[ReadableSpan]:
    """The finished spans of one log, times synthesized at 1 ms per event from 0."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    ticks = itertools.count(0, STEP_NS)
    with OtelEmitter(
        provider.get_tracer("otel_tree"), mode="gen_ai", clock=lambda: next(ticks), **options
    ) as emit:
        for line in read_log(path):
            if line.event is not None:
                emit(line.event)
    provider.shutdown()
    return list(exporter.get_finished_spans())


def _value(value: Any) -> str:
    return visible(
        json.dumps(value if isinstance(value, str | bool | int | float) else list(value))
    )


def render(spans: Sequence[ReadableSpan]) -> str:
    """A text tree: each span under its parent, in start order, attributes indented."""
    children: dict[int | None, list[ReadableSpan]] = {}
    for span in spans:
        parent = span.parent.span_id if span.parent is not None else None
        children.setdefault(parent, []).append(span)
    out: list[str] = []

    def walk(span: ReadableSpan, depth: int) -> None:
        pad = "    " * depth
        start = (span.start_time or 0) // STEP_NS
        end = (span.end_time or 0) // STEP_NS
        status = span.status.status_code.name
        line = f"{pad}{visible(span.name)}  [{start} ms .. {end} ms]  {status}"
        if span.status.description:
            line += f": {visible(span.status.description)}"
        out.append(line)
        for key, value in (span.attributes or {}).items():
            out.append(f"{pad}    {key} = {_value(value)}")
        for event in span.events:
            attrs = ", ".join(f"{k}={_value(v)}" for k, v in (event.attributes or {}).items())
            out.append(f"{pad}    * event {event.name} {{{attrs}}}")
        for child in sorted(children.get(span.context.span_id, []), key=_order):
            walk(child, depth + 1)

    for root in sorted(children.get(None, []), key=_order):
        walk(root, 0)
    return "\n".join(out)


def _order(span: ReadableSpan) -> tuple[int, int]:
    return (span.start_time or 0, span.end_time or 0)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log")
    parser.add_argument("--capture-content", action="store_true")
    parser.add_argument("--openinference", action="store_true")
    args = parser.parse_args(argv)
    spans = spans_of(
        args.log, capture_content=args.capture_content, openinference=args.openinference
    )
    print(render(spans))


if __name__ == "__main__":
    main()
