"""The command runners on real subprocesses: events, ids, throttling, failures, asyncio."""

from __future__ import annotations

import asyncio
import itertools
import re
import sys
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from pydantic import BaseModel

import vtcode_exec_events as vee
from vtcode_exec_events.emit import (
    AsyncCommandRunner,
    CommandFailedError,
    CommandResult,
    CommandRunner,
)

PY = sys.executable
Run = Callable[..., CommandResult]


class Recorder:
    """Collects events and checks each one survives the writer and the parser."""

    def __init__(self) -> None:
        self.events: list[BaseModel] = []

    def __call__(self, event: BaseModel) -> None:
        line = vee.dumps(event)
        assert vee.dumps(vee.parse_line(line).event) == line
        self.events.append(event)

    def items(self) -> list[tuple[str, Any]]:
        return [(e.type, e.item.root) for e in self.events]  # type: ignore[attr-defined]


def _sync(recorder: Recorder, **options: Any) -> Run:
    return CommandRunner(recorder, **options).run


def _async(recorder: Recorder, **options: Any) -> Run:
    runner = AsyncCommandRunner(recorder, **options)

    def run(*args: Any, **kwargs: Any) -> CommandResult:
        coroutine: Awaitable[CommandResult] = runner.run(*args, **kwargs)
        return asyncio.run(coroutine)  # type: ignore[arg-type]

    return run


@pytest.fixture(params=[_sync, _async], ids=["sync", "async"])
def make(request: pytest.FixtureRequest) -> Callable[..., tuple[Recorder, Run]]:
    def build(**options: Any) -> tuple[Recorder, Run]:
        recorder = Recorder()
        return recorder, request.param(recorder, **options)

    return build


def test_a_successful_command(make: Callable[..., tuple[Recorder, Run]]) -> None:
    recorder, run = make()
    result = run([PY, "-c", "import sys; print('out'); print('err', file=sys.stderr)"])
    assert result.ok
    assert result.exit_code == 0
    assert result.reason is None
    assert sorted(result.output.splitlines()) == ["err", "out"]  # merged; order is the OS's
    (first, *_, last) = recorder.items()
    assert first[0] == "item.started"
    assert re.fullmatch(r"cmd-[0-9]+", result.item_id)
    assert first[1].id == result.item_id
    assert first[1].status is vee.CommandExecutionStatus.in_progress
    assert first[1].aggregated_output == ""
    assert first[1].exit_code is None
    assert last[0] == "item.completed"
    assert (last[1].id, last[1].exit_code) == (result.item_id, 0)
    assert last[1].status is vee.CommandExecutionStatus.completed
    assert last[1].aggregated_output == result.output


def test_ids_are_stable_and_the_prefix_configurable(
    make: Callable[..., tuple[Recorder, Run]],
) -> None:
    prefix = f"item{uuid.uuid4().hex}_"  # a sequence no other runner of the process uses
    recorder, run = make(id_prefix=prefix, first_id=7)
    run("true")
    run("true", arguments={"command": "true"})
    ids = [(kind, item.id) for kind, item in recorder.items()]
    assert ids == [
        ("item.started", f"{prefix}7"),
        ("item.completed", f"{prefix}7"),
        ("item.started", f"{prefix}8"),
        ("item.completed", f"{prefix}8"),
    ]
    assert recorder.items()[-1][1].arguments == {"command": "true"}
    assert recorder.items()[-1][1].command == "true"


def test_a_failing_command_is_a_failed_item_with_its_exit_code(
    make: Callable[..., tuple[Recorder, Run]],
) -> None:
    recorder, run = make()
    result = run("echo broken; exit 3")
    assert (result.status, result.exit_code, result.reason) == (
        vee.CommandExecutionStatus.failed,
        3,
        "exit code 3",
    )
    kind, item = recorder.items()[-1]
    assert kind == "item.completed"
    assert (item.status, item.exit_code, item.aggregated_output) == (
        vee.CommandExecutionStatus.failed,
        3,
        "broken\n",
    )


def test_a_command_that_cannot_start(make: Callable[..., tuple[Recorder, Run]]) -> None:
    recorder, run = make()
    result = run(["/nonexistent/definitely-not-a-command", "x"])
    assert not result.ok
    assert result.exit_code is None
    assert result.reason is not None
    assert result.reason.startswith("failed to start: ")
    assert "No such file or directory" in result.reason
    (started, completed) = recorder.items()
    assert started[0] == "item.started"
    assert completed[0] == "item.completed"
    assert completed[1].status is vee.CommandExecutionStatus.failed
    assert completed[1].exit_code is None
    assert completed[1].aggregated_output == f"[{result.reason}]"
    missing_dir = run("true", cwd="/nonexistent/dir")
    assert missing_dir.reason is not None
    assert "failed to start" in missing_dir.reason


def test_a_timeout_kills_the_command(make: Callable[..., tuple[Recorder, Run]]) -> None:
    recorder, run = make()
    result = run(f"echo started; exec {PY} -c 'import time; time.sleep(30)'", timeout=0.5)
    assert result.timed_out
    assert result.exit_code is None
    assert result.reason == "timed out after 0.5 s"
    assert result.duration < 10
    assert result.output == "started\n[timed out after 0.5 s]"
    kind, item = recorder.items()[-1]
    assert (kind, item.status) == ("item.completed", vee.CommandExecutionStatus.failed)
    assert item.aggregated_output == result.output


