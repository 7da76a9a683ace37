"""A throw-away copy of the project's code generation, for tests that run `generate.py` on it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def copy_project(dest: Path, versions: list[str]) -> Path:
    """``codegen/``, ``src/``, ``pyproject.toml`` and the given schema folders, under ``dest``."""
    shutil.copytree(ROOT / "codegen", dest / "codegen")
    shutil.copytree(ROOT / "src", dest / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")  # the formatter reads it
    for version in versions:
        shutil.copytree(ROOT / "schema" / version, dest / "schema" / version)
    return dest


def run_generate(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``codegen/generate.py`` of the copy, run on the copy; never raises on failure."""
    return subprocess.run(
        [sys.executable, str(project / "codegen" / "generate.py"), *args],
        capture_output=True,
        text=True,
        check=False,
    )
