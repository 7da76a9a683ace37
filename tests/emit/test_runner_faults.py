"""The runners under hostile commands, huge outputs and sinks that stall: exact events, bounds."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

import vtcode_exec_events as vee
from vtcode_exec_events.emit import (
    AsyncCommandRunner,
    CommandResult,
    CommandRunner,
    omitted,
)
from vtcode_exec_events.emit.output import Output

from .child import run_python

PY = sys.executable
Run = Callable[..., CommandResult]


def _sync(events: list[BaseModel]) -> Run:
    return CommandRunner(events.append).run


def _async(events: list[BaseModel]) -> Run:
    runner = AsyncCommandRunner(events.append)

    def run(*args: Any, **kwargs: Any) -> CommandResult:
        return asyncio.run(runner.run(*args, **kwargs))

    return run


RUNNERS = pytest.mark.parametrize("make", [_sync, _async], ids=["sync", "async"])


def _items(events: list[BaseModel]) -> list[tuple[str, Any]]:
    return [(e.type, e.item.root) for e in events]  # type: ignore[attr-defined]


@RUNNERS
@pytest.mark.parametrize(
    ("command", "shell", "recorded", "reason"),
    [
        ([], None, "", "empty command"),
        ("", False, "", "empty command"),
        ("", None, "", "empty command"),
        ("   ", True, "   ", "empty command"),
        ("echo 'unbalanced", False, "echo 'unbalanced", "cannot split the command: No closing"),
        (["/nonexistent/cmd", "a b"], None, "/nonexistent/cmd 'a b'", "failed to start: [Errno 2]"),
        ("/nonexistent/cmd 'a b'", False, "/nonexistent/cmd 'a b'", "failed to start: [Errno 2]"),
        (["echo", 3], None, "echo 3", "bad argument: "),
    ],
)
def test_a_bad_command_is_a_failed_item_never_an_exception(
    make: Callable[[list[BaseModel]], Run],
    command: Any,
    shell: bool | None,
    recorded: str,
    reason: str,
) -> None:
    events: list[BaseModel] = []
    result = make(events)(command, shell=shell)
    assert result.status is vee.CommandExecutionStatus.failed
    assert result.exit_code is None
    assert result.reason is not None
    assert result.reason.startswith(reason)
    assert result.command == recorded
    (started, completed) = _items(events)
    assert started[0] == "item.started"
    assert started[1].command == completed[1].command == recorded
    assert completed[0] == "item.completed"
    assert completed[1].status is vee.CommandExecutionStatus.failed
    assert completed[1].aggregated_output == f"[{result.reason}]"


@RUNNERS
def test_the_recorded_command_is_what_ran(make: Callable[[list[BaseModel]], Run]) -> None:
    events: list[BaseModel] = []
    run = make(events)
    as_list = run(["printf", "%s|", "a b", "c"])
    assert (as_list.command, as_list.output) == ("printf '%s|' 'a b' c", "a b|c|")
    split = run("printf '%s|'   'a b' c", shell=False)
    assert (split.command, split.output) == ("printf '%s|' 'a b' c", "a b|c|")
    shell = run("printf '%s|' $((1+2))")
    assert (shell.command, shell.output) == ("printf '%s|' $((1+2))", "3|")
    missing = run("definitely-not-a-command-vtcode")  # the shell runs it and says why
    assert missing.exit_code == 127
    assert missing.command == "definitely-not-a-command-vtcode"
    assert [item.command for _, item in _items(events)][-1] == "definitely-not-a-command-vtcode"


@RUNNERS
def test_a_list_with_shell_true_is_refused_before_any_event(
    make: Callable[[list[BaseModel]], Run], tmp_path: Any
) -> None:
    events: list[BaseModel] = []
    marker = tmp_path / "x"
    with pytest.raises(ValueError, match="shell=True takes the command as one string"):
        make(events)([f"touch {marker}"], shell=True)
    assert events == []
    assert not marker.exists()


def test_ids_are_unique_across_runners_of_a_process() -> None:
    events: list[BaseModel] = []
    results = [CommandRunner(events.append).run("true") for _ in range(3)]
    results.append(asyncio.run(AsyncCommandRunner(events.append).run("true")))
    ids = [r.item_id for r in results]
    assert len(set(ids)) == 4
    assert all(i.startswith("cmd-") for i in ids)
    assert {item.id for _, item in _items(events)} == set(ids)


@given(st.lists(st.text(max_size=40), max_size=30), st.integers(0, 200), st.integers(1, 100))
def test_output_keeps_what_a_string_would(chunks: list[str], limit: int, tail: int) -> None:
    whole = "".join(chunks)
    unbounded, bounded = Output(), Output(limit)
    for chunk in chunks:
        unbounded.append(chunk)
        bounded.append(chunk)
    assert unbounded.text() == whole
    assert unbounded.tail(tail) == whole[-tail:]
    kept = whole[-limit:] if limit else ""
    cut = len(whole) - len(kept)
    assert bounded.text() == (omitted(cut) + kept if cut else kept)
    assert bounded.held <= limit + 40


# A child that runs one command writing SIZE bytes of text through a JsonlEmitter and prints
# the output's size and the size of the events written for it.
LINEAR = """
import sys
from pathlib import Path
from vtcode_exec_events.emit import CommandRunner, JsonlEmitter

