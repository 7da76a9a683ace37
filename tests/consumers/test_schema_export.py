"""``schema export``: a version's documents as released, or one self-contained bundle."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.consumers.conftest import EXAMPLES, LOGS, ROOT, run
from vtcode_exec_events.registry import latest, versions

ENTRIES = ["thread-event", "versioned-thread-event"]


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


def test_versions_lists_every_release_oldest_first() -> None:
    assert run("schema", "versions").output.split() == list(versions())


@pytest.mark.parametrize("version", versions())
def test_documents_are_written_exactly_as_released(version: str, tmp_path: Path) -> None:
    result = run("schema", "export", "--version", version, "--output", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    source = ROOT / "schema" / version
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(p.name for p in source.glob("*.json"))
    for name in written:
        assert json.loads((tmp_path / "out" / name).read_text()) == json.loads(
            (source / name).read_text()
        )


@pytest.mark.parametrize("entry", ENTRIES)
@pytest.mark.parametrize("version", versions())
def test_bundle_is_self_contained_and_valid_json_schema(version: str, entry: str) -> None:
    result = run("schema", "export", "--version", version, "--bundle", "--entry", entry)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    Draft202012Validator.check_schema(document)
    assert all(ref.startswith("#/$defs/") for ref in _refs(document))
    assert "$id" not in document


def _lines(path: Path) -> list[Any]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_bundles_accept_the_lines_of_their_version() -> None:
    validators = {
        v: Draft202012Validator(
            json.loads(
                run(
                    "schema",
                    "export",
                    "--version",
                    v,
                    "--bundle",
                    "--entry",
                    "versioned-thread-event",
                ).output
            )
        )
        for v in versions()
    }
    for line in _lines(ROOT / LOGS / "every-version.jsonl") + _lines(
        ROOT / EXAMPLES / "session.jsonl"
    ):
        assert not list(validators[line["schema_version"]].iter_errors(line)), line


def test_bare_bundle_rejects_a_known_tag_with_a_bad_payload() -> None:
    document = json.loads(run("schema", "export", "--bundle").output)
    validator = Draft202012Validator(document)
    assert validator.is_valid({"type": "future.event"})
    assert not validator.is_valid({"type": "thread.started"})
    for line in _lines(ROOT / EXAMPLES / "exec.jsonl"):
        assert validator.is_valid(line), line


def test_bundle_to_a_file_with_an_id(tmp_path: Path) -> None:
    target = tmp_path / "thread-event.json"
    uri = "https://example.com/vtcode/thread-event.json"
    result = run("schema", "export", "--bundle", "--id", uri, "-o", str(target))
    assert (result.exit_code, result.output) == (0, "")
    document = json.loads(target.read_text())
    assert document["$id"] == uri
    assert next(iter(document)) == "$id"
    assert latest() in document["description"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["schema", "export"], "needs --output FOLDER"),
        (["schema", "export", "-o", "-"], "needs --output FOLDER"),
        (["schema", "export", "--version", "0.5.0", "--bundle"], "unknown schema version"),
        (["schema", "export", "--version", "9.0.0", "--bundle"], "upgrade vtcode-exec-events"),
        (["schema", "export", "--bundle", "-o", "no/such/dir/x.json"], "cannot write"),
    ],
)
def test_errors_exit_2(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
