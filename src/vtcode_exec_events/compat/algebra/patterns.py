"""Regular-expression languages the checker reasons about exactly, and name matching."""

from __future__ import annotations

import re

from vtcode_exec_events.compat.algebra import regex

__all__ = [
    "Language",
    "certainly_misses",
    "describe_languages",
    "language_subset",
    "pattern_language",
    "sample_name",
    "search",
]

#: ("only", strings): exactly these strings; ("exclude", strings): every string but these.
Language = tuple[str, frozenset[str]]

_END = r"(?:\$|\\Z|\(\?!\[\\s\\S\]\))"
_EXCLUDE = re.compile(
    r"^\^\(\?!\(\?:(?P<alts>[^()]*)\)" + _END + r"\)(?P<rest>\.\*|\.\+|\[\\s\\S\]\*)?$"
)
_ONLY = re.compile(
    r"^\^\(\?:(?P<alts>[^()]*)\)" + _END + "$"
    r"|^\^(?P<lit>[^()|\[\]{}*+?.^$\\]*(?:\\.[^()|\[\]{}*+?.^$\\]*)*)" + _END + "$"
)


def _unescape_alt(text: str) -> str | None:
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            if i + 1 >= len(text) or text[i + 1].isalnum():
                return None
            out.append(text[i + 1])
            i += 2
            continue
        if ch in "[](){}*+?.^$|":
            return None
        out.append(ch)
        i += 1
    return "".join(out)


def pattern_language(pattern: str) -> Language | None:
    """Patterns we can reason about exactly: ``^(?:a|b)$`` (only these strings) and
    ``^(?!(?:a|b)$)`` (every string but these); None for anything else."""
    m = _EXCLUDE.match(pattern)
    if m and m.group("rest") != ".+":
        alts = [_unescape_alt(x) for x in m.group("alts").split("|")]
        if all(a is not None for a in alts):
            return "exclude", frozenset(a for a in alts if a is not None)
    m = _ONLY.match(pattern)
    if m:
        raw = m.group("alts") if m.group("alts") is not None else m.group("lit")
        alts = [_unescape_alt(x) for x in raw.split("|")]
        if all(a is not None for a in alts):
            return "only", frozenset(a for a in alts if a is not None)
    return None


def describe_languages(x: Language, y: Language) -> str:
    """How language ``y`` differs from ``x``, for people."""

    def names(vals: frozenset[str]) -> str:
        shown = ", ".join(repr(v) for v in sorted(vals)[:6])
        return shown + (f" and {len(vals) - 6} more" if len(vals) > 6 else "")

    if x[0] == y[0] == "exclude":
        parts = []
        if y[1] - x[1]:
            parts.append(f"now also excludes {names(y[1] - x[1])}")
        if x[1] - y[1]:
            parts.append(f"no longer excludes {names(x[1] - y[1])}")
        return "pattern (an exclusion list) " + "; ".join(parts)
    if x[0] == y[0] == "only":
        parts = []
        if x[1] - y[1]:
            parts.append(f"no longer accepts {names(x[1] - y[1])}")
        if y[1] - x[1]:
            parts.append(f"now accepts {names(y[1] - x[1])}")
        return "pattern (a list of literals) " + "; ".join(parts)
    return "pattern changed between a literal list and an exclusion list"


def language_subset(x: Language, y: Language) -> bool:
    """Whether language ``x`` is contained in language ``y``."""
    if x[0] == "only" and y[0] == "only":
        return x[1] <= y[1]
    if x[0] == "only" and y[0] == "exclude":
        return not (x[1] & y[1])
    if x[0] == "exclude" and y[0] == "exclude":
        return y[1] <= x[1]
    return False


def search(pattern: str, name: str) -> bool:
    """Whether ``pattern`` (ECMA-262) certainly matches somewhere in ``name`` (False for an
    invalid pattern, or one that cannot be matched safely on ``name``)."""
    return regex.search(pattern, name) is True


def certainly_misses(pattern: str, text: str) -> bool:
    """Whether ``pattern`` is valid and certainly does not match anywhere in ``text``."""
    return regex.search(pattern, text) is False


def sample_name(pattern: str) -> str:
    """A property name ``pattern`` matches (a guess when none of the usual ones does)."""
    for cand in ("x", "a", "key", "x-extra", "0", "A"):
        if search(pattern, cand):
            return cand
    lit = re.sub(r"[\^\$\\.*+?()\[\]{}|]", "", pattern)
    return lit or "x"
