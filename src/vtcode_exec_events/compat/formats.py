"""Renders a report as text, JSON, Markdown, GitHub annotations, SARIF 2.1.0 or JUnit XML."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from vtcode_exec_events.compat.diff import Change
from vtcode_exec_events.compat.lines import pointer_line
from vtcode_exec_events.compat.loader import Location, SchemaSet
from vtcode_exec_events.compat.report import Report
from vtcode_exec_events.compat.rules import RULES

__all__ = ["FORMATS", "render"]

FORMATS = ("text", "json", "markdown", "github", "sarif", "junit")
_TEXT_LIMIT = 20
TOOL_URI = "https://github.com/vtcode/vtcode-exec-events"


def render(report: Report, fmt: str = "text", direction: str = "backward") -> str:
    """The report in ``fmt``; ``direction`` decides which changes count as failures."""
    if fmt == "json":
        return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return _markdown(report, direction)
    if fmt == "github":
        return _github(report, direction)
    if fmt == "sarif":
        return json.dumps(_sarif(report, direction), indent=2, ensure_ascii=False) + "\n"
    if fmt == "junit":
        return _junit(report, direction)
    return _text(report, direction)


# ---- source positions ---------------------------------------------------------------------
def source_position(report: Report, change: Change) -> tuple[str, int, int] | None:
    """(file, line, column) of the changed node: the new document first, else the old one."""
    for key, loc, pointer in (
        ("new_set", change.new_loc, change.new_pointer),
        ("old_set", change.old_loc, change.old_pointer),
    ):
        schemas: SchemaSet | None = report.sources.get(key)
        if schemas is None or loc is None:
            continue
        doc = schemas.documents.get(loc.uri)
        if doc is None or doc.path is None or doc.text is None:
            continue
        frag = pointer.split("#", 1)[1] if "#" in pointer else loc.pointer
        pos = pointer_line(doc.text, frag)
        if pos is None:
            continue
        try:
            rel = os.path.relpath(doc.path)
        except ValueError:
            rel = str(doc.path)
        return Path(rel).as_posix(), pos[0], pos[1]
    return None


def _verdict(c: Change) -> str:
    if c.backward and c.forward:
        return "compatible"
    if not c.backward and not c.forward:
        return "breaks old and new readers"
    if not c.backward:
        return "breaks new readers of old data (backward)"
    return "breaks old readers of new data (forward)"


def _status(report: Report, direction: str) -> str:
    ok = report.compatible(direction)
    return f"{direction}: {'compatible' if ok else 'NOT compatible'}"


def _text(report: Report, direction: str) -> str:
    lines = [
        f"compat {report.old_name} -> {report.new_name} (policy {report.policy})",
        f"  backward: {'compatible' if report.backward else 'NOT compatible'}"
        f"   forward: {'compatible' if report.forward else 'NOT compatible'}",
    ]
    failing = report.failing(direction)
    others = [c for c in report.changes if c not in failing and c.breaking]
    compatible = [c for c in report.changes if c not in failing and not c.breaking]
    for title, group in (
        (f"Failing ({direction})", failing),
        ("Breaking only in the other direction", others),
    ):
        if not group:
            continue
        lines.append("")
        lines.append(f"{title}: {len(group)}")
        for c in group:
            lines.append(f"  [{c.id}] {_verdict(c)}")
            where = (
                c.new_pointer
                if c.old_pointer == c.new_pointer
                else f"{c.old_pointer} -> {c.new_pointer}"
            )
            lines.append(f"    at {where}")
            lines.append(f"    {c.message}")
            if not c.proven:
                lines.append("    (not decided by analysis: counted as breaking)")
            if c.witness is not None:
                w = c.witness
                lines.append(
                    f"    witness: {json.dumps(w['instance'], ensure_ascii=False)} "
                    f"(valid under {w['accepted_by']}, invalid under {w['rejected_by']})"
                )
    if compatible:
        lines.append("")
        lines.append(f"Compatible changes: {len(compatible)}")
        for c in compatible[:_TEXT_LIMIT]:
            lines.append(f"  [{c.id}] {c.new_pointer or c.old_pointer}: {c.message}")
        if len(compatible) > _TEXT_LIMIT:
            lines.append(f"  … {len(compatible) - _TEXT_LIMIT} more (--format json lists all)")
    if report.ignored:
        lines.append("")
        lines.append(f"Ignored by configuration: {len(report.ignored)}")
        for c, reason in report.ignored:
            lines.append(f"  [{c.id}] {c.new_pointer}: {reason}")
    if not report.changes and not report.ignored:
        lines.append("")
        lines.append("No differences.")
    return "\n".join(lines) + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(report: Report, direction: str) -> str:
    def yes(ok: bool) -> str:
        return "✅" if ok else "❌"

    out = [
        f"### Schema compatibility: `{report.old_name}` → `{report.new_name}`",
        "",
        f"Policy **{report.policy}**. Backward (new readers, old data): {yes(report.backward)}. "
        f"Forward (old readers, new data): {yes(report.forward)}.",
        "",
    ]
    if report.changes:
        out += ["| rule | where | backward | forward | what changed |", "|---|---|---|---|---|"]
        for c in report.changes:
            msg = c.message
            if c.witness is not None:
                msg += f" — e.g. `{json.dumps(c.witness['instance'], ensure_ascii=False)}`"
            out.append(
                f"| `{c.id}` | `{_md_cell(c.new_pointer)}` | {yes(c.backward)} | {yes(c.forward)} "
                f"| {_md_cell(msg)} |"
            )
    else:
        out.append("No differences.")
    if report.ignored:
        out += ["", "Accepted by configuration:", ""]
        out += [f"- `{c.id}` at `{c.new_pointer}`: {reason}" for c, reason in report.ignored]
    return "\n".join(out) + "\n"


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _github(report: Report, direction: str) -> str:
    failing = report.failing(direction)
    lines = []
    for c in report.changes:
        if c not in failing and not c.breaking:
            continue  # compatible changes would only crowd the pull request
        level = "error" if c in failing else "warning"
        props = [f"title={_gh_escape(c.id + ': ' + _verdict(c), True)}"]
        pos = source_position(report, c)
        if pos is not None:
            props = [f"file={_gh_escape(pos[0], True)}", f"line={pos[1]}", f"col={pos[2]}", *props]
        msg = f"{c.message} ({c.new_pointer})"
        if c.witness is not None:
            msg += f"; witness: {json.dumps(c.witness['instance'], ensure_ascii=False)}"
        lines.append(f"::{level} {','.join(props)}::{_gh_escape(msg)}")
    lines.append(f"::notice::{_gh_escape(_status(report, direction))}")
    return "\n".join(lines) + "\n"


def _sarif(report: Report, direction: str) -> dict[str, Any]:
    failing = report.failing(direction)
    rule_ids = sorted({c.id for c in report.changes})
    rules = [
        {
            "id": rid,
            "name": rid.title().replace("_", ""),
            "shortDescription": {"text": RULES.get(rid, rid)},
        }
        for rid in rule_ids
    ]
    results = []
    for c in report.changes:
        result: dict[str, Any] = {
            "ruleId": c.id,
            "ruleIndex": rule_ids.index(c.id),
            "level": "error" if c in failing else ("warning" if c.breaking else "note"),
            "message": {"text": f"{c.message} ({_verdict(c)})"},
            "properties": {
                "backward": c.backward,
                "forward": c.forward,
                "old_pointer": c.old_pointer,
                "new_pointer": c.new_pointer,
            },
            "partialFingerprints": {"compatFingerprint/v1": _fingerprint(c)},
        }
        if c.witness is not None:
            result["properties"]["witness"] = c.witness
        pos = source_position(report, c)
        if pos is not None:
            result["locations"] = [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": pos[0]},
                        "region": {"startLine": pos[1], "startColumn": pos[2]},
                    },
                    "logicalLocations": [{"fullyQualifiedName": c.new_pointer, "kind": "element"}],
                }
            ]
        else:
            result["locations"] = [
                {
                    "logicalLocations": [{"fullyQualifiedName": c.new_pointer, "kind": "element"}],
                }
            ]
        results.append(result)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "vtcode-exec-events compat",
                        "informationUri": TOOL_URI,
                        "rules": rules,
                    }
                },
                "results": results,
                "properties": {
                    "backward": report.backward,
                    "forward": report.forward,
                    "policy": report.policy,
                },
            }
        ],
    }


def _fingerprint(c: Change) -> str:
    import hashlib

    return hashlib.sha256(f"{c.id}:{c.old_pointer}:{c.new_pointer}".encode()).hexdigest()[:16]


def _junit(report: Report, direction: str) -> str:
    failing = report.failing(direction)
    cases = []
    for c in report.changes:
        name = quoteattr(f"{c.id} {c.new_pointer}")
        body = ""
        if c in failing:
            detail = c.message
            if c.witness is not None:
                detail += f"\nwitness: {json.dumps(c.witness['instance'], ensure_ascii=False)}"
            body = (
                f"<failure type={quoteattr(c.id)} message={quoteattr(_verdict(c))}>"
                f"{escape(detail)}</failure>"
            )
        cases.append(f'    <testcase classname="compat.{direction}" name={name}>{body}</testcase>')
    if not cases:
        cases.append(
            f'    <testcase classname="compat.{direction}" name="no differences"></testcase>'
        )
    suite = quoteattr(f"compat {report.old_name} -> {report.new_name}")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<testsuites name="vtcode-exec-events compat" '
        f'tests="{len(cases)}" failures="{len(failing)}">\n'
        f'  <testsuite name={suite} tests="{len(cases)}" failures="{len(failing)}" errors="0">\n'
        + "\n".join(cases)
        + "\n  </testsuite>\n</testsuites>\n"
    )


_ = Location
