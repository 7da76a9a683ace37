"""Cost per event of ``JsonlEmitter`` as a ratio to ``orjson.dumps`` of the same events.

Run: ``python benchmarks/emit/bench_emit.py`` (or ``nox -s bench_emit``). Every row is
measured in fresh processes of its own (``--processes``, default 5): a process builds its
events as a producer does, one new object per event (dict literals, or model constructors:
never one dict reused), times ``orjson.dumps`` over one such batch (the floor) and the row
over another batch of equal events, alternating, in CPU time, ``--repeat`` times with fresh
batches, and keeps its best batch of each. A row's figure is
the ratio of the two; the table shows the median and the min-max over the processes.
Events are a realistic agent thread (lifecycle events, reasoning, a shell command with
growing output, a tool call, a file change, an answer, usage), repeated with distinct ids
and texts; ``--stream output`` pads the command's
output chunks to 2 KiB, as a real test run. Emitters write to ``/dev/null``, so the figure is
the emitter's own cost, not the disk's.

Rows ``emit(dict)`` and ``emitter(dict)`` run the same code; they differ only by how Python
calls it (a bound method against the instance's ``__call__`` slot). ``--check`` exits 1
when the batched emitter fed dicts through ``emit`` costs more than ``--target`` (3) times
the floor.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import orjson

#: Row name -> (what it is fed, what it does). The floor is timed in every process.
ROWS = {
    "JsonlEmitter.emit(dict), batched": "dict",
    "JsonlEmitter(dict), batched": "dict",
    "JsonlEmitter.emit(dict), flush_every=1": "dict",
    "QueuedEmitter(JsonlEmitter batched)(dict)": "dict",
    "JsonlEmitter.emit(model), batched": "model",
    "encode_line(model)": "model",
    "orjson + vars hook (model bound)": "model",
    "pydantic to_json (reference)": "model",
    "vee.dumps(model)": "model",
}


def thread_dicts(n: int, pad: int) -> list[dict[str, Any]]:
    """Thread ``n`` as a dicts producer writes it: 15 new wire dicts."""
    usage = {
        "input_tokens": 18_250 + n,
        "cached_input_tokens": 12_000,
        "cache_creation_tokens": 900,
        "output_tokens": 640,
    }
    command = f"cargo test --workspace -p crate{n}"
    thread_id = f"thread-{n:05d}"
    events: list[dict[str, Any]] = [
        {"type": "thread.started", "thread_id": thread_id},
        {"type": "turn.started"},
        {
            "type": "item.completed",
            "item": {
                "id": f"item_{n}_0",
                "type": "reasoning",
                "text": f"Run the tests of crate {n} first.",
                "stage": "plan",
            },
        },
        {
            "type": "item.started",
            "item": {
                "id": f"item_{n}_1",
                "type": "command_execution",
                "command": command,
                "aggregated_output": "",
                "status": "in_progress",
            },
        },
    ]
    output = ""
    for chunk in (
        f"   Compiling vtcode v0.{n}.0\n",
        f"running {n % 97} tests\n",
        f"test result: ok. {n % 97} passed\n",
    ):
        output += chunk.rjust(pad, ".")
        events.append(
            {
                "type": "item.updated",
                "item": {
                    "id": f"item_{n}_1",
                    "type": "command_execution",
                    "command": command,
                    "aggregated_output": output,
                    "status": "in_progress",
                },
            }
        )
    events += [
        {
            "type": "item.completed",
            "item": {
                "id": f"item_{n}_1",
                "type": "command_execution",
                "command": command,
                "aggregated_output": output,
                "exit_code": 0,
                "status": "completed",
            },
        },
        {
            "type": "item.started",
            "item": {
                "id": f"item_{n}_2",
                "type": "tool_invocation",
                "tool_name": "read_file",
                "arguments": {"path": f"src/lib{n}.rs"},
                "status": "in_progress",
            },
        },
        {
            "type": "item.completed",
            "item": {
                "id": f"item_{n}_2:output",
                "type": "tool_output",
                "call_id": f"item_{n}_2",
                "output": "pub fn run() {}\n",
                "status": "completed",
            },
        },
        {
            "type": "item.completed",
            "item": {
                "id": f"item_{n}_3",
                "type": "file_change",
                "changes": [{"path": f"src/lib{n}.rs", "kind": "update"}],
                "status": "completed",
            },
        },
        {
            "type": "item.completed",
            "item": {
                "id": f"item_{n}_4",
                "type": "agent_message",
                "text": f"All {n % 97} tests pass; lib{n}.rs fixed.",
            },
        },
        {"type": "turn.completed", "usage": usage},
        {
            "type": "permission.resolved",
            "tool_name": "run_pty_cmd",
            "decision": "allow",
            "wait_ms": 1834 + n,
        },
        {
            "type": "thread.completed",
            "thread_id": thread_id,
            "session_id": f"session-{n}",
            "subtype": "success",
            "outcome_code": "completed",
            "result": f"All {n % 97} tests pass; lib{n}.rs fixed.",
            "usage": dict(usage),
            "total_cost_usd": 0.0412,
            "num_turns": 1,
        },
    ]
    return events


def thread_models(n: int, pad: int) -> list[Any]:
    """Thread ``n`` as a models producer writes it: 15 new models (the same wire bytes)."""
    import vtcode_exec_events as vee
    from vtcode_exec_events.emit import item_completed, item_started, item_updated

    items = {
        "reasoning": vee.ReasoningItem,
        "command_execution": vee.CommandExecutionItem,
        "tool_invocation": vee.ToolInvocationItem,
        "tool_output": vee.ToolOutputItem,
        "file_change": vee.FileChangeItem,
        "agent_message": vee.AgentMessageItem,
    }
    events = {
        "thread.started": vee.ThreadStartedEvent,
        "turn.started": vee.TurnStartedEvent,
        "turn.completed": vee.TurnCompletedEvent,
        "permission.resolved": vee.PermissionResolvedEvent,
        "thread.completed": vee.ThreadCompletedEvent,
    }
    wrap = {"item.started": item_started, "item.updated": item_updated}
    out: list[Any] = []
    for event in thread_dicts(n, pad):
        fields = {k: v for k, v in event.items() if k != "type"}
        if "item" in fields:
            item = dict(fields["item"])
            kind = item.pop("type")
            if kind == "file_change":
                item["changes"] = [vee.FileUpdateChange(**c) for c in item["changes"]]
            out.append(wrap.get(event["type"], item_completed)(items[kind](**item)))
        else:
            if "usage" in fields:
                fields["usage"] = vee.Usage(**fields["usage"])
            out.append(events[event["type"]](**fields))
    return out


def batch(form: str, threads: int, pad: int, start: int) -> list[Any]:
    make = thread_dicts if form == "dict" else thread_models
    return [e for n in range(start, start + threads) for e in make(n, pad)]


def row_runner(row: str) -> tuple[Callable[[list[Any]], None], Callable[[], None]]:
    """The timed function of a row (over a batch), and what to do once done."""
    import vtcode_exec_events as vee
    from vtcode_exec_events.emit import JsonlEmitter
    from vtcode_exec_events.fastwire import encode_line

    closers: list[Callable[[], Any]] = []

    def jsonl(**options: Any) -> JsonlEmitter:
        emitter = JsonlEmitter(os.devnull, **options)
        closers.append(emitter.close)
        return emitter

    def done() -> None:
        for close in closers:
            close()

    if row in ("JsonlEmitter.emit(dict), batched", "JsonlEmitter.emit(model), batched"):
        emitter = jsonl(flush_every=None)

        def run(events: list[Any]) -> None:
            for event in events:
                emitter.emit(event)

    elif row == "JsonlEmitter(dict), batched":
        emitter = jsonl(flush_every=None)

        def run(events: list[Any]) -> None:
            for event in events:
                emitter(event)

    elif row == "JsonlEmitter.emit(dict), flush_every=1":
        emitter = jsonl()

        def run(events: list[Any]) -> None:
            for event in events:
                emitter.emit(event)

    elif row == "QueuedEmitter(JsonlEmitter batched)(dict)":
        from vtcode_exec_events.emit import QueuedEmitter

        queued = QueuedEmitter(jsonl(flush_every=None), maxsize=1_000_000)
        closers.insert(0, queued.close)

        def run(events: list[Any]) -> None:
            for event in events:
                queued.emit(event)
            queued.flush()

    elif row == "encode_line(model)":

        def run(events: list[Any]) -> None:
            for event in events:
                encode_line(event)

    elif row == "orjson + vars hook (model bound)":
        # The least any model path can cost: orjson calling a C hook that hands it each
        # model's __dict__ (None fields kept, roots not unwrapped: not the wire bytes).
        def run(events: list[Any]) -> None:
            for event in events:
                orjson.dumps(event, default=vars)

    elif row == "pydantic to_json (reference)":

        def run(events: list[Any]) -> None:
            for event in events:
                event.__pydantic_serializer__.to_json(event, exclude_none=True, by_alias=True)

    elif row == "vee.dumps(model)":

        def run(events: list[Any]) -> None:
            for event in events:
                vee.dumps(event)

    else:
        raise SystemExit(f"unknown row: {row}")
    return run, done


def floor(events: list[Any]) -> None:
    for event in events:
        orjson.dumps(event)


def measure(row: str, stream: str, threads: int, repeat: int) -> dict[str, float]:
    """One process: best ns per event of the floor and of the row, over fresh batches."""
    from vtcode_exec_events.fastwire import encode_line

    pad = 2048 if stream == "output" else 0
    form = ROWS[row]
    # The two forms are the same events, byte for byte, or the ratio means nothing.
    for plain, model in zip(batch("dict", 1, pad, 0), batch("model", 1, pad, 0), strict=True):
        assert encode_line(model) == encode_line(plain) == orjson.dumps(plain) + b"\n"
    run, done = row_runner(row)
    best = {"floor": float("inf"), "row": float("inf")}
    size = 0
    for index in range(repeat):
        floor_events = batch("dict", threads, pad, index * threads)
        row_events = batch(form, threads, pad, index * threads)
        size = sum(len(orjson.dumps(e)) + 1 for e in floor_events) // len(floor_events)
        gc.collect()
        # Floor and row take turns, each over a whole batch (the row's flushes included),
        # timed in CPU time of the process: on a shared machine the time spent descheduled
        # is not the code's.
        for name, fn, events in (("floor", floor, floor_events), ("row", run, row_events)):
            start = time.process_time_ns()
            fn(events)
            best[name] = min(best[name], (time.process_time_ns() - start) / len(events))
        del floor_events, row_events
    done()
    return {**best, "line": size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=400, help="threads (15 events) a batch")
    parser.add_argument("--repeat", type=int, default=7, help="batches timed per process")
    parser.add_argument("--processes", type=int, default=5, help="fresh processes per row")
    parser.add_argument("--target", type=float, default=3.0)
    parser.add_argument("--check", action="store_true", help="exit 1 above the target")
    parser.add_argument("--rows", help="row names separated by ';' (default: all)")
    parser.add_argument(
        "--stream",
        choices=["small", "output"],
        default="small",
        help="small: short lines (mean ~150 B); output: 2 KiB output chunks, as a test run",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(measure(args.worker, args.stream, args.threads, args.repeat)))
        return 0

    rows = args.rows.split(";") if args.rows else list(ROWS)
    results: dict[str, list[dict[str, float]]] = {row: [] for row in rows}
    for _ in range(max(1, args.processes)):
        for row in rows:  # rows take turns, so each sees the same machine load over time
            command = [sys.executable, __file__, "--worker", row, "--stream", args.stream]
            command += ["--threads", str(args.threads), "--repeat", str(args.repeat)]
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            results[row].append(json.loads(done.stdout))
    line = results[rows[0]][0]["line"]
    print(
        f"stream: {args.stream}; mean line {line:.0f} bytes; {args.threads * 15} events a batch; "
        f"best of {args.repeat} batches; {args.processes} fresh process(es) per row"
    )
    print(f"{'path':<44}{'ns/event':>9}{'floor ns':>9}  ratio median (min-max)")
    ratios: dict[str, float] = {}
    for row in rows:
        runs = results[row]
        each = [r["row"] / r["floor"] for r in runs]
        ratios[row] = statistics.median(each)
        print(
            f"{row:<44}{statistics.median(r['row'] for r in runs):>9.0f}"
            f"{statistics.median(r['floor'] for r in runs):>9.0f}  "
            f"{ratios[row]:.2f}x ({min(each):.2f}-{max(each):.2f})"
        )
    key = "JsonlEmitter.emit(dict), batched"
    if key not in ratios:
        return 0
    verdict = "within" if ratios[key] <= args.target else "ABOVE"
    print(f"{key} / floor = {ratios[key]:.2f}x, {verdict} the {args.target:g}x target")
    return 1 if args.check and ratios[key] > args.target else 0


if __name__ == "__main__":
    sys.exit(main())
