"""The compat command as a maintainer meets it: version names, the project's policy, sorted
output, one severity wording in every format, undecided changes shown apart, short errors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from vtcode_exec_events.cli import main
from vtcode_exec_events.compat.diff import Change
from vtcode_exec_events.compat.formats import FORMATS, Run, render
from vtcode_exec_events.compat.report import Report
from vtcode_exec_events.compat.versioning import check_history, gate_policy
from vtcode_exec_events.registry import schema_root, versions

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from vtcode_exec_events.cli import main; main()"]


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "compat", *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def _write(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return path


# ---- released version names ----


def test_version_names_come_from_the_schema_registry(tmp_path: Path) -> None:
    old, new = versions()[-2:]
    by_name = _cli(old, new, "--format", "json", "--no-config", cwd=tmp_path)
    by_path = _cli(
        str(schema_root() / old),
        str(schema_root() / new),
        "--format",
        "json",
        "--no-config",
        cwd=tmp_path,
    )
    assert by_name.returncode == by_path.returncode, by_name.stderr
    named, pathed = json.loads(by_name.stdout), json.loads(by_path.stdout)
    assert named["inputs"] == {"old": old, "new": new}  # as typed
    assert named["changes"] == pathed["changes"]
    assert by_name.stdout.count(str(schema_root())) == 0  # no absolute paths for names


def test_an_existing_folder_wins_over_a_version_name(tmp_path: Path, monkeypatch: Any) -> None:
    old, new = versions()[-2:]
    shutil.copytree(schema_root() / new, tmp_path / old)  # ./OLD holds NEW's documents
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["compat", old, new, "--no-config", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["changes"] == []


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("99.0.0", "newer than the newest known version"),
        ("0.5.0", "unknown schema version '0.5.0' (known: 0.1.0"),
        ("0.10", "0.10: no such file or folder"),
    ],
)
def test_unknown_names_are_one_line_errors(tmp_path: Path, name: str, needle: str) -> None:
    result = _cli(name, versions()[-1], "--no-config", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert needle in result.stderr


# ---- the project's policy ----


def test_inside_the_repository_the_cli_agrees_with_the_gate(monkeypatch: Any) -> None:
    monkeypatch.chdir(ROOT)
    pol = gate_policy()
    assert (pol.name, pol.origin) == ("lenient", "pyproject.toml")
    for step in check_history(ROOT / "schema", pol):
        result = CliRunner().invoke(
            main,
            ["compat", f"schema/{step.old}", f"schema/{step.new}", "--format", "json"],
        )
        doc = json.loads(result.output)
        assert (doc["backward"], doc["forward"]) == (step.backward, step.forward), step
        assert doc["policy"] == {
            "name": "lenient",
            "from": "pyproject.toml",
            "undecided": "breaking",
        }
        assert result.exit_code == (0 if step.backward else 1)


def test_explicit_options_win_and_the_policy_is_named(monkeypatch: Any) -> None:
    monkeypatch.chdir(ROOT)
    old, new = "schema/0.9.0", "schema/0.10.0"
    text = CliRunner().invoke(main, ["compat", old, new]).output
    assert text.splitlines()[0] == (
        f"compat {old} -> {new}: policy lenient (from pyproject.toml); "
        "undecided changes count as breaking"
    )
    text = CliRunner().invoke(main, ["compat", old, new, "--policy", "strict"]).output
    assert "policy strict (from --policy)" in text.splitlines()[0]
    text = CliRunner().invoke(main, ["compat", old, new, "--no-config"]).output
    assert "policy strict (from default)" in text.splitlines()[0]
    text = CliRunner().invoke(main, ["compat", old, new, "--undecided", "compatible"]).output
    assert "undecided changes count as compatible" in text.splitlines()[0]


def test_a_configured_undecided_mode_is_read(tmp_path: Path, monkeypatch: Any) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.vtcode-exec-events.compat]\nundecided = "compatible"\n', encoding="utf-8"
    )
    a = _write(tmp_path / "a.json", {"type": "string"})
    monkeypatch.chdir(tmp_path)
    doc = json.loads(
        CliRunner().invoke(main, ["compat", str(a), str(a), "--format", "json"]).output
    )
    assert doc["policy"] == {"name": "strict", "from": "default", "undecided": "compatible"}
    bad = CliRunner().invoke(main, ["compat", str(a), str(a), "--undecided", "maybe"])
    assert bad.exit_code == 2


# ---- order and severity ----

OLD = {
    "type": "object",
    "properties": {
        "a": {"type": "string", "description": "x"},
        "b": {"type": "integer", "maximum": 10},
        "c": {"type": "string", "maxLength": 5},
    },
}
NEW = {
    "type": "object",
    "properties": {
        "a": {"type": "string", "description": "y"},  # compatible, first in schema order
        "b": {"type": "integer", "maximum": 20},  # breaks forward only
        "c": {"type": "string", "maxLength": 3},  # breaks backward
    },
}


@pytest.fixture
def pair(tmp_path: Path) -> tuple[str, str]:
    return str(_write(tmp_path / "old.json", OLD)), str(_write(tmp_path / "new.json", NEW))


def _out(*args: str) -> str:
    return CliRunner().invoke(main, ["compat", *args, "--no-config"]).output


def test_markdown_is_sorted_breaking_first(pair: tuple[str, str]) -> None:
    out = _out(*pair, "--format", "markdown")
    rows = [
        line for line in out.splitlines() if line.startswith(("| error", "| warning", "| note"))
    ]
    assert [r.split(" | ")[1] for r in rows] == [
        "`MAX_LENGTH_DECREASED`",
        "`MAXIMUM_INCREASED`",
        "`DESCRIPTION_CHANGED`",
    ]
    assert [r.split(" | ")[0] for r in rows] == ["| error", "| warning", "| note"]
    assert out.index("#### Failing (backward): 1") < out.index("#### Compatible changes: 1")


@pytest.mark.parametrize("direction", ["backward", "forward", "full"])
def test_json_sarif_and_github_use_the_same_severity(pair: tuple[str, str], direction: str) -> None:
    doc = json.loads(_out(*pair, "--format", "json", "--direction", direction))
    by_json = {c["id"]: c["severity"] for c in doc["changes"]}
    sarif = json.loads(_out(*pair, "--format", "sarif", "--direction", direction))
    by_sarif = {r["ruleId"]: r["level"] for r in sarif["runs"][0]["results"]}
    assert by_json == by_sarif
    github = _out(*pair, "--format", "github", "--direction", direction).splitlines()[:-1]
    by_github = {
        line.split("title=", 1)[1].split("%3A", 1)[0]: line[2:].split(" ", 1)[0] for line in github
    }
    assert by_github == {k: v for k, v in by_json.items() if v != "note"}
    expected = {
        "backward": {"MAX_LENGTH_DECREASED": "error", "MAXIMUM_INCREASED": "warning"},
        "forward": {"MAX_LENGTH_DECREASED": "warning", "MAXIMUM_INCREASED": "error"},
        "full": {"MAX_LENGTH_DECREASED": "error", "MAXIMUM_INCREASED": "error"},
    }[direction]
    assert by_json == {**expected, "DESCRIPTION_CHANGED": "note"}
    assert doc["direction"] == direction
    assert doc["compatible"] is False


# ---- undecided changes, shown apart ----


def _change(cid: str, *, decided: bool, backward: bool, forward: bool, ptr: str) -> Change:
    return Change(cid, ptr, ptr, backward, forward, f"{cid} at {ptr}", decided=decided)


def _undecided_report() -> Report:
    return Report(
        changes=[
            _change("DESCRIPTION_CHANGED", decided=True, backward=True, forward=True, ptr="#/d"),
            _change("PATTERN_CHANGED", decided=False, backward=False, forward=False, ptr="#/p"),
            _change("MAX_LENGTH_DECREASED", decided=True, backward=False, forward=True, ptr="#/m"),
        ],
        old_name="o.json",
        new_name="n.json",
    )


def test_undecided_changes_are_shown_apart_in_every_format() -> None:
    report = _undecided_report()
    run = Run("o.json", "n.json", "backward", "strict", "default", "breaking")
    text = render(report, "text", "backward", run)
    failing = text.index("Failing (backward): 1")
    undecided = text.index("Undecided, counted as breaking (backward): 1")
    assert failing < text.index("[MAX_LENGTH_DECREASED]") < undecided
    assert undecided < text.index("[PATTERN_CHANGED] could not be decided")
    assert text.index("[PATTERN_CHANGED]") < text.index("Compatible changes: 1")
    doc = json.loads(render(report, "json", "backward", run))
    assert [(c["id"], c["decided"], c["severity"]) for c in doc["changes"]] == [
        ("MAX_LENGTH_DECREASED", True, "error"),
        ("PATTERN_CHANGED", False, "error"),
        ("DESCRIPTION_CHANGED", True, "note"),
    ]
    assert doc["counts"] == {"error": 2, "warning": 0, "note": 1, "undecided": 1}
    md = render(report, "markdown", "backward", run)
    assert "#### Undecided, counted as breaking (backward): 1" in md
    sarif = json.loads(render(report, "sarif", "backward", run))
    (undecided_result,) = [
        r for r in sarif["runs"][0]["results"] if r["properties"]["decided"] is False
    ]
    assert undecided_result["ruleId"] == "PATTERN_CHANGED"
    assert undecided_result["properties"]["tags"] == ["undecided"]
    github = render(report, "github", "backward", run)
    assert "title=PATTERN_CHANGED%3A could not be decided" in github
    assert "undecided, counted as breaking" in github
    junit = render(report, "junit", "backward", run)
    assert 'classname="compat.backward.undecided" name="PATTERN_CHANGED #/p"' in junit


def test_an_undecided_change_counted_compatible_is_still_listed_apart() -> None:
    report = Report(
        changes=[_change("PATTERN_CHANGED", decided=False, backward=True, forward=True, ptr="#/p")]
    )
    run = Run("o", "n", "backward", "strict", "default", "compatible")
    text = render(report, "text", "backward", run)
    assert "Undecided, not failing backward: 1" in text
    assert json.loads(render(report, "json", "backward", run))["changes"][0]["decided"] is False


# ---- hostile text in names and schemas ----


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f not in ("json", "sarif")])
def test_control_characters_from_input_never_reach_the_output(tmp_path: Path, fmt: str) -> None:
    key = "evil\x1b]0;pwned\x07\u202e"
    old = _write(
        tmp_path / "o\x1b[31m.json",
        {"type": "object", "properties": {key: {"type": "string", "maxLength": 5}}},
    )
    new = _write(
        tmp_path / "n.json",
        {"type": "object", "properties": {key: {"type": "string", "maxLength": 3}}},
    )
    out = _out(str(old), str(new), "--format", fmt)
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "\u202e" not in out
    assert "\\e" in out or "\\x1b" in out or "%1B" in out


def test_json_output_keeps_the_exact_strings(tmp_path: Path) -> None:
    key = "k\u202e"
    old = _write(tmp_path / "o.json", {"properties": {key: {"maxLength": 5}}})
    new = _write(tmp_path / "n.json", {"properties": {key: {"maxLength": 3}}})
    doc = json.loads(_out(str(old), str(new), "--format", "json"))
    assert doc["changes"][0]["new_pointer"] == f"#/properties/{key}/maxLength"


# ---- errors: one short line, files as typed ----


@pytest.mark.parametrize(
    ("doc", "needles"),
    [
        (
            {"type": "object", "properties": {"a": {"type": 12}}},
            ["sub/bad.json#/properties/a/type"],
        ),
        ({"type": "string", "pattern": "a(b"}, ["sub/bad.json#/pattern", "'a(b'"]),
        ({"$ref": "#/$defs/missing"}, ["sub/bad.json", "#/$defs/missing"]),
        (
            {"properties": {"a": {"$ref": "#/$defs/a"}}, "$defs": {"a": {"$ref": "#/$defs/a"}}},
            ["sub/bad.json"],
        ),
    ],
)
def test_errors_name_the_file_as_typed_in_one_short_line(
    tmp_path: Path, doc: Any, needles: list[str]
) -> None:
    (tmp_path / "sub").mkdir()
    _write(tmp_path / "sub" / "bad.json", doc)
    _write(tmp_path / "good.json", {"type": "string"})
    result = _cli("good.json", "sub/bad.json", "--no-config", cwd=tmp_path)
    assert result.returncode == 2
    line = result.stderr
    assert line.count("\n") == 1
    assert len(line) <= 320
    assert "file://" not in line
    assert str(tmp_path) not in line
    for needle in needles:
        assert needle in line


# ---- one wording, one order, whatever the changes ----

_changes = st.lists(
    st.builds(
        lambda i, b, f, d, sev: Change(
            "MAX_LENGTH_DECREASED",
            f"#/p{i}",
            f"#/p{i}",
            b,
            f,
            f"change {i}",
            decided=d,
            severity=sev,
        ),
        st.integers(0, 9),
        st.booleans(),
        st.booleans(),
        st.booleans(),
        st.sampled_from(["error", "warning", "info"]),
    ),
    max_size=8,
    unique_by=lambda c: c.new_pointer,
)


@given(changes=_changes, direction=st.sampled_from(["backward", "forward", "full"]))
def test_every_format_agrees_on_severity_and_order(changes: list[Change], direction: str) -> None:
    report = Report(changes=changes)
    run = Run("o", "n", direction)
    doc = json.loads(render(report, "json", direction, run))
    by_json = [(c["new_pointer"], c["severity"]) for c in doc["changes"]]
    sarif = json.loads(render(report, "sarif", direction, run))["runs"][0]["results"]
    by_sarif = [(r["properties"]["new_pointer"], r["level"]) for r in sarif]
    assert by_json == by_sarif
    github = render(report, "github", direction, run).splitlines()[:-1]
    assert [line[2:].split(" ", 1)[0] for line in github] == [
        sev for _, sev in by_json if sev != "note"
    ]
    failing = {c.new_pointer for c in report.failing(direction)}
    assert {p for p, sev in by_json if sev == "error"} == failing
    ranks = {"error": 0, "warning": 1, "note": 1}  # errors always come first
    assert [ranks[sev] for _, sev in by_json] == sorted(ranks[sev] for _, sev in by_json)
    assert [c["decided"] for c in doc["changes"]] == [
        c.decided
        for c in sorted(changes, key=lambda c: [p for p, _ in by_json].index(c.new_pointer))
    ]
    order = [p for p, _ in by_json]
    for fmt in ("text", "markdown", "junit"):
        seen = re.findall(r"#/p\d", render(report, fmt, direction, run))
        assert list(dict.fromkeys(seen)) == order, fmt


def test_a_witness_too_large_to_show_is_said_so() -> None:
    change = Change("MIN_ITEMS_INCREASED", "#/m", "#/m", False, True, "minItems increased")
    change.witness_note = "too large to show (100000000 items)"
    report = Report(changes=[change])
    assert "witness not shown: too large to show (100000000 items)" in render(report, "text")
    assert "(witness not shown: too large" in render(report, "markdown")
