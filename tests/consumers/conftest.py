"""Helpers for the consumer-tool tests: data paths, a CLI runner and golden files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from vtcode_exec_events.cli import main

ROOT = Path(__file__).resolve().parents[2]
# Paths relative to the repository root (the tests run there), so reports quote them portably.
DATA = Path("tests", "data", "consumers")
LOGS = DATA / "logs"
EXPECTED = ROOT / DATA / "expected"
EXAMPLES = Path("examples", "logs")


@pytest.fixture(autouse=True)
def _at_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


#: Set to 1 to rewrite the golden files from the current output (then review the diff).
UPDATE = os.environ.get("VTCODE_UPDATE_GOLDEN") == "1"


def run(*args: str, stdin: bytes | None = None) -> Result:
    """Run the CLI in-process; standard output is not a terminal, so text is plain."""
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def golden(name: str, actual: str) -> None:
    """Compare ``actual`` with ``tests/data/consumers/expected/<name>``."""
    path = EXPECTED / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    if not path.exists():
        pytest.fail(f"missing golden file {path}; run with VTCODE_UPDATE_GOLDEN=1 and review it")
    assert actual == path.read_text(encoding="utf-8")
