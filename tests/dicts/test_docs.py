"""docs/dicts.md works as written: its example writes the line the page shows."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import vtcode_exec_events as vee

PAGE = Path(__file__).resolve().parents[2] / "docs" / "dicts.md"
BLOCK = re.compile(r"^```(?P<language>\w*)\n(?P<code>.*?)^```", re.S | re.M)


def test_the_example_writes_the_line_shown(tmp_path: Path) -> None:
    blocks = [(m["language"], m["code"]) for m in BLOCK.finditer(PAGE.read_text("utf-8"))]
    code = next(code for language, code in blocks if language == "python")
    shown = next(code for language, code in blocks if language == "text")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    written = (tmp_path / "events.jsonl").read_text("utf-8")
    assert written == shown
    # The same bytes as the equivalent model, as the page says.
    assert vee.dumps(vee.parse_line(written).event) + "\n" == written
