"""The README (and the recipes page) work as written: every fenced code block is run.

Conventions, for whoever edits those files:

- ```` ```bash ````, ```` ```sh ````, ```` ```shell ```` blocks run as one ``bash -e -o pipefail``
  script. ```` ```console ```` blocks run their ``$ `` lines; the other lines are the output
  shown to the reader and are not compared.
- ```` ```python ```` blocks are executed in order in one namespace per file, so a later block
  can use what an earlier one defined.
- Blocks of any other language (``json``, ``text``, ``toml``…) are shown, not run.
- Everything runs in a fresh temporary folder holding copies of ``examples/`` (so
  ``examples/logs/session.jsonl`` works as written) and links to ``schema/`` and ``tests/``;
  the test environment's ``bin`` folder comes first on ``PATH``, so ``vtcode-exec-events``
  and ``python`` are the ones under test.
- An HTML comment on the line right before a block changes how it is run:
  ``<!-- readme-test: skip -->`` (never run: installs, commands that run the whole CI),
  ``<!-- readme-test: exit=N -->`` (the block must exit with status N instead of 0).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", ROOT / "docs" / "recipes.md"]
SHELL = {"bash", "sh", "shell", "console"}
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)")
MARKER = re.compile(r"^<!--\s*readme-test:\s*(?P<what>[^>]*?)\s*-->\s*$")
TIMEOUT = 180


@dataclass(frozen=True)
class Block:
    """One fenced code block of a document."""

    path: Path
    line: int
    language: str
    code: str
    marker: str

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def blocks(path: Path) -> list[Block]:
    """The fenced code blocks of a Markdown file, with the marker comment before each."""
    found: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opened = FENCE.match(lines[index])
        if not opened:
            index += 1
            continue
        fence = opened["fence"]
        start = index
        body: list[str] = []
        index += 1
        while index < len(lines) and not lines[index].strip().startswith(fence):
            body.append(lines[index][len(opened["indent"]) :])
            index += 1
        previous = next((lines[i] for i in range(start - 1, -1, -1) if lines[i].strip()), "")
        marked = MARKER.match(previous.strip())
        found.append(
            Block(
                path,
                start + 1,
                opened["info"].lower(),
                "\n".join(body) + "\n",
                marked["what"] if marked else "",
            )
        )
        index += 1
    return found


def runnable(path: Path) -> list[Any]:
    if not path.exists():
        return []
    return [
        pytest.param(b, id=b.id, marks=pytest.mark.skip("marked readme-test: skip"))
        if b.marker == "skip"
        else pytest.param(b, id=b.id)
        for b in blocks(path)
        if b.language in SHELL or b.language == "python"
    ]


def expected_exit(block: Block) -> int:
    match = re.fullmatch(r"exit\s*=\s*(\d+)", block.marker)
    if block.marker and not match and block.marker != "skip":
        pytest.fail(f"{block.id}: unknown readme-test marker {block.marker!r}")
    return int(match[1]) if match else 0


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working folder shared by the blocks of a file, in order, as a reader's shell would be."""
    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "examples", folder / "examples")
    for name in ("schema", "tests"):
        (folder / name).symlink_to(ROOT / name, target_is_directory=True)
    return folder


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.pop("PYTHONPATH", None)
    env["NO_COLOR"] = "1"
    return env


def script(block: Block) -> str:
    if block.language != "console":
        return block.code
    commands = [line[2:] for line in block.code.splitlines() if line.startswith("$ ")]
    return "\n".join(commands) + "\n"


_namespaces: dict[Path, dict[str, Any]] = {}


@pytest.mark.parametrize("block", [p for doc in DOCUMENTS for p in runnable(doc)])
def test_block_runs_as_written(
    block: Block, sandbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    status = expected_exit(block)
    if block.language == "python":
        assert status == 0, f"{block.id}: exit=N applies to shell blocks only"
        monkeypatch.chdir(sandbox)
        namespace = _namespaces.setdefault(block.path, {"__name__": "__readme__"})
        exec(compile(block.code, block.id, "exec"), namespace)
        return
    result = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script(block)],
        cwd=sandbox,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == status, (
        f"{block.id} exited {result.returncode}, expected {status} (a block that must not "
        "run in tests takes `<!-- readme-test: skip -->` on the line before it)\n"
        f"--- script\n{script(block)}--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
    )


def test_the_harness_reads_blocks_and_markers(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "intro\n\n<!-- readme-test: skip -->\n```bash\nexit 3\n```\n\n"
        "<!-- readme-test: exit=1 -->\n\n```console\n$ false\noutput\n```\n"
        "```python\nx = 1\n```\n````json\n{}\n````\n",
        encoding="utf-8",
    )
    found = blocks(page)
    assert [(b.line, b.language, b.marker) for b in found] == [
        (4, "bash", "skip"),
        (10, "console", "exit=1"),
        (14, "python", ""),
        (17, "json", ""),
    ]
    assert script(found[1]) == "false\n"
