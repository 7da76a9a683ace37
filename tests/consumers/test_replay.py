"""``replay``: the ordered timeline of a session, with item lifecycles, outcomes and usage."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.consumers.conftest import EXAMPLES, LOGS, ROOT, golden, run
from vtcode_exec_events.consumers import timeline as replay_module
from vtcode_exec_events.consumers.reader import parse
from vtcode_exec_events.consumers.timeline import format_ms

LOGS_AND_EXAMPLES = sorted(
    [LOGS / p.name for p in (ROOT / LOGS).glob("*.jsonl")]
    + [EXAMPLES / p.name for p in (ROOT / EXAMPLES).glob("*.jsonl")]
)


@pytest.mark.parametrize("log", LOGS_AND_EXAMPLES, ids=lambda p: p.name)
def test_timeline_matches_golden(log: object) -> None:
    result = run("replay", str(log))
    golden(f"{log.name}.replay.txt", result.output)  # type: ignore[attr-defined]
    assert result.exit_code == (1 if log.name.startswith(("invalid", "bare-0.1.0")) else 0)  # type: ignore[attr-defined]


def test_updates_are_folded_unless_asked_for() -> None:
    folded = run("replay", str(EXAMPLES / "exec.jsonl")).output
    assert "updated" not in folded
    assert "npm test -> exit 1 (3 output lines) [failed] (started line 5, 2 updates)" in folded
    listed = run("replay", str(EXAMPLES / "exec.jsonl"), "--updates").output
    assert listed.count("command_execution item_1 updated") == 2


def test_json_entries_one_per_line() -> None:
    result = run("replay", str(EXAMPLES / "session.jsonl"), "--format", "json")
    entries = [json.loads(line) for line in result.output.splitlines()]
    assert entries[0] == {
        "file": str(EXAMPLES / "session.jsonl"),
        "line": 1,
        "depth": 0,
        "event": "thread.started",
        "status": "info",
        "turn": None,
        "item_id": None,
        "item_type": None,
        "text": "thread thread-7f3a started [schema 0.11.0]",
    }
    failed = [(e["line"], e["item_id"]) for e in entries if e["status"] == "failed"]
    assert failed == [(6, "item_1"), (26, "item_9")]
    assert {e["turn"] for e in entries if e["depth"] == 2} == {1, 2}


def test_width_cuts_quoted_text() -> None:
    out = run("replay", str(EXAMPLES / "session.jsonl"), "--width", "12").output
    assert "agent_message item_5: Fixed the e…" in out
    assert (
        "Fixed the empty-input case"
        in run("replay", str(EXAMPLES / "session.jsonl"), "--width", "0").output
    )


def test_open_items_and_turns_are_reported_at_the_end() -> None:
    out = run("replay", str(LOGS / "every-version.jsonl")).output
    assert "command_execution item_9 never completed (started line 23)" in out
    assert "turn 4 never completed" in out


@pytest.mark.parametrize(
    ("ms", "text"), [(0, "0 ms"), (999, "999 ms"), (1834, "1.8 s"), (125_000, "2 min 5 s")]
)
def test_durations_read_naturally(ms: int, text: str) -> None:
    assert format_ms(ms) == text


def test_a_reader_that_leaves_early_gets_no_traceback(tmp_path: Path) -> None:
    log = tmp_path / "long.jsonl"
    log.write_bytes((ROOT / EXAMPLES / "session.jsonl").read_bytes() * 500)
    cli = Path(sys.executable).parent / "vtcode-exec-events"
    process = subprocess.Popen(
        [str(cli), "replay", str(log)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith(b"     1 ")
    process.stdout.close()
    _, stderr = process.communicate(timeout=60)
    assert (process.returncode, stderr) == (1, b"")


def test_items_left_open_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replay_module, "MAX_OPEN_ITEMS", 3)
    lines = [parse(b'{"type":"thread.started","thread_id":"t"}', "f", 1)] + [
        parse(
            b'{"type":"item.started","item":{"id":"c' + str(n).encode() + b'",'
            b'"type":"command_execution","command":"sleep","status":"in_progress"}}',
            "f",
            n + 2,
        )
        for n in range(5)
    ]
    texts = [e.text for e in replay_module.replay(lines)][-4:]
    assert texts == [
        "command_execution c2 never completed (started line 4)",
        "command_execution c3 never completed (started line 5)",
        "command_execution c4 never completed (started line 6)",
        "2 more items never completed (more than 3 open at once)",
    ]


def test_items_open_at_the_end_of_their_turn_are_reported_there() -> None:
    raw = [
        b'{"type":"turn.started"}',
        b'{"type":"item.started","item":{"id":"c1","type":"command_execution",'
        b'"command":"make","status":"in_progress"}}',
        b'{"type":"turn.failed","message":"interrupted"}',
        b'{"type":"turn.started"}',
    ]
    lines = [parse(r, "f", n) for n, r in enumerate(raw, 1)]
    assert [(e.line, e.text) for e in replay_module.replay(lines)] == [
        (1, "turn 1 started"),
        (2, "command_execution c1 started: make [in_progress]"),
        (3, "command_execution c1 never completed (started line 2)"),
        (3, "turn 1 failed: interrupted"),
        (4, "turn 2 started"),
        (4, "turn 2 never completed"),
    ]


def test_each_file_is_closed_before_the_next() -> None:
    started = b'{"type":"thread.started","thread_id":"t"}'
    lines = [parse(started, "a", 1), parse(b'{"type":"turn.started"}', "a", 2)]
    lines.append(parse(started, "b", 1))
    entries = [(e.file, e.line, e.text) for e in replay_module.replay(lines)]
    assert entries[2] == ("a", 2, "turn 1 never completed")
    assert entries[3][:2] == ("b", 1)
