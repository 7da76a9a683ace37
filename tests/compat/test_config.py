"""Per-project policy from pyproject.toml: severity overrides and a rule+pointer ignore list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vtcode_exec_events.cli import main
from vtcode_exec_events.compat import compare
from vtcode_exec_events.compat.config import ConfigError, load_policy, policy_from_table

OLD = {
    "type": "object",
    "properties": {"a": {"type": "string", "maxLength": 5}, "b": {"type": "integer"}},
}
NEW = {
    "type": "object",
    "properties": {"a": {"type": "string", "maxLength": 3}, "b": {"type": "integer", "minimum": 0}},
}


def test_severity_warning_keeps_the_change_but_not_the_failure() -> None:
    policy = policy_from_table({"severity": {"MAX_LENGTH_DECREASED": "warning"}})
    report = compare(OLD, NEW, policy)
    assert {c.id: c.severity for c in report.changes} == {
        "MAX_LENGTH_DECREASED": "warning",
        "MINIMUM_ADDED": "error",
    }
    assert report.backward is False  # MINIMUM_ADDED still fails
    policy = policy_from_table(
        {"severity": {"MAX_LENGTH_DECREASED": "warning", "MINIMUM_ADDED": "off"}}
    )
    report = compare(OLD, NEW, policy)
    assert [c.id for c in report.changes] == ["MAX_LENGTH_DECREASED"]
    assert report.backward is True


def test_severity_error_fails_even_compatible_changes() -> None:
    policy = policy_from_table({"severity": {"DESCRIPTION_CHANGED": "error"}})
    report = compare({"description": "a"}, {"description": "b"}, policy)
    assert report.backward is False
    assert report.forward is False


def test_ignore_entries_are_keyed_by_rule_and_pointer() -> None:
    table = {
        "ignore": [
            {
                "rule": "MAX_LENGTH_DECREASED",
                "pointer": "#/properties/a/maxLength",
                "reason": "a was never longer than 3",
            },
            {"rule": "MINIMUM_ADDED", "pointer": "#/properties/zzz/*", "reason": "other place"},
        ]
    }
    report = compare(OLD, NEW, policy_from_table(table))
    assert [c.id for c in report.changes] == ["MINIMUM_ADDED"]
    assert [(c.id, reason) for c, reason in report.ignored] == [
        ("MAX_LENGTH_DECREASED", "a was never longer than 3")
    ]
    assert report.to_json()["ignored"] == [
        {
            "id": "MAX_LENGTH_DECREASED",
            "old_pointer": "#/properties/a/maxLength",
            "new_pointer": "#/properties/a/maxLength",
            "reason": "a was never longer than 3",
        }
    ]


@pytest.mark.parametrize(
    ("table", "needle"),
    [
        ({"severity": {"NOT_A_RULE": "warning"}}, "unknown rule id"),
        ({"severity": {"MAX_LENGTH_DECREASED": "loud"}}, "is not one of"),
        ({"ignore": [{"rule": "MAX_LENGTH_DECREASED", "pointer": "#/a"}]}, "missing reason"),
        ({"policy": "sloppy"}, "unknown policy"),
        ({"format": "maybe"}, "'assertion' or 'annotation'"),
    ],
)
def test_bad_configuration_is_a_clear_error(table: dict[str, object], needle: str) -> None:
    with pytest.raises(ConfigError, match=needle):
        policy_from_table(table)


def test_cli_reads_pyproject(tmp_path: Path) -> None:
    (tmp_path / "old.json").write_text(json.dumps(OLD))
    (tmp_path / "new.json").write_text(json.dumps(NEW))
    (tmp_path / "pyproject.toml").write_text(
        "[tool.vtcode-exec-events.compat]\n"
        'policy = "strict"\n'
        "[tool.vtcode-exec-events.compat.severity]\n"
        'MINIMUM_ADDED = "warning"\n'
        "[[tool.vtcode-exec-events.compat.ignore]]\n"
        'rule = "MAX_LENGTH_DECREASED"\n'
        'pointer = "#/properties/a/maxLength"\n'
        'reason = "checked with the producers"\n'
    )
    args = [
        "compat",
        str(tmp_path / "old.json"),
        str(tmp_path / "new.json"),
        "--config",
        str(tmp_path / "pyproject.toml"),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Ignored by configuration: 1" in result.output
    assert load_policy(None, tmp_path / "pyproject.toml").severity == {"MINIMUM_ADDED": "warning"}
    (tmp_path / "pyproject.toml").write_text(
        '[tool.vtcode-exec-events.compat.severity]\nX = "warning"\n'
    )
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "unknown rule id 'X'" in result.output


def test_format_as_annotation() -> None:
    policy = policy_from_table({"format": "annotation"})
    report = compare({"type": "string"}, {"type": "string", "format": "date"}, policy)
    assert report.backward
    assert report.forward
