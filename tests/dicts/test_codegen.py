"""`codegen/generate.py --check` guards generated/.../dicts/ as it guards models/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _project(dest: Path, versions: list[str]) -> Path:
    shutil.copytree(ROOT / "codegen", dest / "codegen")
    shutil.copytree(ROOT / "src", dest / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")  # the formatter reads it
    for version in versions:
        shutil.copytree(ROOT / "schema" / version, dest / "schema" / version)
    return dest


def _generate(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(project / "codegen" / "generate.py"), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_catches_drift_and_stale_files_in_dicts(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", ["0.1.0", "0.4.0"])
    assert _generate(project).returncode == 0
    dicts = project / "generated" / "vtcode_exec_events" / "dicts"
    # What the repository holds for these versions, byte for byte.
    shipped = ROOT / "generated" / "vtcode_exec_events" / "dicts"
    for name in ("v0_1_0.py", "v0_4_0.py"):
        assert (dicts / name).read_bytes() == (shipped / name).read_bytes()
    init = (dicts / "__init__.py").read_text("utf-8")
    assert "from .v0_4_0 import (" in init
    assert 'LATEST = "0.4.0"' in init
    assert _generate(project, "--check").returncode == 0

    module = dicts / "v0_1_0.py"
    module.write_text(module.read_text("utf-8").replace('type: Literal["plan"]', "type: str"))
    (dicts / "stale.py").write_text("x = 1\n")
    (dicts / "__init__.py").write_text(init.replace("    UnknownThreadEvent,\n", ""))
    result = _generate(project, "--check")
    assert result.returncode == 1
    assert "generated/vtcode_exec_events/dicts/v0_1_0.py\n" in result.stderr
    assert "generated/vtcode_exec_events/dicts/__init__.py\n" in result.stderr
    assert "generated/vtcode_exec_events/dicts/stale.py (stale)" in result.stderr
    assert "generated/vtcode_exec_events/models" not in result.stderr
    assert "Run `nox -s generate`" in result.stderr

    assert _generate(project).returncode == 0
    assert not (dicts / "stale.py").exists()
