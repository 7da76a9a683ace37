"""Types, strings (length, pattern, format) and numbers (bounds, multipleOf)."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from vtcode_exec_events.compat.algebra.nodes import covered, expand, families, finite
from vtcode_exec_events.compat.algebra.patterns import (
    describe_languages,
    language_subset,
    pattern_language,
)
from vtcode_exec_events.compat.algebra.regex import counterexample
from vtcode_exec_events.compat.canonical import Node
from vtcode_exec_events.compat.diff import enums
from vtcode_exec_events.compat.diff.change import Path
from vtcode_exec_events.compat.diff.results import Out

if TYPE_CHECKING:
    from vtcode_exec_events.compat.diff.engine import Differ

__all__ = ["bound", "compare_number", "compare_string", "compare_types", "shared_families"]

#: keyword → its rules for (added, removed, increased, decreased).
BOUND_RULES = {
    "minLength": (
        "MIN_LENGTH_ADDED",
        "MIN_LENGTH_REMOVED",
        "MIN_LENGTH_INCREASED",
        "MIN_LENGTH_DECREASED",
    ),
    "maxLength": (
        "MAX_LENGTH_ADDED",
        "MAX_LENGTH_REMOVED",
        "MAX_LENGTH_INCREASED",
        "MAX_LENGTH_DECREASED",
    ),
    "minProperties": (
        "MIN_PROPERTIES_ADDED",
        "MIN_PROPERTIES_REMOVED",
        "MIN_PROPERTIES_INCREASED",
        "MIN_PROPERTIES_DECREASED",
    ),
    "maxProperties": (
        "MAX_PROPERTIES_ADDED",
        "MAX_PROPERTIES_REMOVED",
        "MAX_PROPERTIES_INCREASED",
        "MAX_PROPERTIES_DECREASED",
    ),
    "minItems": (
        "MIN_ITEMS_ADDED",
        "MIN_ITEMS_REMOVED",
        "MIN_ITEMS_INCREASED",
        "MIN_ITEMS_DECREASED",
    ),
    "maxItems": (
        "MAX_ITEMS_ADDED",
        "MAX_ITEMS_REMOVED",
        "MAX_ITEMS_INCREASED",
        "MAX_ITEMS_DECREASED",
    ),
    # minContains is always known on both sides (1 by default): it never appears or disappears
    "minContains": ("", "", "MIN_CONTAINS_INCREASED", "MIN_CONTAINS_DECREASED"),
    "maxContains": (
        "MAX_CONTAINS_ADDED",
        "MAX_CONTAINS_REMOVED",
        "MAX_CONTAINS_INCREASED",
        "MAX_CONTAINS_DECREASED",
    ),
    "minimum": ("MINIMUM_ADDED", "MINIMUM_REMOVED", "MINIMUM_INCREASED", "MINIMUM_DECREASED"),
    "exclusiveMinimum": (
        "EXCLUSIVE_MINIMUM_ADDED",
        "EXCLUSIVE_MINIMUM_REMOVED",
        "EXCLUSIVE_MINIMUM_INCREASED",
        "EXCLUSIVE_MINIMUM_DECREASED",
    ),
    "maximum": ("MAXIMUM_ADDED", "MAXIMUM_REMOVED", "MAXIMUM_INCREASED", "MAXIMUM_DECREASED"),
    "exclusiveMaximum": (
        "EXCLUSIVE_MAXIMUM_ADDED",
        "EXCLUSIVE_MAXIMUM_REMOVED",
        "EXCLUSIVE_MAXIMUM_INCREASED",
        "EXCLUSIVE_MAXIMUM_DECREASED",
    ),
}
_VERBS = ("ADDED", "REMOVED", "INCREASED", "DECREASED")


def shared_families(a: Node, b: Node) -> set[str]:
    """The type families both schemas accept."""
    return families(a.types) & families(b.types)


def compare_types(d: Differ, a: Node, b: Node, path: Path, out: Out) -> bool:
    """Report a change of the JSON types; False when finite schemas were compared instead
    (nothing more to compare)."""
    if a.enum is not None or b.enum is not None or finite(a) or finite(b):
        enums.compare(d, a, b, path, out)
        return False
    removed = [t for t in expand(a.types) if not covered(t, b.types)]
    added = [t for t in expand(b.types) if not covered(t, a.types)]
    if not (removed or added):
        return True
    if (
        a.types == frozenset({"integer"})
        and b.types is not None
        and "number" in b.types
        and not removed
    ):
        rule = "TYPE_EXTENDED"
    elif (
        b.types == frozenset({"integer"})
        and a.types is not None
        and "number" in a.types
        and not added
    ):
        rule = "TYPE_NARROWED"
    elif removed and added:
        rule = "TYPE_CHANGED"
    elif added:
        rule = "SUM_TYPE_EXTENDED"
    elif a.types is None:
        rule = "TYPE_CHANGED"
    else:
        rule = "SUM_TYPE_NARROWED"
    msg = []
    if removed:
        msg.append(f"no longer accepts {', '.join(removed)}")
    if added:
        msg.append(f"now also accepts {', '.join(added)}")
    out.append(
        d.change(
            rule,
            a,
            b,
            path,
            backward=not removed,
            forward=not added,
            a_kw="type" if a.types is not None else None,
            b_kw="type" if b.types is not None else None,
            hints=("types", tuple(removed), tuple(added)),
            detail="type " + " and ".join(msg),
        )
    )
    return True


def compare_string(d: Differ, a: Node, b: Node, path: Path, out: Out) -> None:
    """Length bounds, pattern and format."""
    bound(d, a, b, path, out, "minLength", lower=True)
    bound(d, a, b, path, out, "maxLength", lower=False)
    pa, pb = a.kw.get("pattern"), b.kw.get("pattern")
    if pa != pb:
        if pa is None:
            out.append(d.change("PATTERN_ADDED", a, b, path, b_kw="pattern", pattern=pb))
        elif pb is None:
            out.append(d.change("PATTERN_REMOVED", a, b, path, a_kw="pattern", pattern=pa))
        else:
            _pattern_changed(d, a, b, path, out, pa, pb)
    fa, fb = a.kw.get("format"), b.kw.get("format")
    if fa != fb:
        strict = d.format_assertion
        if fa is None:
            out.append(
                d.change("FORMAT_ADDED", a, b, path, backward=not strict, b_kw="format", format=fb)
            )
        elif fb is None:
            out.append(
                d.change("FORMAT_REMOVED", a, b, path, forward=not strict, a_kw="format", format=fa)
            )
        else:
            out.append(
                d.change(
                    "FORMAT_CHANGED",
                    a,
                    b,
                    path,
                    backward=not strict,
                    forward=not strict,
                    a_kw="format",
                    b_kw="format",
                    old=fa,
                    new=fb,
                )
            )


def _pattern_changed(d: Differ, a: Node, b: Node, path: Path, out: Out, pa: Any, pb: Any) -> None:
    la, lb = pattern_language(pa), pattern_language(pb)
    old_only = counterexample(pa, pb)  # is every old match a new match? if not, a string
    new_only = counterexample(pb, pa)
    if old_only is not None and new_only is not None:
        backward, forward = old_only[0], new_only[0]
        if backward and forward:
            return
        lost = old_only[1] if not backward else None
        gained = new_only[1] if not forward else None
        # a non-inclusion is proven when its string really tells the two schemas apart
        decided = (lost is None or (d.valid(lost, a, "old") and not d.valid(lost, b, "new"))) and (
            gained is None or (d.valid(gained, b, "new") and not d.valid(gained, a, "old"))
        )
        if la is not None and lb is not None:
            msg = describe_languages(la, lb)
        else:
            parts = []
            if lost is not None:
                parts.append(f"{lost!r} matched the old pattern and not the new one")
            if gained is not None:
                parts.append(f"{gained!r} matches the new pattern and not the old one")
            msg = f"pattern changed from {pa!r} to {pb!r}: " + "; ".join(parts)
        hints: tuple[Any, ...] = (
            "values",
            (lost,) if lost is not None else (),
            (gained,) if gained is not None else (),
        )
    elif la is not None and lb is not None:
        backward, forward = language_subset(la, lb), language_subset(lb, la)
        if backward and forward:
            return
        decided, msg = True, describe_languages(la, lb)
        hints = ("pattern", la, lb)
    else:
        backward = forward = decided = False
        msg = f"pattern changed from {pa!r} to {pb!r} (regex inclusion is not decided)"
        hints = ("pattern", la, lb)
    out.append(
        d.change(
            "PATTERN_CHANGED",
            a,
            b,
            path,
            backward=backward,
            forward=forward,
            decided=decided,
            a_kw="pattern",
            b_kw="pattern",
            hints=hints,
            detail=msg,
        )
    )


def bound(
    d: Differ,
    a: Node,
    b: Node,
    path: Path,
    out: Out,
    kw: str,
    *,
    lower: bool,
    va: Any = None,
    vb: Any = None,
) -> None:
    """A lower (``lower``) or upper bound ``kw`` added, removed, raised or lowered."""
    va = a.kw.get(kw) if va is None else va
    vb = b.kw.get(kw) if vb is None else vb
    if va == vb or (va is None and vb is None):
        return
    if va is None:
        what, looser = 0, False
    elif vb is None:
        what, looser = 1, True
    elif vb > va:
        what, looser = 2, not lower
    else:
        what, looser = 3, lower
    if lower and va is None and vb == 0:
        return
    if lower and vb is None and va == 0:
        return
    out.append(
        d.change(
            BOUND_RULES[kw][what],
            a,
            b,
            path,
            backward=looser,
            forward=not looser,
            a_kw=kw if va is not None else None,
            b_kw=kw if vb is not None else None,
            hints=("bound", kw, va, vb),
            keyword=kw,
            verb=_VERBS[what].lower(),
            values=(f" from {va}" if va is not None else "")
            + (f" to {vb}" if vb is not None else ""),
        )
    )


def compare_number(d: Differ, a: Node, b: Node, path: Path, out: Out) -> None:
    """Effective lower and upper bounds (inclusive or exclusive) and multipleOf."""
    for lower, (inc, exc) in (
        (True, ("minimum", "exclusiveMinimum")),
        (False, ("maximum", "exclusiveMaximum")),
    ):
        _number_bound(d, a, b, path, out, lower, inc, exc)
    ma, mb = a.kw.get("multipleOf"), b.kw.get("multipleOf")
    if ma == mb:
        return
    if ma is None:
        out.append(d.change("MULTIPLE_OF_ADDED", a, b, path, b_kw="multipleOf", new=mb))
        return
    if mb is None:
        out.append(d.change("MULTIPLE_OF_REMOVED", a, b, path, a_kw="multipleOf", old=ma))
        return
    fa, fb = Fraction(str(ma)), Fraction(str(mb))
    if (fa / fb).denominator == 1:
        rule = "MULTIPLE_OF_REDUCED"
    elif (fb / fa).denominator == 1:
        rule = "MULTIPLE_OF_EXPANDED"
    else:
        rule = "MULTIPLE_OF_CHANGED"
    out.append(d.change(rule, a, b, path, a_kw="multipleOf", b_kw="multipleOf", old=ma, new=mb))


def _number_bound(
    d: Differ, a: Node, b: Node, path: Path, out: Out, lower: bool, inc: str, exc: str
) -> None:
    ba = _eff_bound(a.kw, inc, exc, lower)
    bb = _eff_bound(b.kw, inc, exc, lower)
    if ba == bb:
        return
    if ba is None:
        looser = False
        kw = exc if bb is not None and bb[1] else inc
        what = 0
    elif bb is None:
        looser = True
        kw = exc if ba[1] else inc
        what = 1
    else:
        looser = _looser(bb, ba, lower)
        kw = exc if bb[1] else inc
        what = 2 if (bb[0], bb[1] != lower) > (ba[0], ba[1] != lower) else 3
        if bb[0] == ba[0]:
            what = 2 if (lower and bb[1]) or (not lower and not bb[1]) else 3

    def desc(x: tuple[Any, bool] | None) -> str:
        if x is None:
            return "none"
        if lower:
            return ("> " if x[1] else ">= ") + str(x[0])
        return ("< " if x[1] else "<= ") + str(x[0])

    out.append(
        d.change(
            BOUND_RULES[kw][what],
            a,
            b,
            path,
            backward=looser,
            forward=not looser,
            a_kw=_bound_kw(ba, inc, exc),
            b_kw=_bound_kw(bb, inc, exc),
            hints=("num", lower, ba, bb),
            side="lower" if lower else "upper",
            old=desc(ba),
            new=desc(bb),
        )
    )


def _eff_bound(kw: dict[str, Any], inc: str, exc: str, lower: bool) -> tuple[Any, bool] | None:
    cands = []
    if inc in kw:
        cands.append((kw[inc], False))
    if exc in kw:
        cands.append((kw[exc], True))
    if not cands:
        return None
    best = cands[0]
    for c in cands[1:]:
        if _looser(best, c, lower):
            best = c
    return best


def _looser(x: tuple[Any, bool], y: tuple[Any, bool], lower: bool) -> bool:
    """Whether bound ``x`` admits everything bound ``y`` admits."""
    if x[0] == y[0]:
        return (not x[1]) or y[1]
    return bool(x[0] < y[0]) if lower else bool(x[0] > y[0])


def _bound_kw(bound: tuple[Any, bool] | None, inc: str, exc: str) -> str | None:
    """The keyword holding the effective bound (the tighter one when both are present)."""
    if bound is None:
        return None
    return exc if bound[1] else inc
