"""Generate a realistic VT Code event log (schema 0.11.0) for the validation benchmark.

Threads of turns, each turn a run of agent steps: reasoning, commands whose output is
log-normally sized from a few bytes to 10 KB, file changes, tool and MCP calls, web
searches, plans, harness events, permissions, compaction and context resets, and the
thread/turn lifecycle around them. Every event kind and item kind occurs. Half of the
threads are written in the versioned envelope. Text carries escapes, tabs, newlines and
non-ASCII. Deterministic for a given seed.

    python benchmarks/validate/generate.py benchmarks/.data/events.jsonl --events 200000
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

VERSION = "0.11.0"
WORDS = [
    "the",
    "build",
    "fails",
    "because",
    "the",
    "cache",
    "is",
    "stale;",
    "rerun",
    "cargo",
    "test",
    "after",
    "clearing",
    "refactor",
    "parser",
    "module",
    "so",
    "that",
    "errors",
    "carry",
    "a",
    "json",
    "pointer",
    "and",
    "a",
    "line",
    "number",
    "naïve",
    "café",
    "→",
    "résumé",
    "日本語",
    "emoji",
    "✓",
    "target/",
    "next",
    "tab\there",
    'quote"',
    "backslash\\",
    "newline\n",
    "ctrl\u0001",
]
COMMANDS = ["cargo test", "cargo check", "git status", "ls -la src", "pytest -q", "rg TODO", "make"]
TOOLS = ["read_file", "write_file", "exec_command", "grep_search", "list_files", "apply_patch"]
HARNESS = [
    "planning_started",
    "planning_completed",
    "verification_started",
    "verification_passed",
    "verification_failed",
    "tool_retry_attempted",
    "tool_latency_recorded",
    "snapshot_created",
]


def _text(rng: random.Random, low: int, high: int) -> str:
    target = rng.randint(low, high)
    out: list[str] = []
    size = 0
    while size < target:
        word = rng.choice(WORDS)
        out.append(word)
        size += len(word) + 1
    return " ".join(out)[:target]


def _output(rng: random.Random) -> str:
    """Command output: log-normal, from a few bytes up to 10 KB (mean about 1 KB)."""
    size = min(10_240, max(1, int(math.exp(rng.gauss(6.2, 1.3)))))
    return _text(rng, size, size)


def _usage(rng: random.Random) -> dict[str, int]:
    return {
        "input_tokens": rng.randint(100, 200_000),
        "cached_input_tokens": rng.randint(0, 100_000),
        "cache_creation_tokens": rng.randint(0, 10_000),
        "output_tokens": rng.randint(1, 8_000),
    }


def _step(rng: random.Random, ids: Iterator[int], tid: str, turn: str) -> list[dict[str, Any]]:
    """The events of one agent step (one item's lifecycle, or a standalone event)."""
    n = next(ids)
    roll = rng.random()
    if roll < 0.25:
        item = {"id": f"item-{n}", "type": "reasoning", "text": _text(rng, 80, 700)}
        if rng.random() < 0.5:
            item["stage"] = "analysis"
        return [{"type": "item.completed", "item": item}]
    if roll < 0.45:
        cmd = rng.choice(COMMANDS)
        base = {"id": f"item-{n}", "type": "command_execution", "command": cmd}
        started = {**base, "aggregated_output": "", "status": "in_progress"}
        events: list[dict[str, Any]] = [{"type": "item.started", "item": started}]
        if rng.random() < 0.2:
            partial = {**base, "aggregated_output": _text(rng, 10, 200), "status": "in_progress"}
            events.append({"type": "item.updated", "item": partial})
        done = {
            **base,
            "arguments": {"command": cmd.split(" ")},
            "aggregated_output": _output(rng),
            "exit_code": rng.choice([0, 0, 0, 1, 101]),
            "status": rng.choice(["completed", "completed", "failed"]),
        }
        events.append({"type": "item.completed", "item": done})
        return events
    if roll < 0.55:
        changes = [
            {
                "path": f"src/mod_{rng.randint(0, 99)}.rs",
                "kind": rng.choice(["add", "update", "delete"]),
            }
            for _ in range(rng.randint(1, 10))
        ]
        item = {"id": f"item-{n}", "type": "file_change", "changes": changes, "status": "completed"}
        return [{"type": "item.completed", "item": item}]
    if roll < 0.65:
        call = f"call_{n}"
        name = rng.choice(TOOLS)
        inv = {
            "id": f"tool_{n}",
            "type": "tool_invocation",
            "tool_name": name,
            "arguments": {"path": f"src/mod_{rng.randint(0, 99)}.rs", "limit": rng.randint(1, 500)},
            "tool_call_id": call,
            "status": "in_progress",
        }
        done = {**inv, "status": "completed", "outcome": "success"}
        out = {
            "id": f"tool_{n}:output",
            "type": "tool_output",
            "call_id": f"tool_{n}",
            "tool_call_id": call,
            "output": _output(rng),
            "exit_code": 0,
            "status": "completed",
        }
        return [
            {"type": "item.started", "item": inv},
            {"type": "item.completed", "item": done},
            {"type": "item.completed", "item": out},
        ]
    if roll < 0.72:
        item = {
            "id": f"item-{n}",
            "type": "mcp_tool_call",
            "tool_name": "github.search_issues",
            "arguments": {"q": _text(rng, 5, 60), "per_page": 20, "labels": ["bug", "p1"]},
            "result": _text(rng, 20, 2000),
            "status": "completed",
        }
        return [{"type": "item.completed", "item": item}]
    if roll < 0.76:
        item = {
            "id": f"item-{n}",
            "type": "web_search",
            "query": _text(rng, 10, 80),
            "provider": "exa",
            "results": [f"https://example.org/{rng.randint(0, 9999)}" for _ in range(3)],
        }
        return [{"type": "item.completed", "item": item}]
    if roll < 0.84:
        item = {"id": f"item-{n}", "type": "agent_message", "text": _text(rng, 100, 1200)}
        return [{"type": "item.completed", "item": item}]
    if roll < 0.87:
        plan = {"id": f"item-{n}", "type": "plan", "text": _text(rng, 50, 400)}
        return [
            {
                "type": "plan.delta",
                "thread_id": tid,
                "turn_id": turn,
                "item_id": f"item-{n}",
                "delta": _text(rng, 5, 80),
            },
            {"type": "item.completed", "item": plan},
        ]
    if roll < 0.91:
        item = {
            "id": f"harness_{n}",
            "type": "harness",
            "event": rng.choice(HARNESS),
            "message": _text(rng, 10, 80),
            "command": "cargo check",
            "exit_code": 0,
            "duration_ms": rng.randint(1, 90_000),
        }
        return [{"type": "item.completed", "item": item}]
    if roll < 0.95:
        tool = rng.choice(TOOLS)
        return [
            {"type": "permission.requested", "tool_name": tool},
            {
                "type": "permission.resolved",
                "tool_name": tool,
                "decision": rng.choice(["allow", "deny", "cancelled", "followup"]),
                "wait_ms": rng.randint(0, 60_000),
            },
        ]
    if roll < 0.97:
        return [
            {
                "type": "interjected",
                "source": "direct",
                "image_count": 0,
                "redirect_kind": "interjection",
            }
        ]
    if roll < 0.98:
        item = {"id": f"item-{n}", "type": "error", "message": _text(rng, 10, 120)}
        return [{"type": "item.completed", "item": item}]
    if roll < 0.99:
        return [
            {
                "type": "thread.compact_boundary",
                "thread_id": tid,
                "trigger": rng.choice(["auto", "manual", "model_switch"]),
                "mode": "local",
                "original_message_count": rng.randint(20, 400),
                "compacted_message_count": rng.randint(1, 19),
                "history_artifact_path": ".vtcode/history/segment.jsonl",
            }
        ]
    return [
        {"type": "plan.approval.requested", "thread_id": tid, "turn_id": turn, "plan_file": "p.md"},
        {
            "type": "plan.approval.resolved",
            "thread_id": tid,
            "turn_id": turn,
            "decision": rng.choice(["execute", "fresh_context", "revise"]),
            "automatic": False,
        },
        {
            "type": "context.reset",
            "thread_id": tid,
            "turn_id": turn,
            "trigger": "plan_approval",
            "plan_preserved": True,
            "previous_context_usage_percent": rng.randint(0, 100),
            "tool_budget_reset": True,
        },
    ]


def _thread(rng: random.Random, ids: Iterator[int], number: int) -> list[dict[str, Any]]:
    tid = f"thread-{number}"
    events: list[dict[str, Any]] = [{"type": "thread.started", "thread_id": tid}]
    turns = rng.randint(1, 8)
    for t in range(turns):
        turn = f"turn-{t + 1}"
        if rng.random() < 0.3:
            breakdown = {
                "system_prompt_tokens": 3000,
                "tool_schema_tokens": 4500,
                "instruction_file_tokens": 800,
                "message_history_tokens": rng.randint(0, 90_000),
                "cache_read_tokens": rng.randint(0, 9000),
                "cache_write_tokens": 1500,
                "cache_miss_tokens": 1000,
            }
            events.append({"type": "turn.started", "token_breakdown": breakdown})
        else:
            events.append({"type": "turn.started"})
        for _ in range(rng.randint(3, 30)):
            events.extend(_step(rng, ids, tid, turn))
        roll = rng.random()
        if roll < 0.9:
            events.append({"type": "turn.completed", "usage": _usage(rng)})
        elif roll < 0.97:
            events.append({"type": "turn.failed", "message": "provider returned 500"})
        else:
            events.append({"type": "error", "message": "fatal: provider unreachable"})
    events.append(
        {
            "type": "thread.completed",
            "thread_id": tid,
            "session_id": f"session-{number}",
            "subtype": rng.choice(["success", "success", "error_max_turns", "cancelled"]),
            "outcome_code": "completed",
            "result": _text(rng, 10, 200),
            "stop_reason": "end_turn",
            "usage": _usage(rng),
            "total_cost_usd": round(rng.random(), 4),
            "num_turns": turns,
        }
    )
    return events


def generate(events: int, seed: int = 1) -> Iterator[bytes]:
    """Yield at least ``events`` lines (whole threads), each without its newline."""
    rng = random.Random(seed)
    ids = iter(range(1, 1 << 62))
    written = 0
    number = 0
    while written < events:
        number += 1
        envelope = rng.random() < 0.5
        for event in _thread(rng, ids, number):
            if envelope:
                yield orjson.dumps({"schema_version": VERSION, "event": event})
            else:
                yield orjson.dumps(event)
            written += 1


def write(path: Path, events: int, seed: int = 1) -> int:
    """Write the log to ``path``; return the number of lines written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("wb") as out:
        for line in generate(events, seed):
            out.write(line + b"\n")
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    count = write(args.out, args.events, args.seed)
    size = args.out.stat().st_size
    print(f"{args.out}: {count} events, {size / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
