"""Released schema folders are frozen: the lock catches any changed, added or removed file."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


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


freeze = _load("freeze")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the released schema folders and their lock: all a freeze check reads."""
    (tmp_path / "schema").mkdir()
    shutil.copy(ROOT / "schema" / freeze.LOCK_NAME, tmp_path / "schema")
    for version in freeze.read_lock(ROOT / "schema"):
        shutil.copytree(ROOT / "schema" / version, tmp_path / "schema" / version)
    return tmp_path


def test_the_checkout_matches_the_lock() -> None:
    assert freeze.check(ROOT) == []


def test_every_history_version_is_released() -> None:
    lock = freeze.read_lock(ROOT / "schema")
    for version in ("0.1.0", "0.2.0", "0.3.0", "0.4.0", "0.7.0", "0.8.0", "0.9.0", "0.10.0"):
        assert set(lock[version]) == {p.name for p in (ROOT / "schema" / version).iterdir()}
    assert "0.11.0" in lock


def test_an_edited_released_file_fails_naming_it(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tree / "schema" / "0.4.0" / "usage.schema.json"
    target.write_text(target.read_text(encoding="utf-8").replace("Completion", "Output"))
    assert freeze.main(["--root", str(tree)]) == 1
    err = capsys.readouterr().err
    assert "error: schema/0.4.0/usage.schema.json: released file changed since 0.4.0" in err
    assert "nox -s new_version" in err
    assert [p.path for p in freeze.check(tree)] == ["schema/0.4.0/usage.schema.json"]


def test_digest_is_over_the_exact_bytes(tree: Path) -> None:
    target = tree / "schema" / "0.1.0" / "enums.schema.json"
    target.write_bytes(target.read_bytes().replace(b"\n", b"\r\n"))
    assert [p.path for p in freeze.check(tree)] == ["schema/0.1.0/enums.schema.json"]


def test_added_and_removed_files_and_folders_are_named(tree: Path) -> None:
    (tree / "schema" / "0.2.0" / "extra.schema.json").write_text("{}\n")
    (tree / "schema" / "0.3.0" / "enums.schema.json").unlink()
    shutil.rmtree(tree / "schema" / "0.9.0")
    problems = {p.path: p.message for p in freeze.check(tree)}
    assert problems == {
        "schema/0.2.0/extra.schema.json": "file added to released folder 0.2.0",
        "schema/0.3.0/enums.schema.json": "released file removed from 0.3.0",
        "schema/0.9.0": "released folder 0.9.0 is missing",
    }


def test_a_new_folder_must_come_after_every_released_one(tree: Path) -> None:
    shutil.copytree(tree / "schema" / "0.4.0", tree / "schema" / "0.5.0")
    (problem,) = freeze.check(tree)
    assert problem.path == "schema/0.5.0"
    newest = max(freeze.read_lock(tree / "schema"), key=freeze.version_key)
    assert f"older than the newest released version {newest}" in problem.message


def test_an_unreleased_next_version_is_allowed_then_released(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    newest = freeze.version_folders(tree / "schema")[-1]
    shutil.copytree(tree / "schema" / newest, tree / "schema" / "99.0.0")
    assert freeze.check(tree) == []
    assert freeze.main(["--root", str(tree), "--release", "99.0.0"]) == 0
    assert "99.0.0" in freeze.read_lock(tree / "schema")
    assert freeze.main(["--root", str(tree), "--release", "99.0.0"]) == 0  # idempotent
    (tree / "schema" / "99.0.0" / "enums.schema.json").write_text("{}\n")
    assert freeze.main(["--root", str(tree), "--release", "99.0.0"]) == 2
    assert "99.0.0 is already released with different files" in capsys.readouterr().err
    assert [p.path for p in freeze.check(tree)] == ["schema/99.0.0/enums.schema.json"]


def test_a_broken_lock_is_a_clear_error(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "schema" / "released.lock.json").write_text("{not json")
    assert freeze.main(["--root", str(tree)]) == 2
    assert "released.lock.json: cannot read the lock file" in capsys.readouterr().err
    (tree / "schema" / "released.lock.json").unlink()
    assert freeze.main(["--root", str(tree)]) == 2
    assert "no lock file" in capsys.readouterr().err
