"""A session's timeline in order: threads, turns, item lifecycles, outcomes and usage.

The text of each entry comes from tables of small functions: :data:`EVENT_ENTRIES` (one per
event type) and :data:`ITEM_SUMMARIES` (one per item kind). A new event or item is one
function and one table row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from vtcode_exec_events.consumers.fields import item_of, wire
from vtcode_exec_events.consumers.item_text import (
    FAILED,
    INFO,
    INVALID,
    ITEM_SUMMARIES,
    OK,
    OPEN,
    cut,
    format_ms,
    plural,
)
from vtcode_exec_events.consumers.reader import LogLine

__all__ = [
    "DEFAULT_WIDTH",
    "EVENT_ENTRIES",
    "ITEM_SUMMARIES",
    "MAX_OPEN_ITEMS",
    "TimelineEntry",
    "format_ms",
    "replay",
]

#: Longest free text (a message, a command, output) an entry quotes before it is cut.
DEFAULT_WIDTH = 80
#: Most items a thread keeps open at once; past it the oldest is forgotten (and counted),
#: so a log that never completes its items still replays in bounded memory.
MAX_OPEN_ITEMS = 10_000


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline.

    ``depth`` is 0 for threads, 1 for turns and thread-level events, 2 for what happens in a
    turn. ``status`` is ``ok``, ``failed``, ``open`` (started, not finished), ``info`` or
    ``invalid`` (a line that could not be parsed).
    """

    file: str
    line: int
    depth: int
    event: str
    text: str
    status: str = INFO
    item_id: str | None = None
    item_type: str | None = None
    turn: int | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "depth": self.depth,
            "event": self.event,
            "status": self.status,
            "turn": self.turn,
            "item_id": self.item_id,
            "item_type": self.item_type,
            "text": self.text,
        }


def _usage(usage: Any) -> str:
    if usage is None:
        return ""
    total = int(getattr(usage, "input_tokens", 0))
    cached = int(getattr(usage, "cached_input_tokens", 0))
    rate = f", {cached / total:.0%} cache hits" if total else ""
    out = int(getattr(usage, "output_tokens", 0))
    return f"tokens in {total} (cached {cached}{rate}), out {out}"


@dataclass
class _Open:
    kind: str
    line: int
    updates: int = 0


@dataclass
class _State:
    turn: int = 0
    in_turn: bool = False
    items: dict[str, _Open] = field(default_factory=dict)
    forgotten: int = 0


class _Timeline:
    def __init__(self, width: int, updates: bool) -> None:
        self.width = width
        self.updates = updates
        self.state = _State()
        self.file = ""
        self.last = 0

    def cut(self, text: str) -> str:
        return cut(text, self.width)

    def entry(
        self,
        line: LogLine,
        depth: int,
        event: str,
        text: str,
        status: str = INFO,
        item_id: str | None = None,
        item_type: str | None = None,
    ) -> TimelineEntry:
        turn = self.state.turn if self.state.in_turn else None
        return TimelineEntry(
            line.file, line.number, depth, event, text, status, item_id, item_type, turn
        )

    @property
    def depth(self) -> int:
        return 2 if self.state.in_turn else 1

    def close_items(self, file: str, line: int) -> Iterator[TimelineEntry]:
        """Items still open when their turn or thread ended, or the log ran out."""
        for item_id, opened in self.state.items.items():
            yield TimelineEntry(
                file,
                line,
                self.depth,
                "item.started",
                f"{opened.kind} {item_id} never completed (started line {opened.line})",
                OPEN,
                item_id,
                opened.kind,
                self.state.turn if self.state.in_turn else None,
            )
        if self.state.forgotten:
            yield TimelineEntry(
                file,
                line,
                self.depth,
                "item.started",
                f"{plural(self.state.forgotten, 'more item')} never completed "
                f"(more than {MAX_OPEN_ITEMS} open at once)",
                OPEN,
            )
        self.state.items = {}
        self.state.forgotten = 0

    def close(self, file: str, line: int) -> Iterator[TimelineEntry]:
        """Whatever was left open when a thread ended or the log ran out."""
        yield from self.close_items(file, line)
        if self.state.in_turn:
            yield TimelineEntry(
                file, line, 1, "turn.started", f"turn {self.state.turn} never completed", OPEN
            )
        self.state = _State()

    def item_summary(self, item: BaseModel) -> tuple[str, str]:
        """``(text, status)`` for an item, from the summary of its kind."""
        kind = str(getattr(item, "type", "?"))
        status = wire(getattr(item, "status", None))
        verdict = FAILED if status == "failed" else OK
        if status in ("in_progress", "started"):
            verdict = OPEN
        summary = ITEM_SUMMARIES.get(kind)
        if summary is None:
            return kind, verdict
        return summary(self, item, status, verdict)

    def item_event(self, line: LogLine, tag: str, event: BaseModel) -> Iterator[TimelineEntry]:
        item = item_of(event)
        item_id = str(getattr(item, "id", "?"))
        kind = str(getattr(item, "type", "?"))
        stage = tag.partition(".")[2]
        text, status = self.item_summary(item)
        opened = self.state.items.get(item_id)
        if stage == "started":
            if item_id not in self.state.items and len(self.state.items) >= MAX_OPEN_ITEMS:
                del self.state.items[next(iter(self.state.items))]
                self.state.forgotten += 1
            self.state.items[item_id] = _Open(kind, line.number)
            yield self.entry(
                line, self.depth, tag, f"{kind} {item_id} started: {text}", OPEN, item_id, kind
            )
            return
        if stage == "updated":
            if opened is None:
                opened = self.state.items[item_id] = _Open(kind, line.number)
            opened.updates += 1
            if self.updates:
                yield self.entry(
                    line, self.depth, tag, f"{kind} {item_id} updated: {text}", OPEN, item_id, kind
                )
            return
        self.state.items.pop(item_id, None)
        history = ""
        if opened is not None:
            history = f" (started line {opened.line}, {plural(opened.updates, 'update')})"
        yield self.entry(
            line, self.depth, tag, f"{kind} {item_id}: {text}{history}", status, item_id, kind
        )

    def feed(self, line: LogLine) -> Iterator[TimelineEntry]:
        if line.file != self.file:
            if self.file:
                yield from self.close(self.file, self.last)
            self.file = line.file
        self.last = line.number
        event = line.event
        if event is None:
            assert line.error is not None
            where = f" at {line.error.pointer}" if line.error.pointer else ""
            text = f"invalid line: {line.error.message}{where} [{line.error.kind}]"
            yield self.entry(line, self.depth, "invalid", text, INVALID)
            return
        tag = str(getattr(event, "type", "?"))
        describe = EVENT_ENTRIES.get(tag)
        if describe is None:
            yield self.entry(line, self.depth, tag, f"unknown event type {tag!r} (skipped)")
            return
        yield from describe(self, line, tag, event)


