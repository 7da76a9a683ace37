"""codegen/check_dist.py (run by `nox -s build`) catches a wheel that lacks what users need."""

from __future__ import annotations

import importlib.util
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from tests.consumers.conftest import ROOT


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_dist", ROOT / "codegen" / "check_dist.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("check_dist", module)
    spec.loader.exec_module(module)
    return module


CHECK = _module()


def _wheel(tmp_path: Path, leave_out: str = "") -> Path:
    names = ["vtcode_exec_events/py.typed", "vtcode_exec_events-0.1.0.dist-info/entry_points.txt"]
    for version in CHECK.versions():
        names += [
            f"vtcode_exec_events/schema/{version}/{p.name}"
            for p in (ROOT / "schema" / version).glob("*.json")
        ]
        module = f"v{version.replace('.', '_')}.py"
        names += [f"vtcode_exec_events/models/{module}", f"vtcode_exec_events/dicts/{module}"]
    path = tmp_path / "vtcode_exec_events-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for name in names:
            if name != leave_out:
                archive.writestr(name, "")
    return path


def test_a_complete_wheel_passes(tmp_path: Path) -> None:
    CHECK.check_wheel(_wheel(tmp_path))


@pytest.mark.parametrize(
    "missing",
    [
        "vtcode_exec_events/py.typed",
        "vtcode_exec_events/schema/0.4.0/usage.schema.json",
        "vtcode_exec_events/models/v0_11_0.py",
        "vtcode_exec_events/dicts/v0_4_0.py",
    ],
)
def test_a_wheel_missing_a_file_fails_naming_it(tmp_path: Path, missing: str) -> None:
    with pytest.raises(CHECK.Failed, match=missing.replace(".", r"\.")):
        CHECK.check_wheel(_wheel(tmp_path, leave_out=missing))
