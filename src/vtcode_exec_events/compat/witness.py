"""Witnesses: concrete instances one schema accepts and the other rejects, checked by jsonschema."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vtcode_exec_events.compat.diff import Change, Differ

__all__ = ["attach_witnesses"]


def attach_witnesses(differ: Differ, changes: list[Change], pairs: list[tuple[str, str]]) -> None:
    return None
