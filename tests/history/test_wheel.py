"""The wheel carries every version's schema documents and validates offline from them alone."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from vtcode_exec_events import registry

ROOT = Path(__file__).resolve().parents[2]
UV = shutil.which("uv")

# Run inside the unpacked wheel with sockets disabled: a fetch would fail loudly.
PROBE = r"""
import json, socket, sys
def no_network(*args, **kwargs):
    raise AssertionError("network access attempted")
socket.socket.connect = no_network
socket.create_connection = no_network
sys.path.insert(0, sys.argv[1])
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from vtcode_exec_events import registry, wire
root = registry.schema_root()
assert str(root).startswith(sys.argv[1]), root
usage3 = {"input_tokens": 1, "cached_input_tokens": 0, "output_tokens": 1}
result = {}
for version in registry.versions():
    schemas = registry.load(version)
    assert str(schemas.path).startswith(sys.argv[1])
    resources = Registry().with_resources(
        (uri, DRAFT202012.create_resource(doc)) for uri, doc in schemas.resources()
    )
    validator = Draft202012Validator(
        {"$ref": schemas.uri(registry.VERSIONED_THREAD_EVENT)}, registry=resources
    )
    line = {"schema_version": version, "event": {"type": "turn.completed", "usage": usage3}}
    try:
        wire.parse_line(json.dumps(line))
        parsed = True
    except ValueError:
        parsed = False
    result[version] = [validator.is_valid(line), parsed]
print(json.dumps(result))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if UV is None:
        pytest.skip("uv is not on PATH (the wheel is built with `uv build --wheel`)")
    out = tmp_path_factory.mktemp("dist")
    run = subprocess.run(
        [UV, "build", "--wheel", "--out-dir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    (built,) = out.glob("*.whl")
    return built


def test_wheel_holds_every_schema_document_byte_for_byte(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for version in registry.versions():
            folder = ROOT / "schema" / version
            for path in folder.glob("*.json"):
                member = f"vtcode_exec_events/schema/{version}/{path.name}"
                assert member in names, member
                assert archive.read(member) == path.read_bytes(), member
            module = f"vtcode_exec_events/models/v{version.replace('.', '_')}.py"
            assert module in names, module
        assert "vtcode_exec_events/schema/released.lock.json" in names
        assert "vtcode_exec_events/py.typed" in names
        assert "vtcode_exec_events/registry.py" in names
        assert not [n for n in names if n.startswith(("tests/", "codegen/"))]


def test_wheel_validates_offline_from_its_own_documents(wheel: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path)
    run = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    verdicts = json.loads(run.stdout)
    assert list(verdicts) == list(registry.versions())
    for version, (schema_ok, models_ok) in verdicts.items():
        # A three-field Usage: valid up to 0.3.0, invalid from 0.4.0 on, by both routes.
        expected = registry.version_key(version) < (0, 4, 0)
        assert schema_ok is expected, version
        assert models_ok is expected, version
