"""Aggregate statistics over event logs, computed in one streaming pass in bounded memory."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from vtcode_exec_events.consumers.fields import item_of, tool_outcome, wire
from vtcode_exec_events.consumers.reader import Issue, LogLine
from vtcode_exec_events.registry import version_key

__all__ = [
    "DEFAULT_MAX_EXAMPLES",
    "MAX_KEYS",
    "OTHER",
    "Failure",
    "FileStats",
    "Stats",
    "collect",
    "wire",
]

#: How many failures and invalid lines a report keeps verbatim (all are counted).
DEFAULT_MAX_EXAMPLES = 20
#: Most distinct keys one tally keeps (event types, tool names, exit codes…); past it, new
#: keys are counted under ``OTHER``, so memory stays bounded whatever the log holds.
MAX_KEYS = 1000
OTHER = "(other)"


def bump(counter: Counter[str], key: str) -> None:
    """``counter[key] += 1``, folding new keys into ``OTHER`` once ``MAX_KEYS`` are held."""
    if key not in counter and len(counter) >= MAX_KEYS:
        key = OTHER
    counter[key] += 1


def tally(table: dict[str, Counter[str]], key: str, sub: str) -> None:
    """``bump`` on a two-level tally (tool -> outcome), both levels bounded."""
    if key not in table and len(table) >= MAX_KEYS:
        key = OTHER
    bump(table.setdefault(key, Counter()), sub)


@dataclass(frozen=True)
class Failure:
    """One thing that went wrong in a run, as the log tells it."""

    file: str
    line: int
    what: str
    message: str

    def to_json(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "what": self.what, "message": self.message}


@dataclass
class FileStats:
    """Line counts of one log file."""

    path: str
    lines: int = 0
    parsed: int = 0
    invalid: int = 0

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "lines": self.lines,
            "parsed": self.parsed,
            "invalid": self.invalid,
        }


def _usage_zero() -> dict[str, int]:
    return {
        "input_tokens": 0,
        "cached_input_tokens": 0,
        "cache_creation_tokens": 0,
        "output_tokens": 0,
    }


@dataclass
class Stats:
    """Everything ``vtcode-exec-events stats`` reports; feed it with :meth:`add`."""

    max_examples: int = DEFAULT_MAX_EXAMPLES
    files: list[FileStats] = field(default_factory=list)
    lines: int = 0
    parsed: int = 0
    invalid: int = 0
    #: Per line format: ``"bare"`` or ``"enveloped"`` -> schema version -> lines.
    versions: dict[str, Counter[str]] = field(
        default_factory=lambda: {"bare": Counter(), "enveloped": Counter()}
    )
    events: Counter[str] = field(default_factory=Counter)
    unknown_events: Counter[str] = field(default_factory=Counter)
    threads_started: int = 0
    threads_completed: Counter[str] = field(default_factory=Counter)
    turns_started: int = 0
    turns_completed: int = 0
    turns_failed: int = 0
    #: Item kind -> final status of each ``item.completed`` (``"-"`` when the kind has none).
    items: dict[str, Counter[str]] = field(default_factory=dict)
    #: Item events by lifecycle stage: started, updated, completed.
    item_events: Counter[str] = field(default_factory=Counter)
    commands: int = 0
    commands_succeeded: int = 0
    exit_codes: Counter[str] = field(default_factory=Counter)
    tool_outcomes: Counter[str] = field(default_factory=Counter)
    #: Tool name -> outcome -> count, for ``tool_invocation`` and ``mcp_tool_call`` items.
    tools: dict[str, Counter[str]] = field(default_factory=dict)
    file_changes: Counter[str] = field(default_factory=Counter)
    permissions: Counter[str] = field(default_factory=Counter)
    permission_wait_ms: int = 0
    plan_approvals: Counter[str] = field(default_factory=Counter)
    compactions: int = 0
    context_resets: int = 0
    usage: dict[str, int] = field(default_factory=_usage_zero)
    usage_turns: int = 0
    thread_usage: dict[str, int] = field(default_factory=_usage_zero)
    total_cost_usd: float = 0.0
    costed_threads: int = 0
    failures: list[Failure] = field(default_factory=list)
    failure_count: int = 0
    errors: list[Issue] = field(default_factory=list)

    # -- feeding ---------------------------------------------------------------------------

    def start_file(self, path: str) -> None:
        self.files.append(FileStats(path))

    def add(self, line: LogLine) -> None:
        """Count one line of the current file (``start_file`` first)."""
        if not self.files or self.files[-1].path != line.file:
            self.start_file(line.file)
        current = self.files[-1]
        current.lines += 1
        self.lines += 1
        if line.event is None:
            current.invalid += 1
            self.invalid += 1
            if line.error is not None and len(self.errors) < self.max_examples:
                self.errors.append(line.error)
            return
        current.parsed += 1
        self.parsed += 1
        self.versions["enveloped" if line.enveloped else "bare"][line.version or "?"] += 1
        self._event(line, line.event)

    def _fail(self, line: LogLine, what: str, message: str) -> None:
        self.failure_count += 1
        if len(self.failures) < self.max_examples:
            self.failures.append(Failure(line.file, line.number, what, message))

    def _add_usage(self, into: dict[str, int], usage: Any) -> None:
        for key in into:
            into[key] += int(getattr(usage, key, 0) or 0)

    def _event(self, line: LogLine, event: BaseModel) -> None:
        tag = str(getattr(event, "type", "?"))
        bump(self.events, tag)
        if tag == "thread.started":
            self.threads_started += 1
        elif tag == "thread.completed":
            subtype = str(wire(getattr(event, "subtype", "?")))
            bump(self.threads_completed, subtype)
            self._add_usage(self.thread_usage, getattr(event, "usage", None))
            cost = getattr(event, "total_cost_usd", None)
            if cost is not None:
                self.total_cost_usd += float(cost)
                self.costed_threads += 1
            if subtype != "success":
                outcome = getattr(event, "outcome_code", "")
                self._fail(line, "thread", f"{subtype} ({outcome})")
        elif tag == "turn.started":
            self.turns_started += 1
        elif tag == "turn.completed":
            self.turns_completed += 1
            self.usage_turns += 1
            self._add_usage(self.usage, getattr(event, "usage", None))
        elif tag == "turn.failed":
            self.turns_failed += 1
            usage = getattr(event, "usage", None)
            if usage is not None:
                self.usage_turns += 1
                self._add_usage(self.usage, usage)
            self._fail(line, "turn", str(getattr(event, "message", "")))
        elif tag in ("item.started", "item.updated", "item.completed"):
            stage = tag.partition(".")[2]
            self.item_events[stage] += 1
            if stage == "completed":
                self._item(line, item_of(event))
        elif tag == "permission.requested":
            self.permissions["requested"] += 1
        elif tag == "permission.resolved":
            bump(self.permissions, str(wire(getattr(event, "decision", "?"))))
            self.permission_wait_ms += int(getattr(event, "wait_ms", 0) or 0)
        elif tag == "plan.approval.resolved":
            bump(self.plan_approvals, str(wire(getattr(event, "decision", "?"))))
        elif tag == "thread.compact_boundary":
            self.compactions += 1
        elif tag == "context.reset":
            self.context_resets += 1
        elif tag == "error":
            self._fail(line, "error", str(getattr(event, "message", "")))
        elif type(event).__name__ == "UnknownThreadEvent":
            bump(self.unknown_events, tag)

    def _item(self, line: LogLine, item: BaseModel) -> None:
        kind = str(getattr(item, "type", "?"))
        status = wire(getattr(item, "status", None))
        tally(self.items, kind, "n/a" if status is None else str(status))
        if kind == "command_execution":
            self.commands += 1
            exit_code = getattr(item, "exit_code", None)
            bump(self.exit_codes, "none" if exit_code is None else str(exit_code))
            if status == "completed" and exit_code in (None, 0):
                self.commands_succeeded += 1
            else:
                code = "" if exit_code is None else f" (exit {exit_code})"
                self._fail(line, "command", f"{getattr(item, 'command', '')}: {status}{code}")
        elif kind == "tool_invocation":
            outcome = tool_outcome(item)
            bump(self.tool_outcomes, outcome)
            name = str(getattr(item, "tool_name", "?"))
            tally(self.tools, name, outcome)
            if outcome not in ("success", "followup"):
                self._fail(line, "tool", f"{name}: {outcome}")
        elif kind == "mcp_tool_call":
            name = str(getattr(item, "tool_name", "?"))
            tally(self.tools, name, "n/a" if status is None else str(status))
            if status == "failed":
                self._fail(line, "mcp_tool_call", f"{name}: failed")
        elif kind == "file_change":
            for change in getattr(item, "changes", []) or []:
                bump(self.file_changes, str(wire(getattr(change, "kind", "?"))))
            if status == "failed":
                self._fail(line, "file_change", "patch failed to apply")
        elif kind == "error":
            self._fail(line, "error item", str(getattr(item, "message", "")))
        elif kind == "harness":
            harness = str(wire(getattr(item, "event", "?")))
            if harness.endswith("_failed"):
                message = getattr(item, "message", None) or getattr(item, "command", None) or ""
                self._fail(line, f"harness {harness}", str(message))

    # -- results ---------------------------------------------------------------------------

    @property
    def command_success_rate(self) -> float | None:
        """Share of completed commands that succeeded (``None`` when there were none)."""
        return self.commands_succeeded / self.commands if self.commands else None

    @property
    def cache_hit_rate(self) -> float | None:
        """``cached_input_tokens / input_tokens`` over every turn (``None`` when input is 0)."""
        total = self.usage["input_tokens"]
        return self.usage["cached_input_tokens"] / total if total else None

    def to_json(self) -> dict[str, Any]:
        """The ``--format json`` document (shape documented in docs/recipes.md)."""
        return {
            "lines": self.lines,
            "parsed": self.parsed,
            "invalid": self.invalid,
            "files": [f.to_json() for f in self.files],
            "schema_versions": {
                form: {v: counter[v] for v in sorted(counter, key=version_key)}
                for form, counter in self.versions.items()
            },
            "events": dict(self.events.most_common()),
            "unknown_events": dict(self.unknown_events.most_common()),
            "threads": {
                "started": self.threads_started,
                "completed": dict(self.threads_completed.most_common()),
                "total_cost_usd": round(self.total_cost_usd, 6) if self.costed_threads else None,
                "usage": dict(self.thread_usage),
            },
            "turns": {
                "started": self.turns_started,
                "completed": self.turns_completed,
                "failed": self.turns_failed,
            },
            "items": {k: dict(v.most_common()) for k, v in sorted(self.items.items())},
            "item_events": {s: self.item_events[s] for s in ("started", "updated", "completed")},
            "commands": {
                "completed": self.commands,
                "succeeded": self.commands_succeeded,
                "failed": self.commands - self.commands_succeeded,
                "success_rate": self.command_success_rate,
                "exit_codes": dict(self.exit_codes.most_common()),
            },
            "tools": {
                "outcomes": dict(self.tool_outcomes.most_common()),
                "by_name": {k: dict(v.most_common()) for k, v in sorted(self.tools.items())},
            },
            "file_changes": dict(self.file_changes.most_common()),
            "permissions": {
                "decisions": dict(self.permissions.most_common()),
                "wait_ms": self.permission_wait_ms,
            },
            "plan_approvals": dict(self.plan_approvals.most_common()),
            "compactions": self.compactions,
            "context_resets": self.context_resets,
            "usage": {
                **self.usage,
                "turns": self.usage_turns,
                "cache_hit_rate": self.cache_hit_rate,
            },
            "failures": {
                "count": self.failure_count,
                "shown": [f.to_json() for f in self.failures],
            },
            "errors": {"count": self.invalid, "shown": [e.as_dict() for e in self.errors]},
        }


def collect(
    lines: Iterable[LogLine], *, max_examples: int = DEFAULT_MAX_EXAMPLES, into: Stats | None = None
) -> Stats:
    """Aggregate parsed lines (from :func:`~vtcode_exec_events.consumers.read_log`)."""
    stats = into if into is not None else Stats(max_examples=max_examples)
    for line in lines:
        stats.add(line)
    return stats
