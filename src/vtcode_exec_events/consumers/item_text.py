"""What the replay timeline says about an item: one small function per item kind, in a table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import orjson

from vtcode_exec_events.consumers.fields import tool_outcome, wire

__all__ = [
    "FAILED",
    "INFO",
    "INVALID",
    "ITEM_SUMMARIES",
    "OK",
    "OPEN",
    "ItemSummary",
    "Quoting",
    "cut",
    "format_ms",
    "plural",
    "quote_json",
]

OK = "ok"
FAILED = "failed"
INFO = "info"
OPEN = "open"
INVALID = "invalid"


class Quoting(Protocol):
    """What a summary needs from the timeline: the width quoted text is cut to."""

    width: int

    def cut(self, text: str) -> str: ...


def format_ms(ms: int) -> str:
    """``250 ms``, ``1.8 s``, ``2 min 5 s``."""
    if ms < 1000:
        return f"{ms} ms"
    if ms < 60_000:
        return f"{ms / 1000:.1f} s"
    minutes, rest = divmod(ms // 1000, 60)
    return f"{minutes} min {rest} s"


def cut(text: str, width: int) -> str:
    """``text`` on one line (whitespace runs become one space), cut to ``width`` (0: never)."""
    flat = " ".join(text.split())
    if width > 0 and len(flat) > width:
        return flat[: max(width - 1, 1)] + "…"
    return flat


def plural(count: int, noun: str) -> str:
    """``1 update``, ``2 updates``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def quote_json(value: Any, width: int) -> str:
    """A value as compact JSON, cut to ``width``."""
    return cut(orjson.dumps(value).decode(), width)


# ---- one small function per item kind: (timeline, item, status, verdict) -> (text, status) --
ItemSummary = Callable[[Quoting, Any, Any, str], tuple[str, str]]


def _arguments(tl: Quoting, item: Any) -> str:
    arguments = getattr(item, "arguments", None)
    return "" if arguments is None else " " + quote_json(arguments, tl.width)


def _message_item(tl: Quoting, item: Any, status: Any, verdict: str) -> tuple[str, str]:
    return tl.cut(getattr(item, "text", "")), verdict


def _reasoning(tl: Quoting, item: Any, status: Any, verdict: str) -> tuple[str, str]:
    stage = getattr(item, "stage", None)
    return (f"[{stage}] " if stage else "") + tl.cut(getattr(item, "text", "")), verdict


def _command(tl: Quoting, item: Any, status: Any, verdict: str) -> tuple[str, str]:
    text = tl.cut(getattr(item, "command", "")) + _arguments(tl, item)
    exit_code = getattr(item, "exit_code", None)
    if exit_code is not None:
        text += f" -> exit {exit_code}"
        if exit_code != 0:
            verdict = FAILED
    output = getattr(item, "aggregated_output", "") or ""
    if output and verdict != OPEN:
        text += f" ({plural(len(output.splitlines()), 'output line')})"
    return f"{text} [{status}]", verdict


def _tool(tl: Quoting, item: Any, status: Any, verdict: str) -> tuple[str, str]:
    text = str(getattr(item, "tool_name", "?")) + _arguments(tl, item)
    if verdict == OPEN:
        return f"{text} [{status}]", verdict
    outcome = tool_outcome(item)
    if outcome not in ("success", "followup"):
        verdict = FAILED
    return f"{text} [{status}, outcome {outcome}]", verdict


def _tool_output(tl: Quoting, item: Any, status: Any, verdict: str) -> tuple[str, str]:
    text = f"output of {getattr(item, 'call_id', '?')}"
    exit_code = getattr(item, "exit_code", None)
    if exit_code is not None:
        text += f" -> exit {exit_code}"
    output = getattr(item, "output", "") or ""
    if output:
        text += ": " + tl.cut(output)
    return f"{text} [{status}]", verdict


def _file_change(tl: Quoting, item: Any, status: Any, verdict: str) -> tuple[str, str]:
    changes = ", ".join(
        f"{wire(getattr(c, 'kind', '?'))} {getattr(c, 'path', '?')}"
        for c in getattr(item, "changes", []) or []
    )
    return f"{tl.cut(changes)} [{status}]", verdict


def _mcp(tl: Quoting, item: Any, status: Any, verdict: str) -> tuple[str, str]:
    text = str(getattr(item, "tool_name", "?")) + _arguments(tl, item)
    result = getattr(item, "result", None)
    if result:
        text += " => " + tl.cut(result)
    return f"{text} [{status or 'no status'}]", verdict


def _web_search(tl: Quoting, item: Any, status: Any, verdict: str) -> tuple[str, str]:
    text = repr(getattr(item, "query", ""))
    provider = getattr(item, "provider", None)
    if provider:
        text += f" via {provider}"
    results = getattr(item, "results", None)
    if results is not None:
        text += ", " + plural(len(results), "result")
    return text, verdict


def _harness(tl: Quoting, item: Any, status: Any, verdict: str) -> tuple[str, str]:
    event = str(wire(getattr(item, "event", "?")))
    parts = [tl.cut(str(v)) for n in _HARNESS_TEXT if (v := getattr(item, n, None))]
    for name, label in (("exit_code", "exit "), ("attempt", "attempt ")):
        value = getattr(item, name, None)
        if value is not None:
            parts.append(f"{label}{value}")
    duration = getattr(item, "duration_ms", None)
    if duration is not None:
        parts.append(f"took {format_ms(duration)}")
    text = event + (" - " + ", ".join(parts) if parts else "")
    return text, FAILED if event.endswith("_failed") else OK


_HARNESS_TEXT = ("message", "command", "path", "error_category")


def _error_item(tl: Quoting, item: Any, status: Any, verdict: str) -> tuple[str, str]:
    return tl.cut(getattr(item, "message", "")), FAILED


ITEM_SUMMARIES: dict[str, ItemSummary] = {
    "agent_message": _message_item,
    "plan": _message_item,
    "reasoning": _reasoning,
    "command_execution": _command,
    "tool_invocation": _tool,
    "tool_output": _tool_output,
    "file_change": _file_change,
    "mcp_tool_call": _mcp,
    "web_search": _web_search,
    "harness": _harness,
    "error": _error_item,
}
