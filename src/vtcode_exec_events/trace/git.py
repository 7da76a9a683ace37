"""Line ranges a workspace's git diff gives for some files: the added lines of each hunk."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = ["GitError", "Hunk", "Workspace"]

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
#: Never run anything a hostile repository configures: no external diff or text
#: conversion, no fsmonitor hook, no pager, no hooks.
_SAFE = (
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "core.quotePath=false",
    "--no-pager",
)
_TIMEOUT = 60.0


class GitError(ValueError):
    """git is missing, the folder is not a work tree, or a revision does not exist."""


@dataclass(frozen=True)
class Hunk:
    """Lines ``start``..``end`` (1-based, inclusive) of the new file, and their text (the
    lines without their newlines, joined with ``\\n``)."""

    start: int
    end: int
    content: str


class Workspace:
    """A git work tree; every call is bounded in time and output, with no shell involved."""

    def __init__(self, folder: str | os.PathLike[str], *, max_file_bytes: int = 16 << 20) -> None:
        self.max_file_bytes = max_file_bytes
        self.root = Path(self._git_in(Path(folder), "rev-parse", "--show-toplevel").strip())

    def _git_in(self, folder: Path, *args: str) -> str:
        try:
            done = subprocess.run(
                ["git", *_SAFE, *args],
                cwd=folder,
                capture_output=True,
                timeout=_TIMEOUT,
                check=False,
                env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"},
            )
        except FileNotFoundError as exc:
            raise GitError("git is not installed (or not on PATH)") from exc
        except NotADirectoryError as exc:
            raise GitError(f"{folder} is not a folder") from exc
        except subprocess.TimeoutExpired as exc:
            raise GitError(f"git {args[0]} took longer than {_TIMEOUT:.0f} s") from exc
        if done.returncode != 0:
            reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitError(f"git {args[0]} failed: {reason[-1] if reason else done.returncode}")
        return done.stdout.decode("utf-8", "surrogateescape")

    def git(self, *args: str) -> str:
        return self._git_in(self.root, *args)

    def commit(self, revision: str = "HEAD") -> str:
        """The full SHA of ``revision`` (never read as an option, whatever it says)."""
        if revision.startswith("-"):
            raise GitError(f"not a revision: {revision!r}")
        return self.git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").strip()

    def relative(self, path: str) -> str | None:
        """``path`` (absolute, or relative to the work tree's root) as a path relative to the
        root, or ``None`` when it lies outside the work tree."""
        candidate = Path(path)
        full = candidate if candidate.is_absolute() else self.root / candidate
        resolved = Path(os.path.normpath(full))
        try:
            return resolved.relative_to(self.root).as_posix()
        except ValueError:
            return None

    def tracked(self, relative: str) -> bool:
        listed = self.git("ls-files", "-z", "--", f":(literal){relative}")
        return bool(listed)

    def hunks(self, relative: str, base: str) -> list[Hunk]:
        """The added lines of ``relative`` in the work tree compared with commit ``base``;
        a file git does not track counts as added whole."""
        if not self.tracked(relative):
            return self._whole(relative)
        diff = self.git(
            "diff",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--no-renames",
            "--unified=0",
            base,
            "--",
            f":(literal){relative}",
        )
        return _parse(diff.encode("utf-8", "surrogateescape"))

    def _whole(self, relative: str) -> list[Hunk]:
        target = self.root / relative
        # A link could point out of the work tree; only regular files of bounded size count.
        if (
            target.is_symlink()
            or not target.is_file()
            or target.stat().st_size > self.max_file_bytes
        ):
            return []
        text = target.read_bytes().decode("utf-8", "replace")
        lines = text.splitlines()
        return [Hunk(1, len(lines), "\n".join(lines))] if lines else []


def _parse(diff: bytes) -> list[Hunk]:
    """The hunks of a ``--unified=0`` diff of one file: each hunk's added lines."""
    hunks: list[Hunk] = []
    start = count = 0
    added: list[bytes] = []
    for line in diff.split(b"\n"):
        header = _HUNK.match(line) if len(added) == count else None
        if header:
            start = int(header.group(1))
            count = int(header.group(2)) if header.group(2) is not None else 1
            added = []
        elif len(added) < count and line.startswith(b"+"):
            added.append(line[1:].removesuffix(b"\r"))
            if len(added) == count:
                text = b"\n".join(added).decode("utf-8", "replace")
                hunks.append(Hunk(start, start + count - 1, text))
    return hunks
