"""Emit a realistic VT Code thread as JSONL on stdout, from a mock agent.

Run: ``python examples/emit_json.py`` (bare lines, as ``vtcode exec --json`` prints them) or
``python examples/emit_json.py --envelope`` (the session store's versioned envelope). The
command in the middle really runs, through ``CommandRunner``; pass ``--no-run`` to simulate
it instead (the output is then the same on every machine).
"""

from __future__ import annotations

import argparse
import sys

import vtcode_exec_events as vee
from vtcode_exec_events.emit import (
    CommandRunner,
    EventEmitter,
    JsonlEmitter,
    item_completed,
    item_started,
    item_updated,
)


def mock_thread(emit: EventEmitter, *, run_command: bool) -> None:
    """One thread, one turn: reasoning, a shell command, a file change, an answer."""
    emit(vee.ThreadStartedEvent(thread_id="thread-demo"))
    emit(vee.TurnStartedEvent())
    emit(
        item_completed(
            vee.ReasoningItem(id="item_0", text="The user wants the tests run.", stage="analysis")
        )
    )
    command = "echo 'running 3 tests'; echo 'test result: ok. 3 passed'"
    if run_command:
        CommandRunner(emit, id_prefix="item_", first_id=1).run(command)
    else:
        running = vee.CommandExecutionItem(id="item_1", command=command, status="in_progress")
        emit(item_started(running))
        running.aggregated_output = "running 3 tests\n"
        emit(item_updated(running))
        output = running.aggregated_output + "test result: ok. 3 passed\n"
        done = vee.CommandExecutionItem(
            id="item_1", command=command, aggregated_output=output, exit_code=0, status="completed"
        )
        emit(item_completed(done))
    emit(
        item_completed(
            vee.FileChangeItem(
                id="item_2",
                changes=[vee.FileUpdateChange(path="CHANGELOG.md", kind="update")],
                status="completed",
            )
        )
    )
    emit(item_completed(vee.AgentMessageItem(id="item_3", text="All 3 tests pass.")))
    usage = vee.Usage(
        input_tokens=1200, cached_input_tokens=800, cache_creation_tokens=100, output_tokens=150
    )
    emit(vee.TurnCompletedEvent(usage=usage))
    emit(
        vee.ThreadCompletedEvent(
            thread_id="thread-demo",
            session_id="session-demo",
            subtype="success",
            outcome_code="completed",
            result="All 3 tests pass.",
            usage=usage,
            total_cost_usd=0.0125,
            num_turns=1,
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--envelope", action="store_true", help="write versioned envelopes")
    parser.add_argument("--no-run", action="store_true", help="simulate the shell command")
    args = parser.parse_args(argv)
    with JsonlEmitter(sys.stdout, envelope=args.envelope) as emitter:
        mock_thread(emitter, run_command=not args.no_run)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
