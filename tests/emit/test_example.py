"""``examples/emit_json.py`` prints a valid, realistic thread."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import vtcode_exec_events as vee

from .conftest import DATA

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "emit_json.py"


def _run(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), *args], capture_output=True, text=True, check=True
    )
    assert done.stderr == ""
    return done.stdout.splitlines()


def test_simulated_thread_is_the_golden_file() -> None:
    expected = (DATA / "emit" / "emit_json.no-run.jsonl").read_text(encoding="utf-8")
    assert _run("--no-run") == expected.splitlines()


def test_real_command_run_gives_the_same_sequence_of_events() -> None:
    lines = _run()
    events = [vee.parse_line(line) for line in lines]
    assert all(not parsed.enveloped for parsed in events)
    types = [parsed.event.type for parsed in events]  # type: ignore[attr-defined]
    assert types[:4] == ["thread.started", "turn.started", "item.completed", "item.started"]
    assert types[-5:] == [
        "item.completed",
        "item.completed",
        "item.completed",
        "turn.completed",
        "thread.completed",
    ]
    items = [p.event.item.root for p in events if p.event.type.startswith("item.")]  # type: ignore[attr-defined]
    command = [item for item in items if item.id == "item_1"]
    assert [item.type for item in command] == ["command_execution"] * len(command)
    assert command[0].status is vee.CommandExecutionStatus.in_progress
    assert command[-1].status is vee.CommandExecutionStatus.completed
    assert command[-1].exit_code == 0
    assert command[-1].aggregated_output == "running 3 tests\ntest result: ok. 3 passed\n"


def test_envelope_mode_stamps_every_line() -> None:
    lines = _run("--no-run", "--envelope")
    assert all(vee.parse_line(line).schema_version == vee.EVENT_SCHEMA_VERSION for line in lines)
    assert len(lines) == len(_run("--no-run"))
