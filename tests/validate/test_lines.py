"""Per-line verdicts and messages: one precise issue per problem, the pointer and the kind."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.validate.conftest import DATA
from vtcode_exec_events.validate import validate_lines

CASES: list[dict[str, Any]] = json.loads((DATA / "lines.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_line_verdict_and_issues(case: dict[str, Any]) -> None:
    (result,) = validate_lines([case["line"]], schema_version=case.get("schema_version"))
    assert result.valid is case["valid"]
    got = [(i.pointer, i.kind, i.severity) for i in result.issues]
    want = [(i["pointer"], i["kind"], i["severity"]) for i in case["issues"]]
    assert got == want
    for issue, expected in zip(result.issues, case["issues"], strict=True):
        assert expected["message"] in issue.message
        assert issue.line == 1
        assert "not valid under any" not in issue.message


@pytest.mark.parametrize("case", [c for c in CASES if "strict_valid" in c], ids=lambda c: c["name"])
def test_strict_turns_warnings_into_errors(case: dict[str, Any]) -> None:
    (result,) = validate_lines(
        [case["line"]], schema_version=case.get("schema_version"), strict=True
    )
    assert result.valid is case["strict_valid"]
    assert [i.pointer for i in result.issues] == [i["pointer"] for i in case["issues"]]
    assert {i.severity for i in result.issues} == {"error"}


def test_lines_are_numbered_from_start_and_newlines_ignored() -> None:
    results = list(validate_lines([b'{"type":"turn.started"}\n', '{"type":1}\r\n', b"{"], start=10))
    assert [r.line for r in results] == [10, 11, 12]
    assert [r.valid for r in results] == [True, False, False]
    assert results[1].issues[0].pointer == "/type"
    assert results[2].issues[0].kind == "json"


def test_each_line_says_which_version_it_was_checked_against() -> None:
    lines = [
        b'{"type":"turn.started"}',
        b'{"schema_version":"0.3.0","event":{"type":"turn.started"}}',
        b'{"schema_version":"0.5.0","event":{"type":"turn.started"}}',
        b'{"type":"turn.failed"}',
        b"{",
    ]
    versions = [r.schema_version for r in validate_lines(lines, schema_version="0.4.0")]
    assert versions == ["0.4.0", "0.3.0", None, "0.4.0", None]
