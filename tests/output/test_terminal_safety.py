"""No string from a log or a file name reaches the terminal raw: validate, stats, replay,
every text format, piped and on a pseudo-terminal (rich output)."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from tests.output.hostile import ATTACK, FILE_NAME, leaks, write_log

CLI = [sys.executable, "-m", "vtcode_exec_events"]
#: The hostile strings, made visible (or JSON-escaped in a quoted value): shown, not dropped.
SHOWN = ["\\e]0;owned\\x07", "\\e]0;title\\x07", "\\u001b]0;owned"]

PIPED = [
    ["validate", "--all-errors"],
    ["validate", "--quiet"],
    ["validate", "--format", "github"],
    ["validate", "--format", "junit"],
    ["validate", "--format", "sarif"],
    ["stats"],
    ["replay", "--width", "0", "--updates"],
]


def _run(args: list[str], path: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*CLI, *args, str(path)], capture_output=True, timeout=120, cwd=path.parent
    )


@pytest.mark.parametrize("args", PIPED, ids=" ".join)
def test_piped_output_has_no_control_character(args: list[str], tmp_path: Path) -> None:
    path = write_log(tmp_path)
    done = _run(args, path)
    assert done.returncode == 1, done.stderr
    out = done.stdout.decode("utf-8")
    assert leaks(out) == []
    assert leaks(done.stderr.decode("utf-8")) == []
    assert any(s in out for s in SHOWN), out[:2000]


def test_the_markup_in_a_log_is_shown_as_written(tmp_path: Path) -> None:
    out = _run(["replay", "--width", "0"], write_log(tmp_path)).stdout.decode()
    assert "[bold red]markup[/]" in out


def test_validate_json_keeps_the_exact_file_name(tmp_path: Path) -> None:
    path = write_log(tmp_path)
    report = json.loads(_run(["validate", "--format", "json"], path).stdout)
    assert [f["path"] for f in report["files"]] == [str(path)]
    assert {e["file"] for e in report["errors"]} == {str(path)}


def test_stats_json_keeps_the_exact_strings(tmp_path: Path) -> None:
    report = json.loads(_run(["stats", "--format", "json"], write_log(tmp_path)).stdout)
    assert report["events"]["future." + ATTACK] == 1
    assert report["files"][0]["path"].endswith(FILE_NAME)


def _on_terminal(args: list[str], path: Path) -> tuple[int, str]:
    """Run with standard output and error on a pseudo-terminal; what the terminal got."""
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "160", "LINES": "50"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [*CLI, *args, str(path)],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        cwd=path.parent,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            proc.kill()
            pytest.fail("no output for 60 s")
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8")


@pytest.mark.parametrize(
    "args", [["validate"], ["stats"], ["replay", "--width", "0"]], ids=" ".join
)
def test_terminal_output_has_no_control_character_from_the_log(
    args: list[str], tmp_path: Path
) -> None:
    path = write_log(tmp_path)
    code, out = _on_terminal(args, path)
    assert code == 1, out
    assert leaks(out, terminal=True) == []
    assert "\x1b[" in out or args[0] == "validate"  # rich did draw in colour
    assert any(s in out for s in SHOWN), out[:2000]


@pytest.mark.parametrize("command", ["validate", "stats", "replay"])
def test_a_missing_file_with_a_hostile_name_is_named_safely(command: str, tmp_path: Path) -> None:
    done = _run([command], tmp_path / FILE_NAME)
    assert done.returncode == 2
    both = (done.stdout + done.stderr).decode("utf-8")
    assert "log\\e]0;title\\x07\\e[2J\\u202e.jsonl" in both
    assert leaks(both) == []
