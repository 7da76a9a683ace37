"""codegen/docs.py: the reference names everything in the schema, and CI catches drift."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.consumers.conftest import ROOT
from vtcode_exec_events import wire
from vtcode_exec_events.registry import latest, load


def _docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("codegen_docs", ROOT / "codegen" / "docs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("codegen_docs", module)
    spec.loader.exec_module(module)
    return module


DOCS = _docs()


def test_committed_reference_is_up_to_date() -> None:
    text = (ROOT / "docs" / "vocabulary.md").read_text(encoding="utf-8")
    assert text == DOCS.render(), "docs/vocabulary.md is stale: run `nox -s docs`"


def test_every_tag_field_and_enum_value_is_documented() -> None:
    text = DOCS.render()
    for document in load(latest()).documents.values():
        for name, definition in document.get("$defs", {}).items():
            for field in definition.get("properties", {}):
                assert f"| `{field}` |" in text, f"{name}.{field}"
            for value in definition.get("enum", []):
                assert f"| `{value}` |" in text, f"{name}: {value}"
            tag = definition.get("properties", {}).get("type", {}).get("const")
            if tag:
                assert f"### `{tag}`: {name}" in text


@pytest.mark.parametrize(
    ("version", "line"),
    [
        ("0.11.0", "  - event `context.reset` ([ContextResetEvent](#contextresetevent))"),
        ("0.4.0", "  - field [`Usage.cache_creation_tokens`](#usage)"),
        ("0.11.0", "  - value [`PlanApprovalDecision.fresh_context`](#planapprovaldecision)"),
        ("0.2.0", "  - item `tool_invocation` ([ToolInvocationItem](#toolinvocationitem))"),
    ],
)
def test_arrival_index_names_the_version(version: str, line: str) -> None:
    text = DOCS.render()
    section = text.split(f"- **{version}**", 1)[1].split("\n- **", 1)[0]
    assert line in section.splitlines()


def test_check_fails_naming_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "vocabulary.md"
    assert DOCS.main(["--check", "--output", str(target)]) == 1
    assert "run `nox -s docs`" in capsys.readouterr().err
    assert DOCS.main(["--output", str(target)]) == 0
    assert DOCS.main(["--check", "--output", str(target)]) == 0


def test_open_and_closed_enums_are_told_apart() -> None:
    text = DOCS.render()
    subtype = text.split("### `ThreadCompletionSubtype`", 1)[1].split("###", 1)[0]
    assert "**Open:** any other string is accepted and read as `unknown`." in subtype
    outcome = text.split("### `ToolOutcome`", 1)[1].split("###", 1)[0]
    assert "**Closed:**" in outcome
    assert json.dumps("success")[1:-1] in outcome


def test_the_sample_logs_show_every_event_and_item_of_the_newest_version() -> None:
    text = DOCS.render()
    models = wire.models_for(latest())
    examples = DOCS.samples()
    assert sorted(t for t in models.events if t in examples) == sorted(models.events)
    assert sorted(k for k in models.items if f"item:{k}" in examples) == sorted(models.items)
    shown = [b.split("\n", 1)[0] for b in text.split("```json\n")[1:]]
    assert len(shown) == len(models.events) + len(models.items)
    for line in shown:
        wire.parse_event(line)
