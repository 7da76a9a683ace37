"""`codegen/generate.py --check` guards generated/.../dicts/ as it guards models/."""

from __future__ import annotations

from pathlib import Path

from tests.foundation.codegen_project import ROOT, copy_project, run_generate


def test_check_catches_drift_and_stale_files_in_dicts(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", ["0.1.0", "0.4.0"])
    assert run_generate(project).returncode == 0
    dicts = project / "generated" / "vtcode_exec_events" / "dicts"
    # What the repository holds for these versions, byte for byte.
    shipped = ROOT / "generated" / "vtcode_exec_events" / "dicts"
    for name in ("v0_1_0.py", "v0_4_0.py"):
        assert (dicts / name).read_bytes() == (shipped / name).read_bytes()
    init = (dicts / "__init__.py").read_text("utf-8")
    assert "from .v0_4_0 import (" in init
    assert 'LATEST = "0.4.0"' in init
    assert run_generate(project, "--check").returncode == 0

    module = dicts / "v0_1_0.py"
    module.write_text(module.read_text("utf-8").replace('type: Literal["plan"]', "type: str"))
    (dicts / "stale.py").write_text("x = 1\n")
    (dicts / "__init__.py").write_text(init.replace("    UnknownThreadEvent,\n", ""))
    result = run_generate(project, "--check")
    assert result.returncode == 1
    assert "generated/vtcode_exec_events/dicts/v0_1_0.py\n" in result.stderr
    assert "generated/vtcode_exec_events/dicts/__init__.py\n" in result.stderr
    assert "generated/vtcode_exec_events/dicts/stale.py (stale)" in result.stderr
    assert "generated/vtcode_exec_events/models" not in result.stderr
    assert "Run `nox -s generate`" in result.stderr

    assert run_generate(project).returncode == 0
    assert not (dicts / "stale.py").exists()
