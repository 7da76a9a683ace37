"""The rule catalogue: every id is emitted by a literal, every emitted literal is a rule."""

from __future__ import annotations

import ast
from pathlib import Path

from vtcode_exec_events.compat import rules
from vtcode_exec_events.compat.rules import CATALOGUE, RULES

COMPAT = Path(rules.__file__).resolve().parents[1]


def _literals(skip: Path) -> dict[str, list[str]]:
    """Upper-case string literals in compat/ outside ``skip`` → where they are."""
    found: dict[str, list[str]] = {}
    for path in sorted(COMPAT.rglob("*.py")):
        if skip in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if text.isupper() and "_" in text and text.replace("_", "").isalpha():
                    found.setdefault(text, []).append(f"{path.name}:{node.lineno}")
    return found


def test_every_rule_is_emitted_by_a_literal() -> None:
    literals = _literals(COMPAT / "rules")
    dead = sorted(set(CATALOGUE) - set(literals))
    assert dead == [], f"rule ids no module emits: {dead}"


def test_every_emitted_literal_is_a_rule() -> None:
    """``engine.change("X", ...)``: the first argument of every call is a catalogued id."""
    unknown = []
    for path in sorted((COMPAT / "diff").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "change"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value not in CATALOGUE
            ):
                unknown.append(f"{path.name}:{node.lineno}: {node.args[0].value}")
    assert unknown == []


def test_catalogue_records_are_consistent() -> None:
    assert set(RULES) == set(CATALOGUE)
    for rule_id, record in CATALOGUE.items():
        assert record.id == rule_id
        assert record.summary
        assert record.message
        if record.annotation:
            assert (record.backward, record.forward) == (True, True), rule_id