# ---- one small function per event type: (timeline, line, tag, event) -> entries ----------
EventEntries = Callable[[_Timeline, LogLine, str, Any], Iterator[TimelineEntry]]


def _thread_started(tl: _Timeline, line: LogLine, tag: str, event: Any) -> Iterator[TimelineEntry]:
    yield from tl.close(line.file, line.number)
    form = f"schema {line.version}" if line.enveloped else "bare lines"
    text = f"thread {getattr(event, 'thread_id', '?')} started [{form}]"
    yield tl.entry(line, 0, tag, text)


def _thread_completed(
    tl: _Timeline, line: LogLine, tag: str, event: Any
) -> Iterator[TimelineEntry]:
    yield from tl.close(line.file, line.number)
    get = getattr
    subtype = wire(get(event, "subtype", "?"))
    parts = [
        f"thread {get(event, 'thread_id', '?')} completed: {subtype}",
        f"outcome {get(event, 'outcome_code', '?')}",
        f"{get(event, 'num_turns', '?')} turns",
        _usage(get(event, "usage", None)),
    ]
    cost = get(event, "total_cost_usd", None)
    if cost is not None:
        parts.append(f"cost ${cost:.4f}")
    stop = get(event, "stop_reason", None)
    if stop:
        parts.append(f"stop reason {stop}")
    status = OK if subtype == "success" else FAILED
    yield tl.entry(line, 0, tag, ", ".join(parts), status)
    result = get(event, "result", None)
    if result:
        yield tl.entry(line, 1, tag, "result: " + tl.cut(result), status)


def _turn_started(tl: _Timeline, line: LogLine, tag: str, event: Any) -> Iterator[TimelineEntry]:
    state = tl.state
    if state.in_turn:
        text = f"turn {state.turn} never completed"
        yield TimelineEntry(line.file, line.number, 1, "turn.started", text, OPEN)
    state.turn += 1
    state.in_turn = True
    text = f"turn {state.turn} started"
    b = getattr(event, "token_breakdown", None)
    if b is not None:
        text += (
            f" (prompt tokens: system {b.system_prompt_tokens}, tools {b.tool_schema_tokens}, "
            f"instructions {b.instruction_file_tokens}, history {b.message_history_tokens}; "
            f"cache read {b.cache_read_tokens}, write {b.cache_write_tokens}, "
            f"miss {b.cache_miss_tokens})"
        )
    yield tl.entry(line, 1, tag, text)


def _turn_ended(tl: _Timeline, line: LogLine, tag: str, event: Any) -> Iterator[TimelineEntry]:
    yield from tl.close_items(line.file, line.number)
    state = tl.state
    if not state.in_turn:
        state.turn += 1
    usage = _usage(getattr(event, "usage", None))
    if tag == "turn.completed":
        text, status = f"turn {state.turn} completed: {usage}", OK
    else:
        text = f"turn {state.turn} failed: {tl.cut(getattr(event, 'message', ''))}"
        text += f" ({usage})" if usage else ""
        status = FAILED
    state.in_turn = True
    yield tl.entry(line, 1, tag, text, status)
    state.in_turn = False


