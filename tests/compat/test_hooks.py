"""The pre-commit hook definitions other repositories use: well formed, pointing at real entries."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

HOOKS = Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml"


def _scalar(text: str) -> Any:
    text = text.strip()
    if text in ("true", "false"):
        return text == "true"
    if text.startswith("["):
        return [item.strip() for item in text[1:-1].split(",") if item.strip()]
    return text


def _load(text: str) -> list[dict[str, Any]]:
    """The flat subset of YAML this file uses: a list of maps of scalars (no PyYAML needed)."""
    hooks: list[dict[str, Any]] = []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        if line.startswith("- "):
            hooks.append({})
            line = line[2:]
        key, _, value = line.strip().partition(":")
        hooks[-1][key] = _scalar(value)
    return hooks


def test_hooks_are_well_formed() -> None:
    hooks = _load(HOOKS.read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == [
        "vtcode-exec-events-schema-gate",
        "vtcode-exec-events-compat",
        "vtcode-exec-events-validate",
    ]
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook), json.dumps(hook)
        assert hook["language"] == "python"
    gate = hooks[0]
    assert gate["entry"] == "python -m vtcode_exec_events.compat.versioning"
    assert importlib.util.find_spec("vtcode_exec_events.compat.versioning") is not None
    assert gate["args"] == ["schema"]
    assert gate["pass_filenames"] is False
    assert hooks[1]["entry"] == "vtcode-exec-events compat"
    assert hooks[2]["files"] == "\\.jsonl(\\.gz)?$"
