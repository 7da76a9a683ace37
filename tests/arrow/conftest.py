"""Shared helpers for the events-table tests: corpora, the CLI in a bounded subprocess."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
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
        [sys.executable, "-c", "from vtcode_exec_events.cli import main; main()", *args],
        input=stdin,
        capture_output=True,
        timeout=timeout,
        preexec_fn=_limit(memory),
        cwd=cwd,
        env={**os.environ, **(env or {})},
        check=False,
    )
