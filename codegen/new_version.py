"""Start the next schema version in one command (what ``nox -s new_version -- 0.12.0`` runs).

Copies the newest ``schema/<version>/`` folder to the new version, rewrites the version named in
each document's description, and adds a CHANGELOG stub under ``[Unreleased]``. It never touches
a released folder, nor any hand-written module: they import the newest models from the generated
``vtcode_exec_events.models.newest``, which ``nox -s generate`` then points at the new version.
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def version_key(version: str) -> tuple[int, ...]:
    """Sort key for ``MAJOR.MINOR.PATCH``; ``ValueError`` for anything else."""
    parts = version.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"not a MAJOR.MINOR.PATCH version: {version!r}")
    return tuple(int(p) for p in parts)


def newest_version(schema_dir: Path) -> str:
    names = []
    for path in schema_dir.iterdir():
        try:
            version_key(path.name)
        except ValueError:
            continue
        if path.is_dir():
            names.append(path.name)
    if not names:
        raise ValueError(f"{schema_dir}: no version folders")
    return max(names, key=version_key)


def module_name(version: str) -> str:
    return "v" + version.replace(".", "_")


def copy_folder(schema_dir: Path, old: str, new: str) -> list[Path]:
    """Copy ``old`` to ``new``; each document's description names ``new`` instead of ``old``."""
    target = schema_dir / new
    shutil.copytree(schema_dir / old, target)
    written = []
    for path in sorted(target.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        description = doc.get("description")
        if isinstance(description, str):
            doc["description"] = description.replace(f"schema {old}", f"schema {new}")
        path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def changelog_stub(old: str, new: str) -> str:
    text = (
        f"- Schema version {new} (`schema/{new}/`, started from {old}). TODO: list every wire "
        f'change (each marked `"x-vtcode-since": "{new}"` in the documents) and the verdict '
        f"of `nox -s compat`."
    )
    return (
        textwrap.fill(
            text,
            width=100,
            subsequent_indent="  ",
            break_on_hyphens=False,
            break_long_words=False,
        )
        + "\n"
    )


def add_changelog_stub(changelog: Path, old: str, new: str) -> None:
    """Add an entry under ``## [Unreleased]`` / ``### Added``, creating either when missing."""
    stub = changelog_stub(old, new)
    text = changelog.read_text(encoding="utf-8") if changelog.exists() else "# Changelog\n"
    unreleased = re.search(r"^## \[Unreleased\][^\n]*\n", text, re.MULTILINE)
    if unreleased is None:
        first = re.search(r"^## ", text, re.MULTILINE)
        at = first.start() if first else len(text.rstrip("\n")) + 1
        head = text[:at].rstrip("\n") + "\n\n"
        text = head + "## [Unreleased]\n\n### Added\n\n" + stub + "\n" + text[at:]
    else:
        section_end = re.search(r"^## ", text[unreleased.end() :], re.MULTILINE)
        end = unreleased.end() + section_end.start() if section_end else len(text)
        added = re.search(r"^### Added[^\n]*\n\n?", text[unreleased.end() : end], re.MULTILINE)
        if added is None:
            at = unreleased.end()
            text = text[:at] + "\n### Added\n\n" + stub + text[at:]
        else:
            at = unreleased.end() + added.end()
            text = text[:at] + stub + text[at:]
    changelog.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def next_minor(version: str) -> str:
    major, minor, _ = version_key(version)
    return f"{major}.{minor + 1}.0"


def start(root: Path, new: str | None = None) -> tuple[str, str]:
    """Do every step; return ``(old, new)``. ``ValueError`` before any write on bad input."""
    schema_dir = root / "schema"
    old = newest_version(schema_dir)
    new = new or next_minor(old)
    version_key(new)
    if version_key(new) <= version_key(old):
        raise ValueError(f"the new version {new} must be newer than the newest folder {old}")
    copy_folder(schema_dir, old, new)
    add_changelog_stub(root / "CHANGELOG.md", old, new)
    return old, new


NEXT_STEPS = """\
started schema {new} from {old}:
  schema/{new}/                       copy of {old} (descriptions name {new})
  CHANGELOG.md                        stub under [Unreleased] / Added
next:
  1. edit schema/{new}/ and mark every addition with "x-vtcode-since": "{new}"
     (enum values in "x-vtcode-enum-since")
  2. nox -s generate                  writes generated/vtcode_exec_events/models/{module}.py
                                      and points models/newest.py (EVENT_SCHEMA_VERSION,
                                      the top-level models, the emitters) at {new}
     nox -s docs                      regenerates the vocabulary reference
  3. nox -s compat                    the gate: what the change breaks, per direction
  4. nox -s tests; fill in the CHANGELOG entry
release (once VT Code ships it; the folder is frozen from then on):
  nox -s freeze -- --release {new}    then commit schema/released.lock.json
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("version", nargs="?", help="the new version (default: next minor)")
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root")
    args = parser.parse_args(argv)
    try:
        old, new = start(args.root, args.version)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(NEXT_STEPS.format(old=old, new=new, module=module_name(new)), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
