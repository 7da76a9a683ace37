"""Shared helpers for the Agent Trace tests: a real git work tree and the CLI in a subprocess."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "trace"
CLI = "from vtcode_exec_events.cli import main; main()"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo,
        capture_output=True,
        check=True,
        text=True,
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git work tree with one commit: a.txt (5 lines), gone.txt, keep.txt."""
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "-q", "-b", "main")
    (work / "a.txt").write_text("one\ntwo\nthree\nfour\nfive\n")
    (work / "gone.txt").write_text("bye\n")
    (work / "keep.txt").write_text("same\n")
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "base")
    return work


def events_log(
    path: Path, thread_id: str, changes: Sequence[tuple[str, str]], *, status: str = "completed"
) -> Path:
    lines: list[dict[str, Any]] = [
        {"type": "thread.started", "thread_id": thread_id},
        {"type": "turn.started"},
        {
            "type": "item.completed",
            "item": {
                "id": "fc-1",
                "type": "file_change",
                "changes": [{"path": p, "kind": k} for p, k in changes],
                "status": status,
            },
        },
    ]
    path.write_text("".join(json.dumps(e) + "\n" for e in lines))
    return path


def run_cli(
    *args: str,
    cwd: Path | None = None,
    input: bytes | None = None,
    timeout: float = 60,
    memory: int = 1 << 30,
) -> subprocess.CompletedProcess[bytes]:
    """The CLI in a fresh process, with an address-space cap and a deadline."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-c", CLI, *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        timeout=timeout,
        check=False,
        preexec_fn=limit,
    )


Runner = Callable[..., "subprocess.CompletedProcess[bytes]"]
