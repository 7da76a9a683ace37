"""Producer code that builds events as TypedDicts; mypy --strict must accept every line."""

from __future__ import annotations

from vtcode_exec_events.dicts import (
    CommandExecutionItem,
    FileChangeItem,
    ItemCompletedEvent,
    ItemStartedEvent,
    ThreadCompletedEvent,
    ThreadEvent,
    ThreadItem,
    ThreadStartedEvent,
    TurnCompletedEvent,
    TurnFailedEvent,
    Usage,
    VersionedThreadEvent,
    v0_1_0,
)

started: ThreadStartedEvent = {"type": "thread.started", "thread_id": "thread-1"}

running: ItemStartedEvent = {
    "type": "item.started",
    "item": {
        "id": "item-1",
        "type": "command_execution",
        "command": "run_pty_cmd",
        "status": "in_progress",
    },
}

command: CommandExecutionItem = {
    "id": "item-1",
    "type": "command_execution",
    "command": "run_pty_cmd",
    "arguments": {"command": "cargo test", "timeout": 30, "env": None},
    "aggregated_output": "test result: ok\n",
    "exit_code": 0,
    "status": "completed",
}
completed: ItemCompletedEvent = {"type": "item.completed", "item": command}

patch: ThreadItem = {
    "id": "item-5",
    "type": "file_change",
    "changes": [{"path": "src/lib.rs", "kind": "update"}, {"path": "new.rs", "kind": "add"}],
    "status": "completed",
}
changes: FileChangeItem = {"id": "item-6", "type": "file_change", "changes": [], "status": "failed"}

usage: Usage = {
    "input_tokens": 1200,
    "cached_input_tokens": 800,
    "cache_creation_tokens": 100,
    "output_tokens": 150,
}
turn: TurnCompletedEvent = {"type": "turn.completed", "usage": usage}
failed: TurnFailedEvent = {"type": "turn.failed", "message": "rate limited", "usage": None}

done: ThreadCompletedEvent = {
    "type": "thread.completed",
    "thread_id": "thread-1",
    "session_id": "session-1",
    "subtype": "success",
    "outcome_code": "completed",
    "result": "Done.",
    "usage": usage,
    "total_cost_usd": 0.0125,
    "num_turns": 2,
}
# Catch-all enums take any string besides the known values.
newer: ThreadCompletedEvent = {**done, "subtype": "error_from_the_future"}

enveloped: VersionedThreadEvent = {"schema_version": "0.11.0", "event": completed}
inline: VersionedThreadEvent = {
    "schema_version": "0.11.0",
    "event": {"type": "turn.started"},
}
# Unknown event tags are part of the vocabulary from 0.4.0 on.
unknown: ThreadEvent = {"type": "future.event"}

# Older versions stay importable by module.
old_usage: v0_1_0.Usage = {"input_tokens": 1, "cached_input_tokens": 0, "output_tokens": 2}
old_turn: v0_1_0.TurnCompletedEvent = {"type": "turn.completed", "usage": old_usage}

stream: list[ThreadEvent] = [started, running, completed, turn, done]

# Every emitter takes them as they are, alone or through a fan-out.
import io  # noqa: E402
import logging  # noqa: E402

from vtcode_exec_events.emit import FanOut, JsonlEmitter, LogEmitter  # noqa: E402

sink = JsonlEmitter(io.StringIO(), flush_every=None)
for event in stream:
    sink(event)
    sink.emit(event)
with FanOut(sink, LogEmitter(logging.getLogger("producer"))) as fan:
    fan(enveloped["event"])
