"""Memory stays flat in the number of invalid lines, in every report format (max RSS of a
subprocess, never a timing), and Ctrl-C during ``validate --jobs 2`` ends cleanly."""

from __future__ import annotations

import contextlib
import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "vtcode_exec_events"]
#: Measures the largest resident set of the command it runs (with its workers), in MiB.
_RSS = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)\n"
)
#: Invalid lines in the large run; before the bound, each kept about 200 bytes (40+ MiB).
MANY = 200_000
#: Growth allowed between 2,000 and MANY invalid lines, in MiB.
SLACK = 15
#: Every format, and the workers (which hand back a bounded part each) for the default suite;
#: set VTCODE_BOUNDS_FULL=1 (``nox -s bounds``) for every format with and without workers.
FULL = os.environ.get("VTCODE_BOUNDS_FULL") == "1"
CASES = [
    ["--format", "text"],
    ["--format", "sarif"],
    ["--format", "json", "--jobs", "2"],
]
if FULL:
    CASES += [
        ["--format", "json"],
        ["--format", "junit"],
        ["--format", "github"],
        ["--format", "text", "--quiet", "--all-errors"],
        ["--format", "text", "--jobs", "2"],
        ["--format", "sarif", "--jobs", "2"],
    ]


def _max_rss(args: list[str]) -> int:
    done = subprocess.run(
        [sys.executable, "-c", _RSS, *CLI, "validate", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return int(done.stdout)


def _invalid_lines(path: Path, count: int, gz: bool) -> str:
    # Blank lines: each one is an invalid line with its own issue.
    data = b"\n" * count
    path.write_bytes(gzip.compress(data) if gz else data)
    return str(path)


@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_memory_is_flat_in_the_number_of_invalid_lines(args: list[str], tmp_path: Path) -> None:
    # Workers get byte ranges of a plain file; one process reads a gzip stream whole.
    gz = "--jobs" not in args
    suffix = ".jsonl.gz" if gz else ".jsonl"
    few = _max_rss([*args, _invalid_lines(tmp_path / f"few{suffix}", 2_000, gz)])
    many = _max_rss([*args, _invalid_lines(tmp_path / f"many{suffix}", MANY, gz)])
    assert many - few < SLACK, f"{few} MiB for 2,000 invalid lines, {many} MiB for {MANY}"


def test_ctrl_c_during_jobs_2_exits_130_without_a_traceback(tmp_path: Path) -> None:
    line = b'{"type":"item.completed","item":{"id":"i","type":"agent_message","text":"%s"}}\n'
    path = tmp_path / "big.jsonl"
    with path.open("wb") as out:
        block = (line % (b"x" * 200)) * 10_000
        for _ in range(200):  # about 470 MB: many ranges, seconds of work for two workers
            out.write(block)
    proc = subprocess.Popen(
        [*CLI, "validate", "--jobs", "2", "--no-progress", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while len(workers := _children(proc.pid)) < 2:  # the pool is up and working
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no workers started in 120 s"
        time.sleep(0.05)
    # Frozen workers cannot finish the job, however fast they are or however loaded the
    # machine is: the Ctrl-C below always lands while validate is still running.
    for worker in workers:
        os.kill(worker, signal.SIGSTOP)
    assert proc.poll() is None, "validate ended before Ctrl-C: make the input larger"
    # A terminal sends SIGINT to the whole foreground group: the workers get it as well,
    # and (pending while frozen, delivered before the parent's SIGTERM) see it first.
    for worker in workers:
        os.kill(worker, signal.SIGINT)
    proc.send_signal(signal.SIGINT)
    time.sleep(0.2)
    for worker in workers:
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker, signal.SIGCONT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err.decode()
    assert err.decode() == "interrupted\n"
    assert b"Traceback" not in out


def _children(pid: int) -> list[int]:
    """The process ids whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found
