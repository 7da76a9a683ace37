"""docs/otel.md shows the true span tree of the example session (examples/otel_tree.py's output)."""

from __future__ import annotations

import importlib.util
import re
from types import ModuleType

from .conftest import ROOT, SESSION

DOC = ROOT / "docs" / "otel.md"
BLOCK = re.compile(r"<!-- otel-tree:start -->\n```text\n(.*?)\n```\n<!-- otel-tree:end -->", re.S)


def _example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("otel_tree", ROOT / "examples" / "otel_tree.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_documented_tree_is_the_scripts_output() -> None:
    example = _example()
    rendered = example.render(example.spans_of(str(SESSION)))
    (documented,) = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert documented == rendered, "run: python examples/otel_tree.py examples/logs/session.jsonl"


def test_the_script_shows_failures_and_content_on_request() -> None:
    example = _example()
    rendered = example.render(example.spans_of(str(SESSION), capture_content=True))
    assert "execute_tool run_pty_cmd  [25 ms .. 25 ms]  ERROR" in rendered
    assert 'gen_ai.tool.call.arguments = "{\\"command\\":\\"rm -rf target\\"}"' in rendered
