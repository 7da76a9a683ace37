"""Producer mistakes mypy --strict must catch: each marked line, and no other, is an error.

A line that ends in an ``E:`` comment (a hash, ``E:``, then a fragment) must get a mypy
error whose message contains the fragment; every other line must get none. Add a case by
adding a line.
"""

# ruff: noqa: E501

from __future__ import annotations

from vtcode_exec_events.dicts import (
    CommandExecutionItem,
    FileUpdateChange,
    ItemCompletedEvent,
    ThreadCompletedEvent,
    ThreadEvent,
    ThreadStartedEvent,
    TurnCompletedEvent,
    Usage,
    VersionedThreadEvent,
)

usage: Usage = {
    "input_tokens": 1,
    "cached_input_tokens": 0,
    "cache_creation_tokens": 0,
    "output_tokens": 2,
}

# One case a line, so that the line an error lands on names the case.
# fmt: off

# The tag is a required key.
no_tag: ThreadStartedEvent = {"thread_id": "t"}  # E: Missing key "type"
no_item_tag: CommandExecutionItem = {"id": "1", "command": "ls", "status": "completed"}  # E: Missing key "type"

# The tag must be the event's own literal.
wrong_tag: ThreadStartedEvent = {"type": "thread.start", "thread_id": "t"}  # E: "type" has type "Literal['thread.started']"
other_tag: TurnCompletedEvent = {"type": "turn.started", "usage": usage}  # E: "type" has type "Literal['turn.completed']"
typo_in_stream: ThreadEvent = {"type": "turn.complete", "usage": usage}  # E: "type" has type "Literal['turn.completed']"

# Enum values are literals.
bad_status: CommandExecutionItem = {"id": "1", "type": "command_execution", "command": "ls", "status": "done"}  # E: "status" has type "Literal['completed', 'failed', 'in_progress']"
bad_kind: FileUpdateChange = {"path": "a.py", "kind": "rename"}  # E: "kind" has type "Literal['add', 'delete', 'update']"
bad_catch_all: ThreadCompletedEvent = {"type": "thread.completed", "thread_id": "t", "session_id": "s", "subtype": 0, "outcome_code": "ok", "usage": usage, "num_turns": 1}  # E: "subtype"

# Required keys.
no_usage: TurnCompletedEvent = {"type": "turn.completed"}  # E: Missing key "usage"
no_tokens: Usage = {"input_tokens": 1, "cached_input_tokens": 0, "output_tokens": 2}  # E: Missing key "cache_creation_tokens"
no_version: VersionedThreadEvent = {"event": {"type": "turn.started"}}  # E: Missing key "schema_version"

# Keys the vocabulary does not have.
extra: ThreadStartedEvent = {"type": "thread.started", "thread_id": "t", "threadId": "t"}  # E: Extra key "threadId"

# Value types.
bad_type: ThreadStartedEvent = {"type": "thread.started", "thread_id": 1}  # E: expression has type "int", TypedDict item "thread_id" has type "str"
bad_exit: CommandExecutionItem = {"id": "1", "type": "command_execution", "command": "ls", "exit_code": "0", "status": "completed"}  # E: TypedDict item "exit_code" has type "int | None"
bad_turns: ThreadCompletedEvent = {"type": "thread.completed", "thread_id": "t", "session_id": "s", "subtype": "success", "outcome_code": "ok", "usage": usage, "num_turns": None}  # E: expression has type "None", TypedDict item "num_turns" has type "int"
# mypy does not narrow a union of TypedDicts by its tag inside a literal: the error is
# on the right line but names the union, not the field.
bad_nested: ItemCompletedEvent = {"type": "item.completed", "item": {"id": "1", "type": "plan", "text": 3}}  # E: TypedDict item "item" has type "AgentMessageItem | PlanItem
bad_item_tag: ItemCompletedEvent = {"type": "item.completed", "item": {"id": "1", "type": "planning", "text": ""}}  # E: TypedDict item "item" has type