def _item_event(tl: _Timeline, line: LogLine, tag: str, event: Any) -> Iterator[TimelineEntry]:
    return tl.item_event(line, tag, event)


def _one(describe: Callable[[_Timeline, Any], tuple[str, str]]) -> EventEntries:
    """An event shown as one entry at the current depth: ``describe`` gives text and status."""

    def entries(tl: _Timeline, line: LogLine, tag: str, event: Any) -> Iterator[TimelineEntry]:
        text, status = describe(tl, event)
        yield tl.entry(line, tl.depth, tag, text, status)

    return entries


def _compacted(tl: _Timeline, e: Any) -> tuple[str, str]:
    return (
        f"history compacted ({wire(e.trigger)}, {wire(e.mode)}): "
        f"{e.original_message_count} -> {e.compacted_message_count} messages",
        INFO,
    )


def _context_reset(tl: _Timeline, e: Any) -> tuple[str, str]:
    plan = "kept" if getattr(e, "plan_preserved", False) else "dropped"
    budget = "reset" if getattr(e, "tool_budget_reset", False) else "kept"
    return (
        f"context reset ({wire(getattr(e, 'trigger', '?'))}) at "
        f"{getattr(e, 'previous_context_usage_percent', '?')}% context; plan {plan}, "
        f"tool budget {budget}",
        INFO,
    )


def _permission_requested(tl: _Timeline, e: Any) -> tuple[str, str]:
    return f"permission requested for {getattr(e, 'tool_name', '?')}", OPEN


def _permission_resolved(tl: _Timeline, e: Any) -> tuple[str, str]:
    decision = wire(getattr(e, "decision", "?"))
    wait = format_ms(int(getattr(e, "wait_ms", 0)))
    text = f"permission for {getattr(e, 'tool_name', '?')}: {decision} after {wait}"
    return text, OK if decision == "allow" else FAILED


def _interjected(tl: _Timeline, e: Any) -> tuple[str, str]:
    return (
        f"user interjected ({wire(getattr(e, 'source', '?'))}, "
        f"{getattr(e, 'image_count', 0)} images, {wire(getattr(e, 'redirect_kind', '?'))})",
        INFO,
    )


def _plan_delta(tl: _Timeline, e: Any) -> tuple[str, str]:
    return f"plan {getattr(e, 'item_id', '?')} += {tl.cut(getattr(e, 'delta', ''))}", INFO


def _approval_requested(tl: _Timeline, e: Any) -> tuple[str, str]:
    plan_file = getattr(e, "plan_file", None)
    return "plan approval requested" + (f" for {plan_file}" if plan_file else ""), OPEN


def _approval_resolved(tl: _Timeline, e: Any) -> tuple[str, str]:
    how = "automatically" if getattr(e, "automatic", False) else "by the user"
    decision = wire(getattr(e, "decision", "?"))
    return f"plan approval resolved {how}: {decision}", FAILED if decision == "cancel" else OK


def _error_event(tl: _Timeline, e: Any) -> tuple[str, str]:
    return "error: " + tl.cut(getattr(e, "message", "")), FAILED


EVENT_ENTRIES: dict[str, EventEntries] = {
    "thread.started": _thread_started,
    "thread.completed": _thread_completed,
    "turn.started": _turn_started,
    "turn.completed": _turn_ended,
    "turn.failed": _turn_ended,
    "item.started": _item_event,
    "item.updated": _item_event,
    "item.completed": _item_event,
    "thread.compact_boundary": _one(_compacted),
    "context.reset": _one(_context_reset),
    "permission.requested": _one(_permission_requested),
    "permission.resolved": _one(_permission_resolved),
    "interjected": _one(_interjected),
    "plan.delta": _one(_plan_delta),
    "plan.approval.requested": _one(_approval_requested),
    "plan.approval.resolved": _one(_approval_resolved),
    "error": _one(_error_event),
}


def replay(
    lines: Iterable[LogLine], *, width: int = DEFAULT_WIDTH, updates: bool = False
) -> Iterator[TimelineEntry]:
    """The timeline of parsed lines, lazily, in log order.

    Turns are numbered from 1 within each thread. ``item.updated`` events are folded into the
    entry of the item's completion (``updates=True`` lists each one). Items still open when
    a thread ends or the log runs out are reported as never completed. ``width`` bounds
    quoted free text (0: no bound).
    """
    timeline = _Timeline(width, updates)
    last: LogLine | None = None
    for line in lines:
        last = line
        yield from timeline.feed(line)
    if last is not None:
        yield from timeline.close(last.file, last.number)
