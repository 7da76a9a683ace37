"""The README's first five minutes: an editable install from the clone gives the command,
``python -m vtcode_exec_events``, and TypedDicts that mypy reads as typed (no import-untyped).

One fresh virtual environment (uv, or venv and pip) per run; every step is a subprocess
with a time limit.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 600
USER = """\
from vtcode_exec_events.dicts import ThreadStartedEvent

good: ThreadStartedEvent = {"type": "thread.started", "thread_id": "t-1"}
bad: ThreadStartedEvent = {"type": "thread.started"}
"""


def _mypy_pin() -> str:
    """The mypy the project type-checks with (its pin in pyproject.toml)."""
    found = re.search(r'"(mypy==[^"]+)"', (ROOT / "pyproject.toml").read_text("utf-8"))
    assert found is not None, "pyproject.toml pins mypy"
    return found.group(1)


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("editable") / "venv"
    uv = shutil.which("uv")
    python = where / "bin" / "python"
    if uv is not None:
        subprocess.run(
            [uv, "venv", "-q", "--python", sys.executable, str(where)], check=True, timeout=TIMEOUT
        )
        install = [uv, "pip", "install", "-q", "--python", str(python)]
    else:
        subprocess.run([sys.executable, "-m", "venv", str(where)], check=True, timeout=TIMEOUT)
        install = [str(python), "-m", "pip", "install", "-q"]
    subprocess.run([*install, "-e", str(ROOT), _mypy_pin()], check=True, timeout=TIMEOUT)
    return where


def test_the_command_and_python_m_work_from_the_editable_install(venv: Path) -> None:
    for command in (
        [str(venv / "bin" / "vtcode-exec-events")],
        [str(venv / "bin" / "python"), "-m", "vtcode_exec_events"],
    ):
        done = subprocess.run(
            [*command, "--version"], capture_output=True, text=True, timeout=TIMEOUT
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("vtcode-exec-events 0.")


def test_mypy_reads_the_typeddicts_of_the_editable_install(venv: Path, tmp_path: Path) -> None:
    user = tmp_path / "user.py"
    user.write_text(USER, "utf-8")
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "mypy", "--strict", "--no-incremental", "user.py"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=tmp_path,
    )
    assert "import-untyped" not in done.stdout, done.stdout
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert errors == [
        'user.py:4: error: Missing key "thread_id" for TypedDict "ThreadStartedEvent"  '
        "[typeddict-item]"
    ]
