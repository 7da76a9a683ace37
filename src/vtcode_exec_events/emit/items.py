"""Build item lifecycle events from a bare item model, without spelling out ``ThreadItem``."""

from __future__ import annotations

from typing import TypeAlias

from vtcode_exec_events.models.newest import (
    AgentMessageItem,
    CommandExecutionItem,
    ErrorItem,
    FileChangeItem,
    HarnessEventItem,
    ItemCompletedEvent,
    ItemStartedEvent,
    ItemUpdatedEvent,
    McpToolCallItem,
    PlanItem,
    ReasoningItem,
    ThreadItem,
    ToolInvocationItem,
    ToolOutputItem,
    WebSearchItem,
)

__all__ = ["Item", "item_completed", "item_started", "item_updated", "thread_item"]

#: Any item model of the newest schema version.
Item: TypeAlias = (
    AgentMessageItem
    | PlanItem
    | ReasoningItem
    | CommandExecutionItem
    | ToolInvocationItem
    | ToolOutputItem
    | FileChangeItem
    | McpToolCallItem
    | WebSearchItem
    | HarnessEventItem
    | ErrorItem
)


def thread_item(item: Item | ThreadItem) -> ThreadItem:
    """The ``ThreadItem`` wrapper the item events' ``item`` field holds.

    pydantic also accepts a bare item for that field at run time
    (``ItemStartedEvent(item=CommandExecutionItem(...))``); this is the spelling type
    checkers accept too.
    """
    return item if isinstance(item, ThreadItem) else ThreadItem(root=item)


def item_started(item: Item | ThreadItem) -> ItemStartedEvent:
    """``item.started`` for an item in its initial state."""
    return ItemStartedEvent(item=thread_item(item))


def item_updated(item: Item | ThreadItem) -> ItemUpdatedEvent:
    """``item.updated`` for an item that changed."""
    return ItemUpdatedEvent(item=thread_item(item))


def item_completed(item: Item | ThreadItem) -> ItemCompletedEvent:
    """``item.completed`` for an item in its final state."""
    return ItemCompletedEvent(item=thread_item(item))
