"""examples/ingest_log.py prints command success metrics from logs of any version."""

from __future__ import annotations

import subprocess
import sys

from tests.consumers.conftest import EXAMPLES, LOGS, ROOT


def _run(*logs: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "examples/ingest_log.py", *logs],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_metrics_of_the_sample_logs() -> None:
    result = _run(str(EXAMPLES / "session.jsonl"), str(EXAMPLES / "exec.jsonl"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "# completed commands\n"
        "cargo test => status=failed exit_code=101\n"
        "cargo test => status=completed exit_code=0\n"
        "git status --short => status=completed exit_code=0\n"
        "npm test => status=failed exit_code=1\n"
        "# command success metrics\n"
        "commands: 4, succeeded: 2, success rate: 50.0%\n"
        "exit codes: 0: 2, 101: 1, 1: 1\n"
        "  cargo test: 1/2 succeeded\n"
        "  git status --short: 1/1 succeeded\n"
        "  npm test: 0/1 succeeded\n"
    )


def test_enveloped_lines_of_every_version_parse() -> None:
    result = _run(str(LOGS / "every-version.jsonl"))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.endswith("# command success metrics\nno completed commands\n")


def test_bad_lines_are_named_and_counted() -> None:
    result = _run(str(LOGS / "invalid-lines.jsonl"))
    assert result.returncode == 1
    assert "invalid lines: 6 (see standard error)" in result.stdout
    assert f'{LOGS / "invalid-lines.jsonl"}:5: "thread_id" is a required property' in result.stderr


def test_missing_file_exits_2() -> None:
    result = _run("no-such.jsonl")
    assert result.returncode == 2
    assert "error: cannot read no-such.jsonl" in result.stderr
