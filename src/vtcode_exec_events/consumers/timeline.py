"""A session's timeline in order: threads, turns, item lifecycles, outcomes and usage."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
from pydantic import BaseModel

from vtcode_exec_events.consumers.reader import LogLine
from vtcode_exec_events.consumers.stats import item_of, tool_outcome, wire

__all__ = ["DEFAULT_WIDTH", "MAX_OPEN_ITEMS", "TimelineEntry", "format_ms", "replay"]

#: Longest free text (a message, a command, output) an entry quotes before it is cut.
DEFAULT_WIDTH = 80
#: Most items a thread keeps open at once; past it the oldest is forgotten (and counted),
#: so a log that never completes its items still replays in bounded memory.
MAX_OPEN_ITEMS = 10_000

OK = "ok"
FAILED = "failed"
INFO = "info"
OPEN = "open"
INVALID = "invalid"


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


def format_ms(ms: int) -> str:
    """``250 ms``, ``1.8 s``, ``2 min 5 s``."""
    if ms < 1000:
        return f"{ms} ms"
    if ms < 60_000:
        return f"{ms / 1000:.1f} s"
    minutes, rest = divmod(ms // 1000, 60)
    return f"{minutes} min {rest} s"


def _cut(text: str, width: int) -> str:
    flat = " ".join(text.split())
    if width > 0 and len(flat) > width:
        return flat[: max(width - 1, 1)] + "…"
    return flat


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _json(value: Any, width: int) -> str:
    return _cut(orjson.dumps(value).decode(), width)


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
        return _cut(text, self.width)

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
                f"{_plural(self.state.forgotten, 'more item')} never completed "
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
        """``(text, status)`` for an item."""
        kind = str(getattr(item, "type", "?"))
        status = wire(getattr(item, "status", None))
        verdict = FAILED if status == "failed" else OK
        if status in ("in_progress", "started"):
            verdict = OPEN
        get = getattr
        if kind in ("agent_message", "plan"):
            return self.cut(get(item, "text", "")), verdict
        if kind == "reasoning":
            stage = get(item, "stage", None)
            return (f"[{stage}] " if stage else "") + self.cut(get(item, "text", "")), verdict
        if kind == "command_execution":
            text = self.cut(get(item, "command", ""))
            arguments = get(item, "arguments", None)
            if arguments is not None:
                text += " " + _json(arguments, self.width)
            exit_code = get(item, "exit_code", None)
            if exit_code is not None:
                text += f" -> exit {exit_code}"
                if exit_code != 0:
                    verdict = FAILED
            output = get(item, "aggregated_output", "") or ""
            if output and verdict != OPEN:
                text += f" ({_plural(len(output.splitlines()), 'output line')})"
            return f"{text} [{status}]", verdict
        if kind == "tool_invocation":
            text = str(get(item, "tool_name", "?"))
            arguments = get(item, "arguments", None)
            if arguments is not None:
                text += " " + _json(arguments, self.width)
            if verdict != OPEN:
                outcome = tool_outcome(item)
                if outcome not in ("success", "followup"):
                    verdict = FAILED
                return f"{text} [{status}, outcome {outcome}]", verdict
            return f"{text} [{status}]", verdict
        if kind == "tool_output":
            text = f"output of {get(item, 'call_id', '?')}"
            exit_code = get(item, "exit_code", None)
            if exit_code is not None:
                text += f" -> exit {exit_code}"
            output = get(item, "output", "") or ""
            if output:
                text += ": " + self.cut(output)
            return f"{text} [{status}]", verdict
        if kind == "file_change":
            changes = ", ".join(
                f"{wire(get(c, 'kind', '?'))} {get(c, 'path', '?')}"
                for c in get(item, "changes", []) or []
            )
            return f"{self.cut(changes)} [{status}]", verdict
        if kind == "mcp_tool_call":
            text = str(get(item, "tool_name", "?"))
            arguments = get(item, "arguments", None)
            if arguments is not None:
                text += " " + _json(arguments, self.width)
            result = get(item, "result", None)
            if result:
                text += " => " + self.cut(result)
            return f"{text} [{status or 'no status'}]", verdict
        if kind == "web_search":
            text = repr(get(item, "query", ""))
            provider = get(item, "provider", None)
            if provider:
                text += f" via {provider}"
            results = get(item, "results", None)
            if results is not None:
                text += ", " + _plural(len(results), "result")
            return text, verdict
        if kind == "harness":
            event = str(wire(get(item, "event", "?")))
            parts = [event]
            for name in ("message", "command", "path", "error_category"):
                value = get(item, name, None)
                if value:
                    parts.append(self.cut(str(value)))
            exit_code = get(item, "exit_code", None)
            if exit_code is not None:
                parts.append(f"exit {exit_code}")
            attempt = get(item, "attempt", None)
            if attempt is not None:
                parts.append(f"attempt {attempt}")
            duration = get(item, "duration_ms", None)
            if duration is not None:
                parts.append(f"took {format_ms(duration)}")
            return ": ".join(parts[:1]) + (" - " + ", ".join(parts[1:]) if parts[1:] else ""), (
                FAILED if event.endswith("_failed") else OK
            )
        if kind == "error":
            return self.cut(get(item, "message", "")), FAILED
        return kind, verdict

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
            history = f" (started line {opened.line}, {_plural(opened.updates, 'update')})"
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
        get = getattr
        if tag == "thread.started":
            yield from self.close(line.file, line.number)
            form = f"schema {line.version}" if line.enveloped else "bare lines"
            text = f"thread {get(event, 'thread_id', '?')} started [{form}]"
            yield self.entry(line, 0, tag, text)
        elif tag == "thread.completed":
            yield from self.close(line.file, line.number)
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
            yield self.entry(line, 0, tag, ", ".join(parts), status)
            result = get(event, "result", None)
            if result:
                yield self.entry(line, 1, tag, "result: " + self.cut(result), status)
        elif tag == "turn.started":
            if self.state.in_turn:
                yield TimelineEntry(
                    line.file,
                    line.number,
                    1,
                    "turn.started",
                    f"turn {self.state.turn} never completed",
                    OPEN,
                )
            self.state.turn += 1
            self.state.in_turn = True
            text = f"turn {self.state.turn} started"
            breakdown = get(event, "token_breakdown", None)
            if breakdown is not None:
                text += (
                    f" (prompt tokens: system {breakdown.system_prompt_tokens}, "
                    f"tools {breakdown.tool_schema_tokens}, "
                    f"instructions {breakdown.instruction_file_tokens}, "
                    f"history {breakdown.message_history_tokens}; "
                    f"cache read {breakdown.cache_read_tokens}, "
                    f"write {breakdown.cache_write_tokens}, miss {breakdown.cache_miss_tokens})"
                )
            yield self.entry(line, 1, tag, text)
        elif tag in ("turn.completed", "turn.failed"):
            yield from self.close_items(line.file, line.number)
            if not self.state.in_turn:
                self.state.turn += 1
            number = self.state.turn
            usage = _usage(get(event, "usage", None))
            if tag == "turn.completed":
                text, status = f"turn {number} completed: {usage}", OK
            else:
                text = f"turn {number} failed: {self.cut(get(event, 'message', ''))}"
                text += f" ({usage})" if usage else ""
                status = FAILED
            self.state.in_turn = True
            yield self.entry(line, 1, tag, text, status)
            self.state.in_turn = False
        elif tag in ("item.started", "item.updated", "item.completed"):
            yield from self.item_event(line, tag, event)
        elif tag == "thread.compact_boundary":
            text = (
                f"history compacted ({wire(get(event, 'trigger', '?'))}, "
                f"{wire(get(event, 'mode', '?'))}): "
                f"{get(event, 'original_message_count', '?')} -> "
                f"{get(event, 'compacted_message_count', '?')} messages"
            )
            yield self.entry(line, self.depth, tag, text)
        elif tag == "context.reset":
            text = (
                f"context reset ({wire(get(event, 'trigger', '?'))}) at "
                f"{get(event, 'previous_context_usage_percent', '?')}% context; plan "
                f"{'kept' if get(event, 'plan_preserved', False) else 'dropped'}, tool budget "
                f"{'reset' if get(event, 'tool_budget_reset', False) else 'kept'}"
            )
            yield self.entry(line, self.depth, tag, text)
        elif tag == "permission.requested":
            text = f"permission requested for {get(event, 'tool_name', '?')}"
            yield self.entry(line, self.depth, tag, text, OPEN)
        elif tag == "permission.resolved":
            decision = wire(get(event, "decision", "?"))
            text = (
                f"permission for {get(event, 'tool_name', '?')}: {decision} "
                f"after {format_ms(int(get(event, 'wait_ms', 0)))}"
            )
            yield self.entry(line, self.depth, tag, text, OK if decision == "allow" else FAILED)
        elif tag == "interjected":
            text = (
                f"user interjected ({wire(get(event, 'source', '?'))}, "
                f"{get(event, 'image_count', 0)} images, {wire(get(event, 'redirect_kind', '?'))})"
            )
            yield self.entry(line, self.depth, tag, text)
        elif tag == "plan.delta":
            text = f"plan {get(event, 'item_id', '?')} += {self.cut(get(event, 'delta', ''))}"
            yield self.entry(line, self.depth, tag, text)
        elif tag == "plan.approval.requested":
            plan_file = get(event, "plan_file", None)
            text = "plan approval requested" + (f" for {plan_file}" if plan_file else "")
            yield self.entry(line, self.depth, tag, text, OPEN)
        elif tag == "plan.approval.resolved":
            how = "automatically" if get(event, "automatic", False) else "by the user"
            decision = wire(get(event, "decision", "?"))
            text = f"plan approval resolved {how}: {decision}"
            yield self.entry(line, self.depth, tag, text, FAILED if decision == "cancel" else OK)
        elif tag == "error":
            text = "error: " + self.cut(get(event, "message", ""))
            yield self.entry(line, self.depth, tag, text, FAILED)
        else:
            yield self.entry(line, self.depth, tag, f"unknown event type {tag!r} (skipped)")


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
