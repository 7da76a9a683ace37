"""The version gate over schema/: the real history passes, an under-bumped edit fails."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from vtcode_exec_events.compat.versioning import check_history, main, table, versions

SCHEMA = Path(__file__).resolve().parents[2] / "schema"
HAS_HISTORY = SCHEMA.is_dir() and len(versions(SCHEMA)) >= 2
needs_history = pytest.mark.skipif(not HAS_HISTORY, reason="schema/ has fewer than two versions")


@needs_history
def test_real_history_passes_and_flags_the_required_usage_field() -> None:
    steps = check_history(SCHEMA)
    assert all(s.ok for s in steps), table(steps)
    by_step = {(s.old, s.new): s for s in steps}
    if ("0.3.0", "0.4.0") in by_step:
        step = by_step[("0.3.0", "0.4.0")]
        assert not step.backward
        assert any("cache_creation_tokens" in h for h in step.highlights)


def _copy_version(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst)


def _make_required(folder: Path, field: str) -> None:
    usage = folder / "usage.schema.json"
    doc = json.loads(usage.read_text())
    defs = doc.get("$defs", doc.get("definitions", {}))
    target = defs.get("Usage", doc)
    target.setdefault("properties", {})[field] = {"type": "integer", "minimum": 0}
    target["required"] = sorted({*target.get("required", []), field})
    usage.write_text(json.dumps(doc, indent=2))


@needs_history
def test_breaking_patch_release_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    newest = versions(SCHEMA)[-1][1]
    root = tmp_path / "schema"
    root.mkdir()
    _copy_version(newest, root / newest.name)
    major, minor, patch = (int(x) for x in newest.name.split("."))
    edited = root / f"{major}.{minor}.{patch + 1}"
    _copy_version(newest, edited)
    _make_required(edited, "brand_new_counter")
    assert main([str(root)]) == 1
    out = capsys.readouterr()
    assert "FAIL" in out.out
    assert "needs minor" in out.out


@needs_history
def test_annotation_only_patch_release_passes(tmp_path: Path) -> None:
    newest = versions(SCHEMA)[-1][1]
    root = tmp_path / "schema"
    root.mkdir()
    _copy_version(newest, root / "1.0.0")
    _copy_version(newest, root / "1.0.1")
    entry = root / "1.0.1" / "thread-event.schema.json"
    doc = json.loads(entry.read_text())
    doc["description"] = "reworded"
    entry.write_text(json.dumps(doc, indent=2))
    steps = check_history(root)
    assert [(s.needed, s.actual, s.ok) for s in steps] == [("patch", "patch", True)]
    # after 1.0 a breaking change needs a major bump
    _copy_version(root / "1.0.1", root / "1.1.0")
    _make_required(root / "1.1.0", "brand_new_counter")
    steps = check_history(root)
    assert [(s.needed, s.actual, s.ok) for s in steps][-1] == ("major", "minor", False)


def test_gate_errors_exit_2(tmp_path: Path) -> None:
    assert main([str(tmp_path / "nowhere")]) == 2
    (tmp_path / "0.1.0").mkdir()
    (tmp_path / "0.2.0").mkdir()
    assert main([str(tmp_path)]) == 2


RECORDED = Path(__file__).resolve().parents[1] / "data" / "compat" / "released-steps.json"


@needs_history
def test_recorded_verdicts_match_the_real_history() -> None:
    assert main([str(SCHEMA), "--expect", str(RECORDED)]) == 0
    recorded = {(r["old"], r["new"]): r for r in json.loads(RECORDED.read_text())}
    for step in check_history(SCHEMA):
        rec = recorded.get((step.old, step.new))
        if rec is not None:
            assert (step.backward, step.forward) == (rec["backward"], rec["forward"])


@needs_history
def test_editing_a_released_version_into_a_break_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recorded = json.loads(RECORDED.read_text())
    step = next((r for r in recorded if r["backward"]), None)
    if step is None:
        pytest.skip("no backward-compatible released step to edit")
    root = tmp_path / "schema"
    shutil.copytree(SCHEMA, root, ignore=shutil.ignore_patterns("*.lock.json"))
    _make_required(root / step["new"], "brand_new_counter")
    assert main([str(root), "--expect", str(RECORDED)]) == 1
    err = capsys.readouterr().err
    assert f"{step['old']} -> {step['new']}: now breaks backward" in err
