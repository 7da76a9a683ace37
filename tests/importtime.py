"""Run the command line under ``python -X importtime``: what a command imports, and its output."""

from __future__ import annotations

import subprocess
import sys

MAIN = "from vtcode_exec_events.cli import main; main()"


def run(*args: str, timeout: float = 120) -> tuple[subprocess.CompletedProcess[bytes], set[str]]:
    """``vtcode-exec-events ARGS`` in a subprocess, and the modules it imported; the
    process's ``stderr`` keeps only what the command wrote (the import times are taken out)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", MAIN, *args],
        capture_output=True,
        timeout=timeout,
    )
    lines = done.stderr.decode().splitlines(keepends=True)
    timed = [line for line in lines if line.startswith("import time:")]
    done.stderr = "".join(line for line in lines if not line.startswith("import time:")).encode()
    return done, {line.rsplit("|", 1)[-1].strip() for line in timed}
