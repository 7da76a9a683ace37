"""Reading parsed events: wire values of model fields, the item of an item event, outcomes."""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, RootModel

__all__ = ["item_of", "tool_outcome", "wire"]


def wire(value: Any) -> Any:
    """The wire form of a model field: enum members and root models become plain values."""
    while isinstance(value, RootModel):
        value = value.root
    if isinstance(value, Enum):
        return value.value
    return value


def item_of(event: BaseModel) -> BaseModel:
    """The concrete item model of an ``item.*`` event."""
    item = event.item  # type: ignore[attr-defined]
    while isinstance(item, RootModel):
        item = item.root
    assert isinstance(item, BaseModel)
    return item


def tool_outcome(item: BaseModel) -> str:
    """A tool invocation's outcome: its ``outcome`` field, else derived from ``status``.

    Mirrors VT Code's ``tool_outcome_from_status``: completed → success, failed → error.
    """
    outcome = wire(getattr(item, "outcome", None))
    if outcome is not None:
        return str(outcome)
    status = wire(getattr(item, "status", None))
    return {"completed": "success", "failed": "error"}.get(str(status), str(status))
