"""docs/atif.md and examples/atif_trajectory.py work as written."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from vtcode_exec_events.atif import problems

from .conftest import DATA, ROOT, invoke

DOC = ROOT / "docs" / "atif.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)


def _blocks(language: str) -> list[str]:
    return [code for lang, code in BLOCK.findall(DOC.read_text("utf-8")) if lang == language]


def test_the_python_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builder, harbor, rows = _blocks("python")
    assert "from harbor.models.trajectories import Trajectory" in harbor  # shown, not run
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    exec(compile(builder, str(DOC), "exec"), namespace)
    crate_bytes = namespace["crate_bytes"]
    assert isinstance(crate_bytes, bytes)
    assert crate_bytes.startswith(b'{"schema_version":"ATIF-v1.4","session_id":"thread-7f3a"')
    assert b'"model_name":"claude-sonnet-4"' in crate_bytes
    (tmp_path / "trajectories").mkdir()
    shutil.copy(DATA / "expected" / "session.atif.json", tmp_path / "trajectories")
    monkeypatch.chdir(tmp_path)
    exec(compile(rows, str(DOC), "exec"), namespace)
    assert len(namespace["rows"]) == 16  # type: ignore[arg-type]


def test_the_check_example_shows_real_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (console,) = _blocks("console")
    crate = tmp_path / "crate.json"
    crate.write_bytes((DATA / "expected" / "session.crate.json").read_bytes())
    monkeypatch.chdir(tmp_path)
    ran = invoke("atif", "--check", "crate.json")
    shown = [line for line in console.splitlines() if not line.startswith("$ ")]
    real = ran.out.decode().splitlines()
    assert ran.code == 1
    assert all(line in real for line in shown), (shown, real)


@pytest.mark.parametrize("crate", [False, True])
def test_the_example_writes_a_trajectory(crate: bool) -> None:
    args = [sys.executable, str(ROOT / "examples" / "atif_trajectory.py")]
    done = subprocess.run(
        args + (["--crate"] if crate else []), capture_output=True, timeout=60, check=True
    )
    document = orjson.loads(done.stdout)
    assert document["session_id"] == "thread-demo"
    assert [s["source"] for s in document["steps"]] == ["agent", "agent", "agent", "system"]
    assert bool(problems(document)) == crate  # the crate's document is not valid ATIF
    assert b"7 events logged, 4 steps" in done.stderr
