"""Loads the shared conformance corpora (never copied into the repo) and scores the checker."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vtcode_exec_events.compat import Policy, compare

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "conformance"
CONFLUENT = SHARED / "confluent"
GETSENTRY = SHARED / "getsentry-json-schema-diff"
CONFLUENT_FILES = (
    "diff-schema-examples.json",
    "diff-schema-examples-2020-12.json",
    "diff-combined-schema-examples.json",
    "diff-combined-schema-examples-2020-12.json",
)


def _lenient_json(text: str) -> Any:
    out = []
    in_str = esc = False
    for i, ch in enumerate(text):
        if in_str:
            out.append(ch)
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
            continue
        if ch == '"':
            in_str = True
        elif ch == ",":
            rest = text[i + 1 :].lstrip()
            if rest[:1] in ("}", "]"):
                continue
        out.append(ch)
    return json.loads("".join(out))


@dataclass
class Case:
    id: str
    old: Any
    new: Any
    strict: bool
    lenient: bool
    changes: list[str]


def confluent_cases() -> Iterator[Case]:
    for name in CONFLUENT_FILES:
        data = _lenient_json((CONFLUENT / name).read_text(encoding="utf-8"))
        for i, c in enumerate(data):
            strict = bool(c["compatible"])
            yield Case(
                id=f"{name}#{i}",
                old=c["original_schema"],
                new=c["update_schema"],
                strict=strict,
                lenient=bool(c.get("compatible_lenient", strict)),
                changes=[s.split(" ", 1)[0] for s in c.get("changes", [])],
            )


# getsentry: the breaking rule from its SOURCE.md
_KIND = re.compile(r"change: (\w+)")


def _breaking(kind: str, body: str) -> bool:
    always = {
        "TypeRemove",
        "ConstAdd",
        "RangeAdd",
        "ArrayToTuple",
        "TupleChange",
        "RequiredAdd",
        "FormatAdd",
        "FormatChange",
        "PatternAdd",
        "PatternChange",
        "MinLengthAdd",
        "MaxLengthAdd",
    }
    if kind in always:
        return True
    if kind == "PropertyAdd":
        return "lhs_additional_properties: true" in body
    if kind == "PropertyRemove":
        return "lhs_additional_properties: false" in body
    if kind == "EnumAdd":
        return "lhs_has_no_enum: true" in body
    if kind == "EnumRemove":
        return "rhs_has_no_enum: false" in body
    if kind == "RangeChange":
        m_old = re.search(r"old_value: \w+\(\s*([-\d.e+]+)", body)
        m_new = re.search(r"new_value: \w+\(\s*([-\d.e+]+)", body)
        name = re.search(r"(Minimum|Maximum|ExclusiveMinimum|ExclusiveMaximum)", body)
        if not (m_old and m_new and name):
            return True
        old, new = float(m_old.group(1)), float(m_new.group(1))
        return new > old if "Minimum" in name.group(1) else new < old
    if kind == "MinLengthChange":
        return _num(body, "new_value") > _num(body, "old_value")
    if kind == "MaxLengthChange":
        return _num(body, "new_value") < _num(body, "old_value")
    return False


def _num(body: str, key: str) -> float:
    m = re.search(key + r": ([-\d.e+]+)", body)
    return float(m.group(1)) if m else 0.0


def getsentry_cases() -> Iterator[Case]:
    for fixture in sorted((GETSENTRY / "fixtures").rglob("*.json")):
        group = fixture.parent.name
        snap = GETSENTRY / "snapshots" / f"test__from_fixtures@{group}__{fixture.name}.snap"
        data = json.loads(fixture.read_text(encoding="utf-8"))
        body = snap.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        blocks = re.split(r"\n    Change \{", body)
        kinds = []
        breaking = False
        for blk in blocks[1:]:
            m = _KIND.search(blk)
            if m:
                kinds.append(m.group(1))
                breaking = breaking or _breaking(m.group(1), blk)
        yield Case(
            id=f"{group}/{fixture.name}",
            old=data["lhs"],
            new=data["rhs"],
            strict=not breaking,
            lenient=not breaking,
            changes=kinds,
        )


#: getsentry change kinds → the rule ids of ours that describe the same change
GETSENTRY_KINDS: dict[str, tuple[str, ...]] = {
    "TypeAdd": ("SUM_TYPE_EXTENDED", "TYPE_EXTENDED", "TYPE_CHANGED", "ENUM_REMOVED"),
    "TypeRemove": (
        "SUM_TYPE_NARROWED",
        "TYPE_NARROWED",
        "TYPE_CHANGED",
        "ENUM_ADDED",
        "ADDITIONAL_PROPERTIES_REMOVED",
        "FALSE_SCHEMA_ADDED",
    ),
    "ConstAdd": ("ENUM_ADDED", "ENUM_ARRAY_NARROWED", "ENUM_ARRAY_CHANGED", "TYPE_CHANGED"),
    "ConstRemove": ("ENUM_REMOVED", "ENUM_ARRAY_EXTENDED", "ENUM_ARRAY_CHANGED"),
    "EnumAdd": ("ENUM_ARRAY_EXTENDED", "ENUM_ARRAY_CHANGED", "ENUM_ADDED"),
    "EnumRemove": ("ENUM_ARRAY_NARROWED", "ENUM_ARRAY_CHANGED", "ENUM_REMOVED"),
    "PropertyAdd": (
        "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
        "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
        "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
    ),
    "PropertyRemove": (
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
    ),
    "RequiredAdd": (
        "REQUIRED_ATTRIBUTE_ADDED",
        "REQUIRED_UNDECLARED_ADDED",
        "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
    ),
    "RequiredRemove": ("REQUIRED_ATTRIBUTE_REMOVED", "REQUIRED_UNDECLARED_REMOVED"),
    "FormatAdd": ("FORMAT_ADDED",),
    "FormatRemove": ("FORMAT_REMOVED",),
    "FormatChange": ("FORMAT_CHANGED",),
    "PatternAdd": ("PATTERN_ADDED",),
    "PatternRemove": ("PATTERN_REMOVED",),
    "PatternChange": ("PATTERN_CHANGED",),
    "MinLengthAdd": ("MIN_LENGTH_ADDED",),
    "MinLengthRemove": ("MIN_LENGTH_REMOVED",),
    "MinLengthChange": ("MIN_LENGTH_INCREASED", "MIN_LENGTH_DECREASED"),
    "MaxLengthAdd": ("MAX_LENGTH_ADDED",),
    "MaxLengthRemove": ("MAX_LENGTH_REMOVED",),
    "MaxLengthChange": ("MAX_LENGTH_INCREASED", "MAX_LENGTH_DECREASED"),
    "RangeAdd": tuple(
        f"{k}_ADDED" for k in ("MINIMUM", "MAXIMUM", "EXCLUSIVE_MINIMUM", "EXCLUSIVE_MAXIMUM")
    ),
    "RangeRemove": tuple(
        f"{k}_REMOVED" for k in ("MINIMUM", "MAXIMUM", "EXCLUSIVE_MINIMUM", "EXCLUSIVE_MAXIMUM")
    ),
    "RangeChange": tuple(
        f"{k}_{w}"
        for k in ("MINIMUM", "MAXIMUM", "EXCLUSIVE_MINIMUM", "EXCLUSIVE_MAXIMUM")
        for w in ("INCREASED", "DECREASED", "ADDED", "REMOVED")
    ),
    "TupleToArray": (
        "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "ADDITIONAL_ITEMS_EXTENDED",
        "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    ),
    "ArrayToTuple": (
        "ITEM_ADDED_TO_OPEN_CONTENT_MODEL",
        "ADDITIONAL_ITEMS_NARROWED",
        "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    ),
    "TupleChange": ("TYPE_CHANGED", "SUM_TYPE_NARROWED", "SUM_TYPE_EXTENDED"),
}


def kind_matches(expected: list[str], ours: list[str]) -> int:
    """How many expected change kinds have a counterpart among our rule ids (by family)."""
    if all(k in GETSENTRY_KINDS for k in expected):
        remaining = list(ours)
        hit = 0
        for kind in expected:
            for i, rule in enumerate(remaining):
                if rule in GETSENTRY_KINDS[kind]:
                    hit += 1
                    del remaining[i]
                    break
        return hit
    return sum((Counter(expected) & Counter(ours)).values())


#: how `format` is read per corpus: getsentry's checker asserts it (its cases declare no
#: $vocabulary, where our default makes `format` an annotation); Confluent's: our default
FORMAT_ASSERTION = {"confluent": None, "getsentry": True}


def score(
    cases: list[Case], policy: str, format_assertion: bool | None = None
) -> tuple[int, list[tuple[Case, bool, list[str]]], Counter[str]]:
    agree = 0
    disagreements = []
    types: Counter[str] = Counter()
    for case in cases:
        report = compare(case.old, case.new, Policy(name=policy, format_assertion=format_assertion))
        expected = case.strict if policy == "strict" else case.lenient
        ours = report.backward
        got = [c.id for c in report.changes]
        if ours == expected:
            agree += 1
        else:
            disagreements.append((case, ours, got))
        exp = Counter(case.changes)
        mine = Counter(got)
        types["expected"] += sum(exp.values())
        types["matched"] += kind_matches(case.changes, got)
        types["exact_cases"] += int(exp == mine)
    return agree, disagreements, types


if __name__ == "__main__":  # a quick scoreboard: python tests/compat/conformance.py
    import sys

    for label, loader in (("confluent", confluent_cases), ("getsentry", getsentry_cases)):
        cases = list(loader())
        for policy in ("strict", "lenient"):
            agree, dis, types = score(cases, policy, FORMAT_ASSERTION[label])
            print(
                f"{label} {policy}: {agree}/{len(cases)} = {agree / len(cases):.1%}; "
                f"change types matched {types['matched']}/{types['expected']}, "
                f"exact lists {types['exact_cases']}/{len(cases)}"
            )
            if "-v" in sys.argv:
                for case, ours, got in dis:
                    print(
                        f"   {case.id}: expected {'compatible' if not ours else 'breaking'}, "
                        f"we say {'compatible' if ours else 'breaking'}; "
                        f"theirs {case.changes} ours {got}"
                    )
