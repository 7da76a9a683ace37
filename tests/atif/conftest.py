"""Helpers for the ATIF tests: data, a builder fed at fixed times, a bounded CLI subprocess."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from vtcode_exec_events.atif import AtifBuilder
from vtcode_exec_events.cli import main

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "atif"
EXAMPLES = ROOT / "examples" / "logs"
#: Event n of a case is processed at BASE + n seconds (as the crate oracle does).
BASE = datetime(2025, 1, 15, 10, 30, tzinfo=timezone.utc)
UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


def crate_cases() -> list[dict[str, Any]]:
    """The crate's own outputs for each rule (tests/data/atif/crate_rules.json)."""
    cases: list[dict[str, Any]] = json.loads((DATA / "crate_rules.json").read_text("utf-8"))[
        "cases"
    ]
    return cases


def build(events: Iterable[Any], **options: Any) -> AtifBuilder:
    """A builder fed ``events``, event n at ``BASE + n`` seconds."""
    builder = AtifBuilder(**options)
    for n, event in enumerate(events):
        builder(event, at=BASE + timedelta(seconds=n))
    return builder


@dataclass(frozen=True)
class Ran:
    code: int
    out: bytes
    err: str


def _limits(memory: int) -> Any:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return apply


def run_cli(
    *args: str,
    stdin: bytes | None = None,
    timeout: float = 60,
    memory: int = 2 << 30,
    cwd: Path | None = None,
) -> Ran:
    """The CLI in a fresh process, bounded in time (``timeout``) and address space."""
    command = [sys.executable, "-c", "from vtcode_exec_events.cli import main; main()", *args]
    try:
        done = subprocess.run(
            command,
            input=stdin if stdin is not None else b"",
            capture_output=True,
            timeout=timeout,
            preexec_fn=_limits(memory),
            cwd=cwd or ROOT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"atif {' '.join(args)[:200]} ran longer than {timeout} s")
    return Ran(done.returncode, done.stdout, done.stderr.decode("utf-8", "replace"))


def invoke(*args: str, stdin: bytes | None = None) -> Ran:
    """The CLI in this process (for outputs; hostile inputs and exit codes use ``run_cli``)."""
    done = CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)
    return Ran(done.exit_code, done.stdout_bytes, done.stderr)
