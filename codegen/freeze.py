"""Keep released schema folders frozen: check them against their lock, or release a new one.

The lock holds a SHA-256 digest of the exact bytes of every file of every released folder.
``python codegen/freeze.py`` (what ``nox -s freeze`` runs) exits 1 naming each released file
that changed, appeared or disappeared; ``--release VERSION`` records a new folder in the lock.
Standard library only, so the check runs from a clean checkout with nothing installed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK_NAME = "released.lock.json"
LOCK_DESCRIPTION = (
    "SHA-256 of the exact bytes of every file of every released schema folder. Released "
    "folders are frozen: change the vocabulary in a new version (nox -s new_version), "
    "then release it with nox -s freeze -- --release VERSION. Never edit this file by hand."
)
ADVICE = (
    "Released schema folders are frozen: logs in the wild are validated against them. "
    "Restore the released files (git checkout -- schema/<version>) and make the change in a "
    "new version instead: nox -s new_version -- <next version>."
)

Lock = dict[str, dict[str, str]]


@dataclass(frozen=True)
class Problem:
    """One way the tree differs from the lock; ``path`` is relative to the repository root."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def version_key(version: str) -> tuple[int, ...]:
    """Sort key for ``MAJOR.MINOR.PATCH``; ``ValueError`` for anything else."""
    parts = version.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"not a MAJOR.MINOR.PATCH version: {version!r}")
    return tuple(int(p) for p in parts)


def is_version(name: str) -> bool:
    try:
        version_key(name)
    except ValueError:
        return False
    return True


def digest(path: Path) -> str:
    """``sha256:<hex>`` of a file's exact bytes (no newline or encoding normalisation)."""
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def folder_digests(folder: Path) -> dict[str, str]:
    """Digest of every file in a version folder, by file name, sorted."""
    return {p.name: digest(p) for p in sorted(folder.iterdir()) if p.is_file()}


def version_folders(schema_dir: Path) -> list[str]:
    """The version folders under ``schema_dir``, oldest first."""
    names = [p.name for p in schema_dir.iterdir() if p.is_dir() and is_version(p.name)]
    return sorted(names, key=version_key)


def read_lock(schema_dir: Path) -> Lock:
    """The lock's ``{version: {file: digest}}``; ``ValueError`` with the path if unreadable."""
    path = schema_dir / LOCK_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{path}: no lock file; run nox -s freeze -- --release VERSION") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot read the lock file: {exc}") from None
    released = data.get("released") if isinstance(data, dict) else None
    if not isinstance(released, dict) or not all(
        isinstance(files, dict) and all(isinstance(d, str) for d in files.values())
        for files in released.values()
    ):
        raise ValueError(f"{path}: expected {{'released': {{version: {{file: digest}}}}}}")
    return released


def write_lock(schema_dir: Path, lock: Lock) -> None:
    ordered = {v: dict(sorted(lock[v].items())) for v in sorted(lock, key=version_key)}
    text = json.dumps({"description": LOCK_DESCRIPTION, "released": ordered}, indent=2)
    (schema_dir / LOCK_NAME).write_text(text + "\n", encoding="utf-8")


def check(root: Path = ROOT) -> list[Problem]:
    """Every difference between the released folders on disk and the lock, in path order."""
    schema_dir = root / "schema"
    lock = read_lock(schema_dir)
    problems: list[Problem] = []
    for version in sorted(lock, key=version_key):
        folder = schema_dir / version
        rel = f"schema/{version}"
        if not folder.is_dir():
            problems.append(Problem(rel, f"released folder {version} is missing"))
            continue
        actual = folder_digests(folder)
        for name, recorded in sorted(lock[version].items()):
            now = actual.get(name)
            if now is None:
                problems.append(Problem(f"{rel}/{name}", f"released file removed from {version}"))
            elif now != recorded:
                problems.append(
                    Problem(
                        f"{rel}/{name}",
                        f"released file changed since {version} was released "
                        f"(locked {recorded[:19]}…, now {now[:19]}…)",
                    )
                )
        for name in sorted(set(actual) - set(lock[version])):
            problems.append(Problem(f"{rel}/{name}", f"file added to released folder {version}"))
    newest = max(lock, key=version_key) if lock else None
    for version in version_folders(schema_dir):
        if version not in lock and newest and version_key(version) < version_key(newest):
            problems.append(
                Problem(
                    f"schema/{version}",
                    f"unreleased folder {version} is older than the newest released "
                    f"version {newest}; a new version must come after every released one",
                )
            )
    return problems


def release(version: str, root: Path = ROOT) -> Lock:
    """Record a version folder in the lock (idempotent when it already matches)."""
    schema_dir = root / "schema"
    folder = schema_dir / version
    if not is_version(version) or not folder.is_dir():
        raise ValueError(f"no version folder schema/{version}")
    lock = read_lock(schema_dir) if (schema_dir / LOCK_NAME).exists() else {}
    digests = folder_digests(folder)
    if version in lock and lock[version] != digests:
        raise ValueError(f"{version} is already released with different files; {ADVICE}")
    lock[version] = digests
    write_lock(schema_dir, lock)
    return lock


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root")
    parser.add_argument("--release", metavar="VERSION", help="add a version folder to the lock")
    args = parser.parse_args(argv)
    try:
        if args.release:
            release(args.release, args.root)
            print(f"released {args.release}: recorded in schema/{LOCK_NAME}; commit it")
            return 0
        problems = check(args.root)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        print(ADVICE, file=sys.stderr)
        return 1
    released = read_lock(args.root / "schema")
    print(f"released schema folders unchanged: {', '.join(sorted(released, key=version_key))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