size, tmp = {size}, Path({tmp!r})
data = tmp / "data.txt"
line = b"test result: ok. 42 passed; 0 failed; finished in 0.12s\\n"
data.write_bytes((line * (size // len(line) + 1))[:size])
with JsonlEmitter(tmp / "events.jsonl", flush_every=None) as emitter:
    result = CommandRunner(emitter, update_bytes={update_bytes}).run(["cat", str(data)])
assert result.ok, result
assert len(result.output) == size
print(size, (tmp / "events.jsonl").stat().st_size)
"""


@pytest.mark.parametrize("update_bytes", [None, 1])
def test_events_cost_linear_in_the_output(tmp_path: Any, update_bytes: int | None) -> None:
    # 8 MB: with an update per read, the runner before issue 13 wrote ~60x this in events
    # (132x at 16 MB); now at most 3x + a constant, whatever the size.
    size = 8 * 1024 * 1024
    done = run_python(
        LINEAR.format(size=size, tmp=str(tmp_path), update_bytes=update_bytes), timeout=120
    )
    assert done.returncode == 0, done.stderr
    output, events = map(int, done.stdout.split())
    assert output == size
    assert events <= 3 * output + 64 * 1024


def test_updates_carry_a_bounded_tail_and_the_completion_everything() -> None:
    events: list[BaseModel] = []
    code = (
        "import sys, time\nfor i in range(4):\n    print('x' * 30000, flush=True); time.sleep(0.3)"
    )
    result = CommandRunner(events.append, update_interval=0.1, update_tail=5000).run(
        [PY, "-c", code]
    )
    updates = [item.aggregated_output for kind, item in _items(events) if kind == "item.updated"]
    assert len(updates) >= 2
    bodies = []
    for text in updates:
        marker, _, body = text.partition("\n")
        assert marker.startswith("[")
        assert marker.endswith(" earlier characters omitted]")
        # At most the tail; less when little arrived since the update before (a loaded
        # machine may read the output in small pieces).
        assert len(body) <= 5000
        assert body in result.output
        bodies.append(body)
    assert max(map(len, bodies)) == 5000
    assert result.output == ("x" * 30000 + "\n") * 4
    assert _items(events)[-1][1].aggregated_output == result.output


def test_max_output_cuts_the_completion_behind_the_marker() -> None:
    events: list[BaseModel] = []
    result = CommandRunner(events.append, max_output=10).run([PY, "-c", "print('a' * 100 + 'END')"])
    assert result.output == "[94 earlier characters omitted]\n" + "aaaaaa" + "END\n"
    assert _items(events)[-1][1].aggregated_output == result.output


# A sink that sleeps 3 s per event (or blocks forever), behind a sync runner (in a thread) and
# an async one at the same time: each command still stops at its 1 s timeout and each run()
# returns soon after; with the slow sink the events still arrive later, in order.
SLOW_SINK = """
import asyncio, threading, time, sys
from vtcode_exec_events.emit import AsyncCommandRunner, CommandRunner

forever = {forever}
def sink(got):
    def take(event):
        if forever:
            threading.Event().wait()
        time.sleep(3)
        got.append(event.type)
    return take

code = "import time\\nfor i in range(100):\\n print(i, flush=True); time.sleep(0.05)"
command = [sys.executable, "-c", code]
got = {{"sync": [], "async": []}}
runners = {{
    "sync": CommandRunner(sink(got["sync"]), update_interval=None, delivery_timeout=0.5),
    "async": AsyncCommandRunner(sink(got["async"]), update_interval=None, delivery_timeout=0.5),
}}
lines = {{}}

def report(kind, start, result):
    took = time.monotonic() - start
    lines[kind] = f"{{kind}} {{result.timed_out}} {{result.duration:.1f}} {{took < 2.5}}"

def sync():
    start = time.monotonic()
    report("sync", start, runners["sync"].run(command, timeout=1))

thread = threading.Thread(target=sync)
thread.start()
start = time.monotonic()
report("async", start, asyncio.run(runners["async"].run(command, timeout=1)))
thread.join()
print(lines["sync"])
print(lines["async"])
if not forever:
    for kind, runner in runners.items():
        runner.close(timeout=30)
        print(kind, *got[kind], runner.events.dropped)
"""


def test_a_slow_sink_does_not_stretch_the_timeout() -> None:
    done = run_python(SLOW_SINK.format(forever=False), timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for line in lines[:2]:
        _, timed_out, duration, quick = line.split()
        assert (timed_out, quick) == ("True", "True"), line
        assert 0.9 <= float(duration) <= 1.8, line
    assert lines[2:] == [
        "sync item.started item.completed 0",
        "async item.started item.completed 0",
    ]


def test_a_sink_that_blocks_forever_does_not_hang_the_producer() -> None:
    # The child ends too: at exit each runner's queue waits at most its delivery timeout.
    done = run_python(SLOW_SINK.format(forever=True), timeout=60)
    assert done.returncode == 0, done.stderr
    assert [line.split()[1::2] for line in done.stdout.splitlines()] == [["True", "True"]] * 2
    assert done.stderr.count("its sink has not taken") == 2
