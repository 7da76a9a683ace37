"""Cost per event of ``JsonlEmitter`` as a ratio to ``orjson.dumps`` of the same event dicts.

Run: ``python benchmarks/emit/bench_emit.py`` (or ``nox -s bench_emit``). The stream is the
kind of thread an agent writes: lifecycle events, reasoning, a shell command with growing
output, a file change, an answer, usage. The floor is ``orjson.dumps`` of each event's
wire dict, measured in the same run; every figure is the best of several repeats.

Events come in two forms, both written byte for byte the same: wire-shaped dicts (the
``vtcode_exec_events.dicts`` vocabulary, the same dicts as the floor) and pydantic models.
Rows: ``JsonlEmitter`` batched (``flush_every=None``: whole lines buffered, one ``write(2)``
per 64 KiB) fed dicts, then fed models; the dict emitter called as ``.emit(event)``; the
model encoder alone; the bound no model path can beat (orjson with a C hook returning each
model's ``__dict__``: wrong bytes, nothing else done); the model emitter with its default
``flush_every=1`` (one ``write(2)`` per event) and on a real temporary file; pydantic's
serializer and ``vtcode_exec_events.dumps`` for reference. The emitters write to
``/dev/null`` so the figure is the emitter's own cost, not the disk's. ``--check`` exits 1
when the batched emitter fed dicts through ``emit`` (the method of the crate's
``EventEmitter`` trait) costs more than ``--target`` (default 3) times the floor; calling the
instance and feeding models are reported against the same target. ``--stream output`` pads
the command's output chunks to 2 KiB, as a real test run. Each row is the median over
``--processes`` fresh processes (default 5) of its ratio to that process's floor.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import timeit
from collections.abc import Callable
from pathlib import Path

import orjson
from pydantic import BaseModel

import vtcode_exec_events as vee
from vtcode_exec_events.emit import JsonlEmitter, item_completed, item_started, item_updated
from vtcode_exec_events.fastwire import encode_line


def thread_events(output_chunk: int = 0) -> list[BaseModel]:
    """One realistic thread: 15 events of the kinds a coding agent writes most.

    ``output_chunk`` pads each chunk of the command's output to that many characters (0: the
    three short lines), for streams where output dominates, as with a real test run.
    """
    usage = vee.Usage(
        input_tokens=18_250,
        cached_input_tokens=12_000,
        cache_creation_tokens=900,
        output_tokens=640,
    )
    command = "cargo test --workspace"
    chunks = [
        "   Compiling vtcode v0.147.0\n",
        "running 42 tests\n",
        "test result: ok. 42 passed\n",
    ]
    events: list[BaseModel] = [
        vee.ThreadStartedEvent(thread_id="thread-7f3a"),
        vee.TurnStartedEvent(),
        item_completed(vee.ReasoningItem(id="item_0", text="Run the tests first.", stage="plan")),
        item_started(vee.CommandExecutionItem(id="item_1", command=command, status="in_progress")),
    ]
    output = ""
    for chunk in chunks:
        output += chunk.rjust(output_chunk, ".")
        events.append(
            item_updated(
                vee.CommandExecutionItem(
                    id="item_1", command=command, aggregated_output=output, status="in_progress"
                )
            )
        )
    events += [
        item_completed(
            vee.CommandExecutionItem(
                id="item_1",
                command=command,
                aggregated_output=output,
                exit_code=0,
                status="completed",
            )
        ),
        item_started(
            vee.ToolInvocationItem(
                id="item_2",
                tool_name="read_file",
                arguments={"path": "src/lib.rs"},
                status="in_progress",
            )
        ),
        item_completed(
            vee.ToolOutputItem(
                id="item_2:output", call_id="item_2", output="pub fn run() {}\n", status="completed"
            )
        ),
        item_completed(
            vee.FileChangeItem(
                id="item_3",
                changes=[vee.FileUpdateChange(path="src/lib.rs", kind="update")],
                status="completed",
            )
        ),
        item_completed(vee.AgentMessageItem(id="item_4", text="All 42 tests pass; lib.rs fixed.")),
        vee.TurnCompletedEvent(usage=usage),
        vee.PermissionResolvedEvent(tool_name="run_pty_cmd", decision="allow", wait_ms=1834),
        vee.ThreadCompletedEvent(
            thread_id="thread-7f3a",
            session_id="session-1",
            subtype="success",
            outcome_code="completed",
            result="All 42 tests pass; lib.rs fixed.",
            usage=usage,
            total_cost_usd=0.0412,
            num_turns=1,
        ),
    ]
    return events


def best_ns_per_event(
    runs: list[Callable[[], None]], events: int, number: int, repeat: int
) -> list[float]:
    """Best time per event of each run; the runs take turns, so all see the same machine load."""
    best = [float("inf")] * len(runs)
    for _ in range(repeat):
        for index, run in enumerate(runs):
            best[index] = min(best[index], timeit.timeit(run, number=number))
    return [b / (number * events) * 1e9 for b in best]


def measure(stream: str, number: int, repeat: int) -> list[tuple[str, float]]:
    """One process's figures: (row name, best ns per event), the floor first."""
    events = thread_events(2048 if stream == "output" else 0)
    dicts = [orjson.loads(vee.dumps(e)) for e in events]
    for event, plain in zip(events, dicts, strict=True):  # same bytes, or the ratio means nothing
        assert (
            encode_line(event)
            == encode_line(plain)
            == orjson.dumps(plain) + b"\n"
            == (vee.dumps(event) + "\n").encode()
        )
    n = len(events)

    def floor() -> None:
        for plain in dicts:
            orjson.dumps(plain)

    def dict_emitter(emitter: JsonlEmitter) -> Callable[[], None]:
        def run() -> None:
            for plain in dicts:
                emitter(plain)

        return run

    def dict_emit_method(emitter: JsonlEmitter) -> Callable[[], None]:
        def run() -> None:
            for plain in dicts:
                emitter.emit(plain)

        return run

    def bound() -> None:
        # The least any model path can cost: orjson calling a C hook that hands it each
        # model's __dict__ (None fields kept, roots not unwrapped: not the wire bytes).
        for event in events:
            orjson.dumps(event, default=vars)

    def encoder() -> None:
        for event in events:
            encode_line(event)

    def pydantic() -> None:
        for event in events:
            event.__pydantic_serializer__.to_json(event, exclude_none=True, by_alias=True)

    def writer() -> None:
        for event in events:
            vee.dumps(event)

    with tempfile.TemporaryDirectory() as tmp:
        # /dev/null: the emitter's own cost (encoding, locking, buffering, the system call),
        # not the speed of whatever disk the benchmark happens to run on.
        batched = JsonlEmitter(os.devnull, flush_every=None)
        batched_dicts = JsonlEmitter(os.devnull, flush_every=None)
        per_event = JsonlEmitter(os.devnull)
        on_disk = JsonlEmitter(Path(tmp) / "events.jsonl", flush_every=None)

        def emit_batched() -> None:
            for event in events:
                batched(event)

        def emit_per_event() -> None:
            for event in events:
                per_event(event)

        def emit_on_disk() -> None:
            for event in events:
                on_disk(event)

        names_runs = [
            ("orjson.dumps(dict)  [floor]", floor),
            ("JsonlEmitter(dict), batched", dict_emitter(batched_dicts)),
            ("JsonlEmitter(model), batched", emit_batched),
            ("JsonlEmitter.emit(dict), batched", dict_emit_method(batched_dicts)),
            ("encode_line(model)", encoder),
            ("orjson + vars hook (model bound)", bound),
            ("JsonlEmitter(model), flush_every=1", emit_per_event),
            ("JsonlEmitter(model), batched, file", emit_on_disk),
            ("pydantic to_json (reference)", pydantic),
            ("vee.dumps(model)", writer),
        ]
        timings = best_ns_per_event([r for _, r in names_runs], n, number, repeat)
        rows = [(name, ns) for (name, _), ns in zip(names_runs, timings, strict=True)]
        for emitter in (batched_dicts, batched, per_event, on_disk):
            emitter.close()
            assert emitter.failures.count == 0, emitter.failures.last
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=500, help="passes over the thread per timing")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument(
        "--processes",
        type=int,
        default=5,
        help="fresh processes to measure in; each row reports the median (1: this process)",
    )
    parser.add_argument("--target", type=float, default=3.0)
    parser.add_argument("--check", action="store_true", help="exit 1 above the target")
    parser.add_argument(
        "--stream",
        choices=["small", "output"],
        default="small",
        help="small: short lines (mean ~150 B); output: 2 KiB output chunks, as a test run",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(measure(args.stream, args.number, args.repeat)))
        return 0

    runs: list[list[tuple[str, float]]] = []
    for _ in range(max(1, args.processes)):
        if args.processes <= 1:
            runs.append(measure(args.stream, args.number, args.repeat))
            continue
        command = [sys.executable, __file__, "--worker", "--stream", args.stream]
        command += ["--number", str(args.number), "--repeat", str(args.repeat)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        runs.append([(name, ns) for name, ns in json.loads(done.stdout)])
    names = [name for name, _ in runs[0]]
    # Per process, each row's ratio to that process's floor; then the median over processes:
    # interpreter layout (hash seeds, addresses) moves a single process's figures by ~10%.
    ratio_rows = [[ns / run[0][1] for _, ns in run] for run in runs]
    medians = [statistics.median(r[i] for r in ratio_rows) for i in range(len(names))]
    ns_medians = [statistics.median(run[i][1] for run in runs) for i in range(len(names))]
    events = thread_events(2048 if args.stream == "output" else 0)
    size = sum(len(vee.dumps(e)) + 1 for e in events) / len(events)
    print(
        f"stream: {args.stream}; {len(events)} events per thread; mean line {size:.0f} bytes; "
        f"median of {len(runs)} process(es)"
    )
    print(f"{'path':<36}{'ns/event':>10}{'ratio':>8}")
    for name, ns, ratio in zip(names, ns_medians, medians, strict=True):
        print(f"{name:<36}{ns:>10.0f}{ratio:>7.2f}x")
    ratio = dict(zip(names, medians, strict=True))
    verdicts = [
        ("dicts, emitter.emit(event)", ratio["JsonlEmitter.emit(dict), batched"]),
        ("dicts, emitter(event)", ratio["JsonlEmitter(dict), batched"]),
        ("models, emitter(event)", ratio["JsonlEmitter(model), batched"]),
    ]
    for form, value in verdicts:
        verdict = "within" if value <= args.target else "ABOVE"
        print(
            f"JsonlEmitter ({form}) / floor = {value:.2f}x, {verdict} the {args.target:g}x target"
        )
    return 1 if args.check and verdicts[0][1] > args.target else 0


if __name__ == "__main__":
    sys.exit(main())
