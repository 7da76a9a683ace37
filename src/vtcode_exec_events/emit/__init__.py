"""Emitters: send events to JSONL files, ``logging``, OpenTelemetry or any callable.

Any callable taking an event is an emitter. ``FanOut`` sends each event to several and
isolates their failures; ``JsonlEmitter`` and ``LogEmitter`` need nothing beyond the core
install; ``OtelEmitter`` needs the ``otel`` extra and is imported only when first used, so
importing this package never imports OpenTelemetry. ``CommandRunner`` and
``AsyncCommandRunner`` turn subprocesses into ``command_execution`` items; ``QueuedEmitter``
puts any emitter behind a bounded queue and a thread, so a slow sink cannot hang a producer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vtcode_exec_events.emit.base import EventEmitter, FanOut, Isolated, SinkFailures, isolate
from vtcode_exec_events.emit.items import (
    Item,
    item_completed,
    item_started,
    item_updated,
    thread_item,
)
from vtcode_exec_events.emit.jsonl import JsonlEmitter
from vtcode_exec_events.emit.log import LogEmitter
from vtcode_exec_events.emit.output import omitted
from vtcode_exec_events.emit.queued import QueuedEmitter
from vtcode_exec_events.emit.runner import (
    AsyncCommandRunner,
    CommandFailedError,
    CommandResult,
    CommandRunner,
    next_item_id,
)
from vtcode_exec_events.fastwire import encode, encode_line

if TYPE_CHECKING:
    from vtcode_exec_events.emit.otel import OtelEmitter

__all__ = [
    "AsyncCommandRunner",
    "CommandFailedError",
    "CommandResult",
    "CommandRunner",
    "EventEmitter",
    "FanOut",
    "Isolated",
    "Item",
    "JsonlEmitter",
    "LogEmitter",
    "OtelEmitter",
    "QueuedEmitter",
    "SinkFailures",
    "encode",
    "encode_line",
    "isolate",
    "item_completed",
    "item_started",
    "item_updated",
    "next_item_id",
    "omitted",
    "thread_item",
]


def __getattr__(name: str) -> Any:
    if name == "OtelEmitter":
        from vtcode_exec_events.emit.otel import OtelEmitter

        return OtelEmitter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
