"""export's new flags against hostile inputs: escaped names, endless lines, bounded runs.

Every run is the real command in a subprocess capped in address space and time
(:func:`tests.arrow.conftest.cli`); a traceback or a raw control byte on stderr fails.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.arrow.conftest import LOGS, cli, spawn
from vtcode_exec_events.text import visible

pytest.importorskip("pyarrow")

#: A file name that would set the terminal's title, clear it, ring it and rewrite a line.
NAME = "log\x1b]0;pwn\x07\x1b[2J\x07\rx.jsonl"
RAW = (b"\x1b", b"\x07", b"\r")
LOG = b'{"type":"turn.started"}\n{"type":"nope"}\n{"type":"turn.started","x":\n'
#: export's message for a line that never ends (16 times --max-line-size, as validate's).
ENDLESS = (
    "a line runs on for more than 16781312 bytes without a newline "
    "(16 times the maximum line size): stopped reading"
)


def _no_raw_controls(data: bytes) -> None:
    assert b"Traceback" not in data
    for byte in RAW:
        assert byte not in data, data


def test_export_escapes_file_names_on_stderr(tmp_path: Path) -> None:
    log = tmp_path / NAME
    log.write_bytes(LOG)
    missing = tmp_path / ("gone\x1b[2J\r.jsonl")
    out = tmp_path / "out\x1b]0;pwn\x07.parquet"
    result = cli(
        "export", "--max-line-size", "1K", "--all-errors", "-o", str(out), str(log), str(missing)
    )
    _no_raw_controls(result.stderr)
    assert result.returncode == 2
    assert result.stderr.decode() == (
        f"vtcode-exec-events: error: {visible(str(missing))}: no such file\n"
        f"3 lines (1 invalid) from 1 files -> {visible(str(out))}\n"
    )
    assert out.is_file()


def test_validate_escapes_file_names(tmp_path: Path) -> None:
    log = tmp_path / NAME
    log.write_bytes(LOG)
    missing = tmp_path / ("gone\x1b[2J\r.jsonl")
    result = cli("validate", "--all-errors", "--max-line-size", "1K", str(log), str(missing))
    assert result.returncode == 2  # an unreadable input
    _no_raw_controls(result.stdout)
    _no_raw_controls(result.stderr)
    shown = visible(str(log)).encode()
    assert result.stdout.count(shown + b":") == 2  # the warning on line 2, the error on line 3
    assert visible(str(missing)).encode() + b": error: no such file\n" in result.stdout


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_export_of_dev_zero_ends_with_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "zero.parquet"
    result = cli(
        "export", "--max-line-size", "1M", "-o", str(out), "/dev/zero", memory=1 << 30, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.decode() == (
        f"vtcode-exec-events: error: /dev/zero: {ENDLESS}\n"
        f"1 lines (1 invalid) from 1 files -> {out}\n"
    )


def test_export_of_an_endless_fifo_ends_with_a_clear_error(tmp_path: Path) -> None:
    fifo = tmp_path / "endless"
    os.mkfifo(fifo)
    stop = threading.Event()

    def write() -> None:
        block = b"x" * (1 << 16)
        try:
            with open(fifo, "wb") as pipe:
                while not stop.is_set():
                    pipe.write(block)
        except (BrokenPipeError, OSError):
            pass

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    out = tmp_path / "fifo.parquet"
    try:
        result = cli(
            "export", "--max-line-size", "1M", "-o", str(out), str(fifo), memory=1 << 30, timeout=60
        )
    finally:
        stop.set()
        writer.join(timeout=10)
    assert not writer.is_alive()
    assert result.returncode == 2, result.stderr
    # A pipe hands over what its writer has written so far: the count at which the reader
    # stops is past 16 MiB, by however much the last read brought.
    shown = re.escape(f"vtcode-exec-events: error: {fifo}: {ENDLESS}").replace("16781312", "(\\d+)")
    found = re.fullmatch(
        shown + re.escape(f"\n1 lines (1 invalid) from 1 files -> {out}\n"), result.stderr.decode()
    )
    assert found, result.stderr
    assert int(found.group(1)) > 16 * (1 << 20)


def _export_to_stdout(tmp_path: Path, fmt: str, stdout: Any) -> subprocess.Popen[bytes]:
    """``export LOG --format FMT -o -`` on an 8 MB log, in a subprocess capped at 2 GiB."""
    log = tmp_path / "big.jsonl"
    one = (LOGS / "exec.jsonl").read_bytes()
    log.write_bytes(one * ((8 << 20) // len(one)))
    return spawn("export", str(log), "--format", fmt, "-o", "-", stdout=stdout)


@pytest.mark.parametrize("fmt", ["arrow", "ndjson"])
def test_ctrl_c_ends_an_export_whose_output_is_not_read(tmp_path: Path, fmt: str) -> None:
    """Standard output is a pipe nobody reads: the writer blocks on it. Ctrl-C still ends
    the command at once, exit 130, one line, no traceback (it used to hang for Arrow IPC)."""
    with _export_to_stdout(tmp_path, fmt, subprocess.PIPE) as process:
        time.sleep(2)  # started, and blocked once the pipe and the output buffer are full
        process.send_signal(signal.SIGINT)
        assert process.stderr is not None
        try:
            process.wait(timeout=15)  # stdout is still not read
        finally:
            process.kill()
        err = process.stderr.read()
    assert process.returncode == 130, err
    assert err.decode().splitlines() == ["interrupted"]


@pytest.mark.parametrize("fmt", ["arrow", "ndjson"])
def test_export_to_a_reader_that_leaves_stops_quietly(tmp_path: Path, fmt: str) -> None:
    """``export ... -o - | head -c 10``: exit 1, nothing on stderr, bounded."""
    with _export_to_stdout(tmp_path, fmt, subprocess.PIPE) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        assert len(process.stdout.read(10)) == 10
        process.stdout.close()
        try:
            process.wait(timeout=60)
        finally:
            process.kill()
        err = process.stderr.read()
    assert process.returncode == 1
    assert err == b""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["arrow", "ndjson"])
def test_export_to_a_full_standard_output_is_one_line(tmp_path: Path, fmt: str) -> None:
    with open("/dev/full", "wb") as full, _export_to_stdout(tmp_path, fmt, full) as process:
        try:
            _, err = process.communicate(timeout=60)
        finally:
            process.kill()
    assert process.returncode == 2
    assert err.decode().splitlines() == [
        "vtcode-exec-events: error: -: [Errno 28] No space left on device"
    ]
