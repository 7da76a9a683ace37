"""Real schema histories that crashed, hung or failed the checker: each pair runs the CLI in a
fresh process with a hard time limit and an address-space limit (tests/data/compat/real-world)."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "compat" / "real-world"
MANIFEST = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))
CLI = [sys.executable, "-c", "from vtcode_exec_events.cli import main; main()"]
#: A pair that took over 30 s must now finish well inside this, on a loaded 2-core machine.
SECONDS = 25
MEMORY = 1536 * 1024 * 1024


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _paths(case: dict[str, Any]) -> tuple[str, str]:
    """The pair as typed from ``DATA``: ``CASE/old/NAME`` and ``CASE/new/NAME``."""
    (old,) = (DATA / case["case"] / "old").iterdir()
    return f"{case['case']}/old/{old.name}", f"{case['case']}/new/{old.name}"


def _run(case: dict[str, Any], *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "compat", *_paths(case), *extra],
        cwd=DATA,
        capture_output=True,
        text=True,
        timeout=SECONDS,
        preexec_fn=_limit_memory,
        check=False,
    )


def test_every_case_is_attributed_to_a_permissive_source() -> None:
    for case in MANIFEST["cases"]:
        assert case["licence"] in ("Apache-2.0", "MIT"), case["case"]
        assert len(case["old_commit"]) == len(case["new_commit"]) == 40
        assert (DATA / case["case"] / "old").is_dir()


@pytest.mark.parametrize("case", MANIFEST["cases"], ids=lambda c: c["case"])
def test_real_pair_is_answered_within_bounds(case: dict[str, Any]) -> None:
    result = _run(case, "--no-config", "--format", "json")
    expect = case["expect"]
    assert result.returncode in expect["exit"], (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    if result.returncode == 2:
        assert result.stdout == ""
        assert result.stderr.count("\n") == 1, result.stderr
        assert len(result.stderr) <= 320, result.stderr
        assert "file://" not in result.stderr
        for needle in expect.get("stderr", []):
            forms = (needle, repr(needle)[1:-1], json.dumps(needle)[1:-1])
            assert any(form in result.stderr for form in forms), (needle, result.stderr)
    else:
        doc = json.loads(result.stdout)
        assert doc["compatible"] is (result.returncode == 0)
        old, new = _paths(case)
        assert doc["inputs"] == {"old": old, "new": new}
