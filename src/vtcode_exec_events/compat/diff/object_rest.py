"""Objects beyond named properties: patternProperties, additional/unevaluated properties,
propertyNames, property counts and dependencies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vtcode_exec_events.compat.algebra.nodes import unwrap
from vtcode_exec_events.compat.algebra.patterns import sample_name
from vtcode_exec_events.compat.canonical import Node
from vtcode_exec_events.compat.diff import scalars
from vtcode_exec_events.compat.diff.change import Path, Step
from vtcode_exec_events.compat.diff.results import Out

if TYPE_CHECKING:
    from vtcode_exec_events.compat.diff.engine import Differ

__all__ = ["compare", "rest_of"]

#: (additionalProperties rules, unevaluatedProperties rules): added, removed, narrowed, extended
_REST_RULES = {
    "additionalProperties": (
        "ADDITIONAL_PROPERTIES_ADDED",
        "ADDITIONAL_PROPERTIES_REMOVED",
        "ADDITIONAL_PROPERTIES_NARROWED",
        "ADDITIONAL_PROPERTIES_EXTENDED",
    ),
    "unevaluatedProperties": (
        "UNEVALUATED_PROPERTIES_ADDED",
        "UNEVALUATED_PROPERTIES_REMOVED",
        "UNEVALUATED_PROPERTIES_NARROWED",
        "UNEVALUATED_PROPERTIES_EXTENDED",
    ),
}


def rest_of(d: Differ, x: Node) -> Node:
    """The schema of the names ``x`` does not declare (additional/unevaluated properties)."""
    addl = x.kw.get("additionalProperties")
    if addl is None:
        addl = x.kw.get("unevaluatedProperties")
    return unwrap(addl) if addl is not None else d.TRUE


def compare(d: Differ, a: Node, b: Node, path: Path, out: Out) -> None:
    """Everything of an object but its named properties."""
    rest_a, rest_b = rest_of(d, a), rest_of(d, b)
    _patterns(d, a, b, path, out, rest_a, rest_b)
    if not (rest_a.is_true and rest_b.is_true):
        _rest(d, a, b, path, out, rest_a, rest_b)
    pna = unwrap(a.kw["propertyNames"]) if "propertyNames" in a.kw else d.TRUE
    pnb = unwrap(b.kw["propertyNames"]) if "propertyNames" in b.kw else d.TRUE
    if not (pna.is_true and pnb.is_true):
        r = d.cmp(pna, pnb, path)
        if not (r.backward and r.forward):
            out.append(
                d.change(
                    "PROPERTY_NAMES_CHANGED",
                    pna,
                    pnb,
                    path,
                    backward=r.backward,
                    forward=r.forward,
                    at=(a, b),
                )
            )
    scalars.bound(d, a, b, path, out, "minProperties", lower=True)
    scalars.bound(d, a, b, path, out, "maxProperties", lower=False)
    _dependencies(d, a, b, path, out)


def _patterns(
    d: Differ, a: Node, b: Node, path: Path, out: Out, rest_a: Node, rest_b: Node
) -> None:
    pat_a = a.kw.get("patternProperties", {})
    pat_b = b.kw.get("patternProperties", {})
    if set(pat_a) != set(pat_b) and pat_a and pat_b:
        out.append(
            d.change(
                "PATTERN_PROPERTIES_CHANGED",
                a,
                b,
                path,
                backward=False,
                forward=False,
                decided=False,
                a_kw="patternProperties",
                b_kw="patternProperties",
                detail=f"patternProperties changed from {sorted(pat_a)} to {sorted(pat_b)}; "
                "overlapping patterns are not analysed",
            )
        )
    elif set(pat_a) != set(pat_b):
        # one side has no patterns: its undeclared names all fall to additionalProperties
        pairs = (
            [(rest_a, unwrap(s), p) for p, s in pat_b.items()]
            if pat_b
            else [(unwrap(s), rest_b, p) for p, s in pat_a.items()]
        )
        for xa, xb, pat in pairs:
            pstep = (*path, Step(a, b, sample_name(pat)))
            r = d.cmp(xa, xb, pstep)
            if not (r.backward and r.forward):
                out.append(
                    d.change(
                        "PATTERN_PROPERTIES_CHANGED",
                        xa,
                        xb,
                        pstep,
                        backward=r.backward,
                        forward=r.forward,
                        detail=f"names matching {pat!r} are now governed by {xb.display} "
                        f"(was {xa.display})",
                    )
                )
    else:
        for pat in pat_a:
            step = (*path, Step(a, b, sample_name(pat)))
            out.child(d.cmp(unwrap(pat_a[pat]), unwrap(pat_b[pat]), step))


def _rest(d: Differ, a: Node, b: Node, path: Path, out: Out, rest_a: Node, rest_b: Node) -> None:
    kw = (
        "additionalProperties"
        if ("additionalProperties" in a.kw or "additionalProperties" in b.kw)
        else "unevaluatedProperties"
    )
    added, removed, narrowed, extended = _REST_RULES[kw]
    extra = _fresh_name(a.kw.get("properties", {}), b.kw.get("properties", {}))
    step = (*path, Step(a, b, extra))
    hints = ("extra", extra)
    if rest_a.false and not rest_b.false:
        b_kw = kw if kw in b.kw else None
        out.append(d.change(added, a, b, path, a_kw=kw, b_kw=b_kw, hints=hints))
    elif rest_b.false and not rest_a.false:
        a_kw = kw if kw in a.kw else None
        out.append(d.change(removed, a, b, path, a_kw=a_kw, b_kw=kw, hints=hints))
    elif not (rest_a.false and rest_b.false):
        r = d.cmp(rest_a, rest_b, step)
        if rest_a.is_true:
            out.append(
                d.change(
                    narrowed,
                    a,
                    b,
                    path,
                    backward=r.backward,
                    b_kw=kw,
                    hints=hints,
                    schema=rest_b.display,
                )
            )
        elif rest_b.is_true:
            out.append(d.change(extended, a, b, path, forward=r.forward, a_kw=kw, hints=hints))
        else:
            out.child(r)


def _dependencies(d: Differ, a: Node, b: Node, path: Path, out: Out) -> None:
    da = a.kw.get("dependentRequired", {})
    db = b.kw.get("dependentRequired", {})
    for name in dict.fromkeys([*da, *db]):
        need_a, need_b = set(da.get(name, [])), set(db.get(name, []))
        if need_a == need_b:
            continue
        if not need_a:
            rule = "DEPENDENCY_ARRAY_ADDED"
        elif not need_b:
            rule = "DEPENDENCY_ARRAY_REMOVED"
        elif need_a < need_b:
            rule = "DEPENDENCY_ARRAY_EXTENDED"
        elif need_b < need_a:
            rule = "DEPENDENCY_ARRAY_NARROWED"
        else:
            rule = "DEPENDENCY_ARRAY_CHANGED"
        out.append(
            d.change(
                rule,
                a,
                b,
                path,
                hints=("dep", name),
                detail=f"when {name!r} is present, {sorted(need_b)} are required "
                f"(was {sorted(need_a)})",
            )
        )
    sa_ = a.kw.get("dependentSchemas", {})
    sb_ = b.kw.get("dependentSchemas", {})
    for name in dict.fromkeys([*sa_, *sb_]):
        xa = unwrap(sa_[name]) if name in sa_ else d.TRUE
        xb = unwrap(sb_[name]) if name in sb_ else d.TRUE
        r = d.cmp(xa, xb, path)
        if name not in sa_ and not r.backward:
            out.append(d.change("DEPENDENCY_SCHEMA_ADDED", a, xb, path, at=(a, b), name=name))
        elif name not in sb_ and not r.forward:
            out.append(d.change("DEPENDENCY_SCHEMA_REMOVED", xa, b, path, at=(a, b), name=name))
        else:
            out.child(r)


def _fresh_name(*decl: dict[str, Any]) -> str:
    name = "x-undeclared"
    while any(name in d for d in decl):
        name += "_"
    return name
