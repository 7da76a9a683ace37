"""Loads the shared conformance corpora (never copied into the repo) and scores the checker."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vtcode_exec_events.compat import compare

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


def score(
    cases: list[Case], policy: str
) -> tuple[int, list[tuple[Case, bool, list[str]]], Counter[str]]:
    agree = 0
    disagreements = []
    types: Counter[str] = Counter()
    for case in cases:
        report = compare(case.old, case.new, policy=policy)
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
        types["matched"] += sum((exp & mine).values())
        types["exact_cases"] += int(exp == mine)
    return agree, disagreements, types


if __name__ == "__main__":  # a quick scoreboard: python tests/compat/conformance.py
    import sys

    for label, loader in (("confluent", confluent_cases), ("getsentry", getsentry_cases)):
        cases = list(loader())
        for policy in ("strict", "lenient"):
            agree, dis, types = score(cases, policy)
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
