"""Every relative link in the README, MIGRATION, CHANGELOG and docs/ leads somewhere real.

A link to a file must name an existing file; a link with ``#anchor`` into a Markdown file must
name a heading of that file (GitHub's slug: lower case, punctuation dropped, spaces to
hyphens) or an ``<a id>`` in it. Links inside code blocks and absolute URLs are not checked.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOP = [ROOT / "README.md", ROOT / "MIGRATION.md", ROOT / "CHANGELOG.md"]
PAGES = sorted(p for p in [*TOP, *(ROOT / "docs").glob("*.md")] if p.exists())
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCED = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)


def prose(path: Path) -> str:
    return FENCED.sub("", path.read_text(encoding="utf-8"))


def slug(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@functools.cache
def anchors(path: Path) -> frozenset[str]:
    text = prose(path)
    found = set(re.findall(r'<a id="([^"]+)"', text))
    found.update(slug(h) for h in re.findall(r"^#{1,6}\s+(.+?)\s*#*$", text, re.M))
    return frozenset(found)


def broken(page: Path) -> list[str]:
    problems = []
    for target in LINK.findall(prose(page)):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):
            continue
        path, _, anchor = target.partition("#")
        destination = (page.parent / path).resolve() if path else page
        if not destination.exists():
            problems.append(f"{target}: no such file")
        elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
            problems.append(f"{target}: no heading or anchor {anchor!r} there")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_lead_somewhere(page: Path) -> None:
    assert broken(page) == []


def test_the_checker_sees_broken_links(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# A heading, with punctuation!\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](other.md) [ok](other.md#a-heading-with-punctuation) [web](https://x.invalid)\n"
        "[gone](missing.md) [bad](other.md#nope) [self](#here)\n\n## Here\n"
        "```\n[in code](nowhere.md)\n```\n",
        encoding="utf-8",
    )
    assert broken(page) == [
        "missing.md: no such file",
        "other.md#nope: no heading or anchor 'nope' there",
    ]
