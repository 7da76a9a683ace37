"""Objects, name by name: properties added, removed or changed, and `required`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vtcode_exec_events.compat.algebra.nodes import copy_node, unwrap
from vtcode_exec_events.compat.algebra.patterns import search
from vtcode_exec_events.compat.canonical import Node
from vtcode_exec_events.compat.diff import object_rest
from vtcode_exec_events.compat.diff.change import Path, Step
from vtcode_exec_events.compat.diff.results import Out, Result

if TYPE_CHECKING:
    from vtcode_exec_events.compat.diff.engine import Differ

__all__ = ["compare", "for_name"]


def for_name(d: Differ, x: Node, name: str) -> tuple[Node, str]:
    """The schema ``x`` applies to property ``name`` and how: declared, pattern, or the
    rest of the object (closed, open or partial)."""
    props = x.kw.get("properties", {})
    pats = [s for p, s in x.kw.get("patternProperties", {}).items() if search(p, name)]
    if name in props:
        base, how = unwrap(props[name]), "declared"
    elif pats:
        base, how = unwrap(pats[0]), "pattern"
        pats = pats[1:]
    else:
        rest = object_rest.rest_of(d, x)
        return rest, ("closed" if rest.false else "open" if rest.is_true else "partial")
    if pats:
        v = copy_node(base)
        v.allof = [*base.allof, *pats]
        return v, how
    return base, how


def compare(d: Differ, a: Node, b: Node, path: Path, out: Out) -> None:
    """Every property name either side declares or requires, then the rest of the object."""
    pa = a.kw.get("properties", {})
    pb = b.kw.get("properties", {})
    ra = set(a.kw.get("required", []))
    rb = set(b.kw.get("required", []))
    for name in dict.fromkeys([*pa, *pb, *sorted(ra), *sorted(rb)]):
        _name(d, a, b, path, out, name, (name in ra, name in rb))
    object_rest.compare(d, a, b, path, out)


def _name(
    d: Differ, a: Node, b: Node, path: Path, out: Out, name: str, req: tuple[bool, bool]
) -> None:
    step = (*path, Step(a, b, name))
    sa, how_a = for_name(d, a, name)
    sb, how_b = for_name(d, b, name)
    req_a, req_b = req
    declared_a = name in a.kw.get("properties", {})
    declared_b = name in b.kw.get("properties", {})
    if declared_a and declared_b:
        out.child(d.cmp(sa, sb, step))
    elif declared_b:
        _added(d, a, b, path, out, name, (sa, sb), how_a, d.cmp(sa, sb, step), req)
        if req_b and not req_a:
            req_a = req_b  # reported
    elif declared_a:
        _removed(d, a, b, path, out, name, sa, sb, how_b, d.cmp(sa, sb, step))
        if req_a and not req_b and not out.own[-1].forward:
            req_b = req_a  # removal already explains it (else: new data may omit it)
    elif not (sa.is_true and sb.is_true):
        out.child(d.cmp(sa, sb, step))
    if req_a != req_b:
        _required(d, a, b, path, out, name, declared_a and declared_b, sb, became=req_b)


def _added(
    d: Differ,
    a: Node,
    b: Node,
    path: Path,
    out: Out,
    name: str,
    nodes: tuple[Node, Node],
    how_a: str,
    r: Result,
    req: tuple[bool, bool],
) -> None:
    req_a, req_b = req
    sa, sb = nodes
    if how_a == "open":
        if sb.is_true:
            out.append(
                d.change(
                    "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", a, sb, path, name=name
                )
            )
        elif not req_b:
            out.append(
                d.change(
                    "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
                    a,
                    sb,
                    path,
                    backward=r.backward,
                    hints=("prop", name),
                    at=(a, b),
                    name=name,
                )
            )
        elif req_a:
            # Required before but undeclared (any value); declaring it now narrows what it
            # accepts: the nested comparison says how.
            out.child(r)
    elif how_a == "closed":
        if not req_b:
            out.append(
                d.change(
                    "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
                    a,
                    sb,
                    path,
                    forward=sb.false,
                    hints=("prop", name),
                    at=(a, b),
                    name=name,
                )
            )
    else:
        rule = (
            "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
            if r.backward
            else "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
        )
        _partial(d, rule, (a, b), (sa, sb), path, out, name, r, through=sa)
    if req_b and not req_a:
        if "default" in sb.annotations:
            rule = (
                "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL"
                if how_a == "open"
                else "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL"
            )
            backward = d.required_default_ok
        else:
            rule = (
                "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
                if how_a == "open"
                else "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"
            )
            backward = False
        out.append(
            d.change(
                rule, a, sb, path, backward=backward, hints=("req", name), at=(a, b), name=name
            )
        )


def _removed(
    d: Differ,
    a: Node,
    b: Node,
    path: Path,
    out: Out,
    name: str,
    sa: Node,
    sb: Node,
    how_b: str,
    r: Result,
) -> None:
    if how_b == "open":
        out.append(
            d.change(
                "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
                sa,
                b,
                path,
                forward=r.forward,
                hints=("prop", name),
                at=(a, b),
                name=name,
            )
        )
    elif how_b == "closed":
        if sa.false:
            out.append(
                d.change(
                    "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", sa, b, path, name=name
                )
            )
        else:
            out.append(
                d.change(
                    "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
                    sa,
                    b,
                    path,
                    hints=("prop", name),
                    at=(a, b),
                    name=name,
                )
            )
    else:
        rule = (
            "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
            if r.backward
            else "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
        )
        _partial(d, rule, (a, b), (sa, sb), path, out, name, r, through=sb)


def _partial(
    d: Differ,
    rule: str,
    objects: tuple[Node, Node],
    nodes: tuple[Node, Node],
    path: Path,
    out: Out,
    name: str,
    r: Result,
    *,
    through: Node,
) -> None:
    """A property declared on one side only, met by the other side's partially open rest
    (``through``): the nested comparison ``r`` decides both verdicts."""
    out.append(
        d.change(
            rule,
            *nodes,
            path,
            backward=r.backward,
            forward=r.forward,
            hints=("prop", name),
            at=objects,
            name=name,
            through=through.display,
        )
    )
    out.child(r)


def _required(
    d: Differ,
    a: Node,
    b: Node,
    path: Path,
    out: Out,
    name: str,
    declared: bool,
    sb: Node,
    *,
    became: bool,
) -> None:
    if became:
        has_default = "default" in sb.annotations
        if not declared:
            rule = "REQUIRED_UNDECLARED_ADDED"
        elif has_default:
            rule = "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED"
        else:
            rule = "REQUIRED_ATTRIBUTE_ADDED"
        out.append(
            d.change(
                rule,
                a,
                b,
                path,
                backward=has_default and d.required_default_ok,
                b_kw="required",
                hints=("req", name),
                name=name,
            )
        )
    else:
        rule = "REQUIRED_ATTRIBUTE_REMOVED" if declared else "REQUIRED_UNDECLARED_REMOVED"
        out.append(d.change(rule, a, b, path, a_kw="required", hints=("req", name), name=name))
