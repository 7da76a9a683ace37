"""Shared helpers for the events-table tests: corpora, the CLI in a bounded subprocess."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
#: ``vtcode-exec-events`` as this interpreter runs it (arguments follow).
COMMAND = [sys.executable, "-c", "from vtcode_exec_events.cli import main; main()"]
LOGS = ROOT / "examples" / "logs"
MALFORMED = ROOT / "tests" / "data" / "validate" / "malformed"
CORPUS = sorted([*LOGS.glob("*.jsonl"), *MALFORMED.glob("*.jsonl")])


def _limit(memory: int):  # type: ignore[no-untyped-def]
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return apply


def cli(
    *args: str,
    stdin: bytes | None = None,
    timeout: float = 120,
    memory: int = 3 << 30,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """``vtcode-exec-events ARGS`` in a subprocess bounded in time and address space."""
    return subprocess.run(
        [*COMMAND, *args],
        input=stdin,
        capture_output=True,
        timeout=timeout,
        preexec_fn=_limit(memory),
        cwd=cwd,
        env={**os.environ, **(env or {})},
        check=False,
    )


def spawn(*args: str, stdout: Any, memory: int = 2 << 30) -> subprocess.Popen[bytes]:
    """``vtcode-exec-events ARGS`` started in a subprocess capped in address space, its
    standard output ``stdout``, its standard error a pipe (use it as a context manager)."""
    return subprocess.Popen(
        [*COMMAND, *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        preexec_fn=_limit(memory),
    )


#: ``--max-line-size`` for :func:`flags_log` (its over-long lines are longer).
SMALL_MAX_LINE = "4K"


def flags_log() -> bytes:
    """A log for the flags: lines over 4 KiB (valid JSON, garbage, the last without a
    newline), lines with several schema errors, a warning, valid lines around them."""
    lines = (LOGS / "exec.jsonl").read_bytes().splitlines()
    long_valid = (
        b'{"type":"item.completed","item":{"id":"m1","type":"agent_message","text":"'
        + b"x" * 6000
        + b'"}}'
    )
    multi = (
        b'{"type":"item.completed","item":{"id":7,"type":"command_execution",'
        b'"command":["x"],"exit_code":"1","status":3}}'
    )
    picked = [*lines[:5], long_valid, multi, *lines[5:9], b"y" * 9000, multi, *lines[9:]]
    return b"\n".join([*picked, b"z" * 5000])
