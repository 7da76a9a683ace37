"""Hostile inputs end with a clear error or counted lines, in bounded memory and time.

Each case runs the real command in a subprocess whose address space is capped
(``RLIMIT_AS``) and whose run time is bounded by ``subprocess.run(timeout=...)``: a
reader that held an endless line, or a gzip bomb, would die of ``MemoryError`` (a
traceback, which the test rejects) or time out.
"""

from __future__ import annotations

import gzip
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

#: Address space for one run: the interpreter and its libraries take about 0.5 GiB of it.
LIMIT = 1 << 30
EXE = [sys.executable, "-c", "from vtcode_exec_events.cli import main; main()"]
LINE = b'{"type":"turn.started"}\n'


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def _run(
    *args: str, stdin: int | None = None, shell: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    command: list[str] | str = [*EXE, *args]
    if shell is not None:
        command = " ".join(f"'{a}'" for a in [*EXE, *args]) + shell
    result = subprocess.run(
        command,
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_capped,
        shell=shell is not None,
        executable="/bin/bash" if shell is not None else None,
    )
    assert "Traceback" not in result.stderr
    assert "MemoryError" not in result.stderr
    return result


def _report(result: subprocess.CompletedProcess[str]) -> dict[str, object]:
    report = json.loads(result.stdout)
    assert isinstance(report, dict)
    return report


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_dev_zero_ends_with_a_counted_line_and_an_error() -> None:
    result = _run("validate", "--format", "json", "--max-line-size", "1M", "/dev/zero")
    assert result.returncode == 2
    report = _report(result)
    (file,) = report["files"]  # type: ignore[misc]
    assert (file["lines"], file["invalid"]) == (1, 1)
    assert "without a newline" in file["error"]
    (error,) = report["errors"]  # type: ignore[misc]
    assert error["kind"] == "size"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_stdin_from_dev_zero_ends_too() -> None:
    with open("/dev/zero", "rb") as zero:
        result = _run(
            "validate", "--format", "json", "--max-line-size", "1M", "-", stdin=zero.fileno()
        )
    assert result.returncode == 2
    assert _report(result)["invalid"] == 1


@pytest.mark.parametrize(
    ("options", "mebibytes"),
    [
        (["--max-line-size", "1M"], 40),
        # The default line size (64 MiB): 1.1 GiB of zeros in about 1 MB, beyond 16 x 64 MiB.
        pytest.param(
            [],
            1100,
            marks=pytest.mark.skipif(
                not os.environ.get("VALIDATE_HOSTILE_FULL"),
                reason="1 GiB of gzip: nox -s hostile",
            ),
        ),
    ],
)
def test_gzip_bomb_ends_with_a_counted_line(
    tmp_path: Path, options: list[str], mebibytes: int
) -> None:
    bomb = tmp_path / "bomb.jsonl.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as f:
        f.write(LINE)
        block = bytes(1 << 20)
        for _ in range(mebibytes):
            f.write(block)
    result = _run("validate", "--format", "json", *options, str(bomb), timeout=300)
    assert result.returncode == 2
    report = _report(result)
    assert (report["lines"], report["valid"], report["invalid"]) == (2, 1, 1)
    assert [e["kind"] for e in report["errors"]] == ["size"]  # type: ignore[union-attr]


def test_oversize_lines_are_skipped_and_counted(tmp_path: Path) -> None:
    log = tmp_path / "big.jsonl"
    log.write_bytes(LINE + b"[" + b" " * (3 << 20) + b"]\n" + LINE + b"x" * (2 << 20))
    result = _run("validate", "--format", "json", "--max-line-size", "1MiB", str(log))
    assert result.returncode == 1
    report = _report(result)
    assert (report["lines"], report["valid"], report["invalid"]) == (4, 2, 2)
    errors = [(e["line"], e["kind"]) for e in report["errors"]]  # type: ignore[union-attr]
    assert errors == [(2, "size"), (4, "size")]


def test_gzip_of_newlines_is_counted_by_stats_in_flat_memory(tmp_path: Path) -> None:
    packed = tmp_path / "newlines.gz"
    packed.write_bytes(gzip.compress(b"\n" * 20_000, compresslevel=9))
    result = _run("stats", "--format", "json", "--max-examples", "3", str(packed))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert (report["lines"], report["invalid"]) == (20_000, 20_000)


def test_fifo_and_process_substitution_read_like_stdin(tmp_path: Path) -> None:
    packed = tmp_path / "log.jsonl.gz"
    packed.write_bytes(gzip.compress(LINE * 1000))
    for command in ("validate", "stats"):
        result = _run(command, "--format", "json", shell=f" <(zcat '{packed}')")
        assert result.returncode == 0, result.stderr
        assert _report(result)["lines"] == 1000
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["/bin/sh", "-c", f"cat '{packed}' > '{fifo}'"])
    try:
        result = _run("validate", "--format", "json", str(fifo))
    finally:
        writer.wait(timeout=30)
    assert result.returncode == 0, result.stderr
    assert _report(result)["lines"] == 1000


def test_truncated_gzip_stats_and_replay_report_what_they_read(tmp_path: Path) -> None:
    whole = gzip.compress(b"".join(LINE for _ in range(20_000)), compresslevel=1)
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    validated = _report(_run("validate", "--format", "json", str(cut)))
    stats = _run("stats", "--format", "json", str(cut))
    assert stats.returncode == 2
    assert "truncated gzip stream" in stats.stderr
    report = json.loads(stats.stdout)
    assert report["lines"] == validated["lines"] > 1000
    replay = _run("replay", "--format", "json", str(cut))
    assert replay.returncode == 2
    assert "truncated gzip stream" in replay.stderr
    assert len(replay.stdout.splitlines()) > 1000
