"""Annotations (title, description, default, ...) and unknown keywords: never breaking."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vtcode_exec_events.compat.canonical import Node, canonical
from vtcode_exec_events.compat.diff.change import Path
from vtcode_exec_events.compat.diff.results import Out

if TYPE_CHECKING:
    from vtcode_exec_events.compat.diff.engine import Differ

__all__ = ["compare", "short"]

_RULE_FOR = {
    "title": "TITLE_CHANGED",
    "description": "DESCRIPTION_CHANGED",
    "default": "DEFAULT_CHANGED",
    "examples": "EXAMPLES_CHANGED",
    "deprecated": "DEPRECATED_CHANGED",
    "readOnly": "READ_ONLY_CHANGED",
    "writeOnly": "WRITE_ONLY_CHANGED",
    "$comment": "COMMENT_CHANGED",
    "contentEncoding": "CONTENT_ANNOTATION_CHANGED",
    "contentMediaType": "CONTENT_ANNOTATION_CHANGED",
    "contentSchema": "CONTENT_ANNOTATION_CHANGED",
}


class _Missing:
    pass


_MISSING = _Missing()


def short(v: Any) -> str:
    """A JSON value for a message, cut at 60 characters."""
    if isinstance(v, _Missing):
        return "(none)"
    text = canonical(v)
    return text if len(text) <= 60 else text[:57] + "..."


def compare(d: Differ, a: Node, b: Node, path: Path, out: Out) -> None:
    """Report every annotation that differs (compatible both ways)."""
    for key, rule in _RULE_FOR.items() if a.annotations or b.annotations else ():
        va = a.annotations.get(key, _MISSING)
        vb = b.annotations.get(key, _MISSING)
        if va is _MISSING and vb is _MISSING:
            continue
        if va is not _MISSING and vb is not _MISSING and canonical(va) == canonical(vb):
            continue
        out.append(
            d.change(
                rule,
                a,
                b,
                path,
                a_kw=key if va is not _MISSING else None,
                b_kw=key if vb is not _MISSING else None,
                keyword=key,
                old=short(va),
                new=short(vb),
            )
        )
    if (a.unknown or b.unknown) and canonical(a.unknown) != canonical(b.unknown):
        out.append(d.change("UNKNOWN_KEYWORD_CHANGED", a, b, path))
