"""The CI renderings of a compat report: GitHub annotations, SARIF 2.1.0 and JUnit XML."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from vtcode_exec_events.compat.diff import Change
from vtcode_exec_events.compat.display import (
    Run,
    level,
    ordered,
    policy_line,
    verdict,
    witness_json,
)
from vtcode_exec_events.compat.lines import pointer_line
from vtcode_exec_events.compat.loader import SchemaSet
from vtcode_exec_events.compat.report import Report
from vtcode_exec_events.compat.rules import RULES
from vtcode_exec_events.text import visible

__all__ = ["TOOL_URI", "github", "junit", "sarif", "source_position"]

TOOL_URI = "https://github.com/vtcode/vtcode-exec-events"


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


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return visible(text)


def github(report: Report, run: Run) -> str:
    failing = {id(c) for c in report.failing(run.direction)}
    lines = []
    for _, group in ordered(report, run.direction):
        for c in group:
            severity = level(c, failing)
            if severity == "note":
                continue  # compatible changes would only crowd the pull request
            title = f"{c.id}: {verdict(c)}"
            props = [f"title={_gh_escape(title, True)}"]
            pos = source_position(report, c)
            if pos is not None:
                props = [
                    f"file={_gh_escape(pos[0], True)}",
                    f"line={pos[1]}",
                    f"col={pos[2]}",
                    *props,
                ]
            msg = f"{c.message} ({c.new_pointer or c.old_pointer})"
            if not c.decided:
                msg += f"; undecided, counted as {run.undecided}"
            if c.witness is not None:
                msg += f"; witness: {witness_json(c)}"
            lines.append(f"::{severity} {','.join(props)}::{_gh_escape(msg)}")
    status = (
        f"{run.direction}: {'compatible' if report.compatible(run.direction) else 'NOT compatible'}"
    )
    lines.append(f"::notice::{_gh_escape(status + '; ' + policy_line(run))}")
    return "\n".join(lines) + "\n"


def sarif(report: Report, run: Run) -> dict[str, Any]:
    failing = {id(c) for c in report.failing(run.direction)}
    rule_ids = sorted({c.id for c in report.changes})
    index = {rid: i for i, rid in enumerate(rule_ids)}
    rules = [
        {
            "id": rid,
            "name": rid.title().replace("_", ""),
            "shortDescription": {"text": str(RULES.get(rid, rid))},
        }
        for rid in rule_ids
    ]
    results = []
    for _, group in ordered(report, run.direction):
        for c in group:
            result: dict[str, Any] = {
                "ruleId": c.id,
                "ruleIndex": index[c.id],
                "level": level(c, failing),
                "message": {"text": f"{c.message} ({verdict(c)})"},
                "properties": {
                    "backward": c.backward,
                    "forward": c.forward,
                    "decided": c.decided,
                    "old_pointer": c.old_pointer,
                    "new_pointer": c.new_pointer,
                },
                "partialFingerprints": {"compatFingerprint/v1": _fingerprint(c)},
            }
            if not c.decided:
                result["properties"]["tags"] = ["undecided"]
            if c.witness is not None:
                result["properties"]["witness"] = c.witness
            logical = [{"fullyQualifiedName": c.new_pointer or c.old_pointer, "kind": "element"}]
            pos = source_position(report, c)
            location: dict[str, Any] = {"logicalLocations": logical}
            if pos is not None:
                location["physicalLocation"] = {
                    "artifactLocation": {"uri": pos[0]},
                    "region": {"startLine": pos[1], "startColumn": pos[2]},
                }
            result["locations"] = [location]
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
                    "direction": run.direction,
                    "policy": run.policy,
                    "policyFrom": run.origin,
                    "undecided": run.undecided,
                    "inputs": {"old": run.old, "new": run.new},
                },
            }
        ],
    }


def _fingerprint(c: Change) -> str:
    return hashlib.sha256(f"{c.id}:{c.old_pointer}:{c.new_pointer}".encode()).hexdigest()[:16]


def junit(report: Report, run: Run) -> str:
    direction = run.direction
    failing = {id(c) for c in report.failing(direction)}
    cases = []
    for _, group in ordered(report, direction):
        for c in group:
            name = quoteattr(visible(f"{c.id} {c.new_pointer or c.old_pointer}"))
            classname = f"compat.{direction}" + ("" if c.decided else ".undecided")
            body = ""
            if id(c) in failing:
                detail = visible(c.message)
                if c.witness is not None:
                    detail += f"\nwitness: {visible(witness_json(c))}"
                body = (
                    f"<failure type={quoteattr(c.id)} message={quoteattr(verdict(c))}>"
                    f"{escape(detail)}</failure>"
                )
            cases.append(f'    <testcase classname="{classname}" name={name}>{body}</testcase>')
    if not cases:
        cases.append(
            f'    <testcase classname="compat.{direction}" name="no differences"></testcase>'
        )
    suite = quoteattr(visible(f"compat {run.old} -> {run.new}: {policy_line(run)}"))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<testsuites name="vtcode-exec-events compat" '
        f'tests="{len(cases)}" failures="{len(failing)}">\n'
        f'  <testsuite name={suite} tests="{len(cases)}" failures="{len(failing)}" errors="0">\n'
        + "\n".join(cases)
        + "\n  </testsuite>\n</testsuites>\n"
    )