def test_a_timeout_also_stops_children_of_a_shell(
    make: Callable[..., tuple[Recorder, Run]],
) -> None:
    _, run = make(terminate_grace=0.2)
    result = run("sleep 30 & sleep 30; wait", timeout=0.3)
    assert result.timed_out
    assert result.duration < 5


def test_a_killed_command(make: Callable[..., tuple[Recorder, Run]]) -> None:
    recorder, run = make()
    result = run([PY, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"])
    assert (result.exit_code, result.reason, result.output) == (
        None,
        "killed by SIGKILL",
        "[killed by SIGKILL]",
    )
    assert recorder.items()[-1][1].status is vee.CommandExecutionStatus.failed


def test_check_raises_after_the_events(make: Callable[..., tuple[Recorder, Run]]) -> None:
    recorder, run = make(check=True)
    with pytest.raises(CommandFailedError, match="exit code 4") as info:
        run("exit 4")
    assert info.value.result.exit_code == 4
    assert [kind for kind, _ in recorder.items()] == ["item.started", "item.completed"]
    assert run("exit 0", check=False).ok
    assert not run("exit 5", check=False).ok


CHATTY = "import sys\nfor i in range(20000): print('line', i)\nsys.stdout.flush()"


def test_a_chatty_command_does_not_flood_the_stream(
    make: Callable[..., tuple[Recorder, Run]],
) -> None:
    recorder, run = make(update_interval=30.0)
    result = run([PY, "-c", CHATTY])
    assert result.ok
    assert result.output.count("\n") == 20000
    kinds = [kind for kind, _ in recorder.items()]
    assert kinds.count("item.updated") <= 1
    assert kinds[0] == "item.started"
    assert kinds[-1] == "item.completed"


def test_updates_carry_the_output_so_far_and_it_only_grows(
    make: Callable[..., tuple[Recorder, Run]],
) -> None:
    recorder, run = make(update_interval=None, update_bytes=1)
    code = "import time\nfor i in range(3):\n    print(i, flush=True)\n    time.sleep(0.25)"
    result = run([PY, "-c", code])
    updates = [item.aggregated_output for kind, item in recorder.items() if kind == "item.updated"]
    assert len(updates) >= 2
    assert updates[-1] == result.output == "0\n1\n2\n"
    for before, after in itertools.pairwise(updates):
        assert after.startswith(before)
        assert len(after) > len(before)
    assert all(
        item.status is vee.CommandExecutionStatus.in_progress and item.exit_code is None
        for kind, item in recorder.items()
        if kind == "item.updated"
    )


def test_pending_output_is_sent_when_the_interval_ends(
    make: Callable[..., tuple[Recorder, Run]],
) -> None:
    recorder, run = make(update_interval=0.1)
    run([PY, "-c", "import time; print('early', flush=True); time.sleep(1.0)"])
    updates = [item.aggregated_output for kind, item in recorder.items() if kind == "item.updated"]
    assert updates == ["early\n"]


def test_input_and_max_output(make: Callable[..., tuple[Recorder, Run]]) -> None:
    _, run = make(max_output=4)
    result = run(
        [PY, "-c", "import sys; sys.stdout.write(sys.stdin.read().upper())"], input="abcdef"
    )
    assert result.output == "[2 earlier characters omitted]\nCDEF"


def test_a_failing_emitter_never_breaks_the_run() -> None:
    def broken(event: BaseModel) -> None:
        raise RuntimeError("sink down")

    result = CommandRunner(broken).run("echo fine")
    assert result.ok
    assert result.output == "fine\n"


def test_undecodable_output_is_replaced_not_fatal(
    make: Callable[..., tuple[Recorder, Run]],
) -> None:
    _, run = make()
    result = run([PY, "-c", "import sys; sys.stdout.buffer.write(b'ok \\xff\\xfe end')"])
    assert result.output == "ok \ufffd\ufffd end"


def test_cancelling_the_async_run_stops_the_command_and_completes_the_item() -> None:
    recorder = Recorder()
    runner = AsyncCommandRunner(recorder, terminate_grace=0.2)

    async def main() -> None:
        task = asyncio.ensure_future(runner.run([PY, "-c", "import time; time.sleep(30)"]))
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    kind, item = recorder.items()[-1]
    assert kind == "item.completed"
    assert item.status is vee.CommandExecutionStatus.failed
    assert item.aggregated_output == "[cancelled]"


def test_async_runs_in_parallel_keep_distinct_ids() -> None:
    recorder = Recorder()
    runner = AsyncCommandRunner(recorder)

    async def main() -> list[CommandResult]:
        return await asyncio.gather(*(runner.run(f"echo {n}") for n in range(4)))

    results = asyncio.run(main())
    numbers = sorted(int(r.item_id.removeprefix("cmd-")) for r in results)
    assert numbers == list(range(numbers[0], numbers[0] + 4))
    for result in results:
        completed = [
            item
            for kind, item in recorder.items()
            if kind == "item.completed" and item.id == result.item_id
        ]
        assert [c.aggregated_output for c in completed] == [result.output]
