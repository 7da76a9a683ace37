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
#: CPU seconds a pair may use (it took over 30 s before; contention does not count against it),
#: and a wall-clock safety net on top.
CPU_SECONDS = 20
WALL_SECONDS = 180
MEMORY = 1536 * 1024 * 1024


def _limits(cpu: int) -> Any:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))

    return apply


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
        timeout=WALL_SECONDS,
        preexec_fn=_limits(case.get("cpu_seconds", CPU_SECONDS)),
        check=False,
    )


def test_every_case_is_attributed_to_a_permissive_source() -> None:
    for case in MANIFEST["cases"]:
        assert case["licence"] in ("Apache-2.0", "MIT"), case["case"]
        assert len(case["old_commit"]) == len(case["new_commit"]) == 40
        assert (DATA / case["case"] / "old").is_dir()


def _cases() -> list[Any]:
    """Every case; one the engine still gets wrong is an expected, strict failure (its reason
    names what is missing), so fixing it turns the test red until the marker goes."""
    return [
        pytest.param(
            case,
            id=case["case"],
            marks=[pytest.mark.xfail(strict=True, reason=case["xfail"])] if "xfail" in case else [],
        )
        for case in MANIFEST["cases"]
    ]


@pytest.mark.parametrize("case", _cases())
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
