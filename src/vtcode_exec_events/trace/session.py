"""What a session changed: the files named by its completed ``file_change`` items, per thread."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from pydantic import BaseModel

from vtcode_exec_events.fastwire import encode

__all__ = ["ChangedFiles", "changed_files"]


@dataclass
class ChangedFiles:
    """One thread's changed files: path as the events name it → the last change's kind
    (``add``, ``update`` or ``delete``), in the order first changed."""

    thread_id: str | None
    files: dict[str, str] = field(default_factory=dict)
    turns: int = 0


def _wire(event: BaseModel | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(event, Mapping):
        return event
    wire: dict[str, Any] = orjson.loads(encode(event))
    return wire


def changed_files(events: Iterable[BaseModel | Mapping[str, Any]]) -> list[ChangedFiles]:
    """The files each thread of ``events`` changed with a patch that applied, threads in the
    order they start. Failed patches change nothing; events before any ``thread.started``
    belong to a thread with no id. Models and wire dicts are both accepted."""
    threads: list[ChangedFiles] = []
    current: ChangedFiles | None = None
    for event in events:
        wire = _wire(event)
        kind = wire.get("type")
        if kind == "thread.started":
            current = ChangedFiles(str(wire.get("thread_id", "")) or None)
            threads.append(current)
            continue
        if current is None:
            current = ChangedFiles(None)
            threads.append(current)
        if kind == "turn.started":
            current.turns += 1
        elif kind == "item.completed":
            item = wire.get("item")
            if not isinstance(item, Mapping) or item.get("type") != "file_change":
                continue
            if item.get("status") != "completed":
                continue
            for change in item.get("changes") or ():
                if isinstance(change, Mapping) and isinstance(change.get("path"), str):
                    path = change["path"]
                    current.files[path] = str(change.get("kind", "update"))
    return [t for t in threads if t.files]
