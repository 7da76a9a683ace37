"""stats and replay show progress on standard error, only when it is a terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "vtcode_exec_events"]
LOG = Path(__file__).resolve().parents[2] / "examples" / "logs" / "session.jsonl"


def _stderr_on_terminal(args: list[str]) -> tuple[int, bytes, str]:
    """Run with standard error on a pseudo-terminal: exit code, stdout, what the terminal got."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [*CLI, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=follower,
        env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "120"},
    )
    os.close(follower)
    assert proc.stdout is not None
    out = proc.stdout.read()
    proc.stdout.close()
    code = proc.wait(timeout=120)
    chunks = []
    while select.select([leader], [], [], 1)[0]:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    return code, out, b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize(("command", "word"), [("stats", "reading"), ("replay", "replaying")])
def test_progress_on_a_terminal(command: str, word: str) -> None:
    code, out, terminal = _stderr_on_terminal([command, "--progress", str(LOG)])
    assert code == 0
    assert word in terminal
    # The report itself is unchanged by the progress display.
    plain = subprocess.run([*CLI, command, str(LOG)], capture_output=True, timeout=120)
    assert out == plain.stdout
    assert plain.stderr == b""


def test_no_progress_for_a_small_log_by_default() -> None:
    code, _, terminal = _stderr_on_terminal(["stats", str(LOG)])
    assert (code, terminal) == (0, "")
