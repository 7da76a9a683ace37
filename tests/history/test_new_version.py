"""`nox -s new_version`: one command starts the next schema version, on a copy of the repository."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
INIT = Path("src/vtcode_exec_events/__init__.py")


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"_codegen_{name}", ROOT / "codegen" / f"{name}.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


new_version = _load("new_version")
freeze = _load("freeze")

CHANGELOG = """# Changelog

Intro.

## [Unreleased]

### Added

- Something earlier.

## [0.1.0] - 2026-01-01

### Added

- The first release.
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Only what the command reads and writes: schema/, the package __init__, the CHANGELOG."""
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    (tmp_path / INIT).parent.mkdir(parents=True)
    shutil.copy(ROOT / INIT, tmp_path / INIT)
    (tmp_path / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    return tmp_path


def _docs(folder: Path) -> dict[str, dict[str, object]]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}


def test_starts_the_next_version(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    newest = new_version.newest_version(ROOT / "schema")
    major, minor, _ = (int(p) for p in newest.split("."))
    new = f"{major}.{minor + 1}.0"
    assert new_version.main(["--root", str(repo), new]) == 0
    out = capsys.readouterr().out
    assert f"started schema {new} from {newest}" in out
    assert "nox -s generate" in out
    assert f"nox -s freeze -- --release {new}" in out

    old_docs, new_docs = _docs(repo / "schema" / newest), _docs(repo / "schema" / new)
    assert set(new_docs) == set(old_docs)
    for name, doc in new_docs.items():
        before = old_docs[name]
        assert doc["description"] == str(before["description"]).replace(
            f"schema {newest}", f"schema {new}"
        )
        assert f"schema {new}" in str(doc["description"])
        assert {**doc, "description": None} == {**before, "description": None}  # since: kept
        text = (repo / "schema" / new / name).read_text(encoding="utf-8")
        assert text == json.dumps(doc, indent=2) + "\n"

    # No hand-written module names a version: `nox -s generate` moves them (see below).
    assert (repo / INIT).read_bytes() == (ROOT / INIT).read_bytes()

    changelog = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    unreleased = changelog.split("## [Unreleased]")[1].split("## [0.1.0]")[0]
    assert unreleased.startswith(f"\n\n### Added\n\n- Schema version {new} (`schema/{new}/`")
    assert "- Something earlier." in unreleased
    assert all(len(line) <= 100 for line in changelog.splitlines())

    # The new folder is not released yet: the freeze check passes, then it can be released.
    assert freeze.check(repo) == []
    assert freeze.main(["--root", str(repo), "--release", new]) == 0
    assert new in freeze.read_lock(repo / "schema")


def test_defaults_to_the_next_minor_and_chains(repo: Path) -> None:
    newest = new_version.newest_version(repo / "schema")
    first, second = (
        new_version.next_minor(newest),
        new_version.next_minor(new_version.next_minor(newest)),
    )
    assert new_version.start(repo) == (newest, first)
    assert new_version.start(repo, second) == (first, second)
    assert f"schema {second}" in str(_docs(repo / "schema" / second)["events.schema.json"])
    changelog = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.index(f"Schema version {second}") < changelog.index(f"Schema version {first}")


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("0.11.0", "must be newer than the newest folder"),
        ("0.10.5", "must be newer than the newest folder"),
        ("banana", "not a MAJOR.MINOR.PATCH version: 'banana'"),
    ],
)
def test_bad_versions_change_nothing(
    repo: Path, version: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    assert new_version.main(["--root", str(repo), version]) == 2
    assert message in capsys.readouterr().err
    assert {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()} == before


def test_a_changelog_without_unreleased_gets_one(repo: Path) -> None:
    (repo / "CHANGELOG.md").write_text("# Changelog\n\n## [0.1.0]\n\n- First.\n")
    new_version.start(repo)
    changelog = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.startswith("# Changelog\n\n## [Unreleased]\n\n### Added\n\n- Schema version")
    assert changelog.endswith("## [0.1.0]\n\n- First.\n")


BUMPED = """
import vtcode_exec_events as vee
from vtcode_exec_events.emit import CommandRunner, item_started
from vtcode_exec_events.models import newest

events = []
with CommandRunner(events.append) as runner:
    runner.run("echo hi")
started = item_started(vee.AgentMessageItem(id="a", text="t"))
print(vee.EVENT_SCHEMA_VERSION, newest.SCHEMA_VERSION)
print(*sorted({type(e).__module__ for e in [*events, started]}))
print(type(events[-1].item.root).__module__, vee.ThreadStartedEvent.__module__)
"""


def test_new_version_then_generate_moves_every_consumer(tmp_path: Path) -> None:
    """On a copy: `new_version` plus `generate` put the package, the item helpers and the
    command runner on the new models, with no hand edit."""
    from tests.foundation.codegen_project import copy_project, run_generate

    newest = new_version.newest_version(ROOT / "schema")
    project = copy_project(tmp_path / "p", [newest])
    (project / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    old, new = new_version.start(project)
    assert (old, new) == (newest, new_version.next_minor(newest))
    done = run_generate(project)
    assert done.returncode == 0, done.stderr
    module = f"vtcode_exec_events.models.{new_version.module_name(new)}"
    src = [str(project / "src"), str(project / "generated")]
    ran = subprocess.run(
        [sys.executable, "-c", BUMPED],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(src)},
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines() == [f"{new} {new}", module, f"{module} {module}"]
