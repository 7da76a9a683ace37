"""Renders a report as text, JSON, Markdown, GitHub annotations, SARIF 2.1.0 or JUnit XML."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from vtcode_exec_events.compat.ci_formats import github, junit, sarif, source_position
from vtcode_exec_events.compat.display import (
    LEVELS,
    Run,
    level,
    ordered,
    policy_line,
    title,
    verdict,
    where,
    witness_json,
)
from vtcode_exec_events.compat.report import Report
from vtcode_exec_events.text import visible

__all__ = ["FORMATS", "LEVELS", "Run", "render", "source_position"]

FORMATS = ("text", "json", "markdown", "github", "sarif", "junit")
_TEXT_LIMIT = 20


def render(
    report: Report, fmt: str = "text", direction: str = "backward", run: Run | None = None
) -> str:
    """The report in ``fmt``; ``direction`` decides which changes count as failures.

    ``run`` says what was asked (inputs as typed, policy and its origin) for the header and the
    JSON/SARIF metadata; without it the report's names and policy are shown.
    """
    run = (
        replace(run, direction=direction)
        if run
        else Run(report.old_name, report.new_name, direction, report.policy)
    )
    if fmt == "json":
        return json.dumps(_json(report, run), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return _markdown(report, run)
    if fmt == "github":
        return github(report, run)
    if fmt == "sarif":
        return json.dumps(sarif(report, run), indent=2, ensure_ascii=False) + "\n"
    if fmt == "junit":
        return junit(report, run)
    return _text(report, run)


def _text(report: Report, run: Run) -> str:
    d = run.direction
    lines = [
        visible(f"compat {run.old} -> {run.new}: {policy_line(run)}"),
        f"  backward: {'compatible' if report.backward else 'NOT compatible'}"
        f"   forward: {'compatible' if report.forward else 'NOT compatible'}",
    ]
    for key, group in ordered(report, d):
        if not group:
            continue
        lines += ["", f"{title(key, d)}: {len(group)}"]
        if key == "compatible":
            for c in group[:_TEXT_LIMIT]:
                lines.append(visible(f"  [{c.id}] {c.new_pointer or c.old_pointer}: {c.message}"))
            if len(group) > _TEXT_LIMIT:
                lines.append(f"  … {len(group) - _TEXT_LIMIT} more (--format json lists all)")
            continue
        for c in group:
            lines.append(f"  [{c.id}] {verdict(c)}")
            lines.append(visible(f"    at {where(c)}"))
            lines.append(visible(f"    {c.message}"))
            if c.witness is not None:
                w = c.witness
                lines.append(
                    visible(
                        f"    witness: {witness_json(c)} "
                        f"(valid under {w['accepted_by']}, invalid under {w['rejected_by']})"
                    )
                )
            elif c.witness_note:
                lines.append(visible(f"    witness not shown: {c.witness_note}"))
    if report.ignored:
        lines += ["", f"Ignored by configuration: {len(report.ignored)}"]
        for c, reason in report.ignored:
            lines.append(visible(f"  [{c.id}] {c.new_pointer}: {reason}"))
    if not report.changes and not report.ignored:
        lines += ["", "No differences."]
    return "\n".join(lines) + "\n"


def _json(report: Report, run: Run) -> dict[str, Any]:
    """The contract's fields, plus direction, policy, inputs and one severity per change."""
    doc = report.to_json()
    failing = {id(c) for c in report.failing(run.direction)}
    by_change = dict(zip(map(id, report.changes), doc["changes"], strict=True))
    items = []
    counts = dict.fromkeys(LEVELS, 0)
    for _, group in ordered(report, run.direction):
        for c in group:
            item = by_change[id(c)]
            item["severity"] = level(c, failing)
            item["decided"] = c.decided
            counts[item["severity"]] += 1
            items.append(item)
    doc["changes"] = items
    counts["undecided"] = sum(1 for c in report.changes if not c.decided)
    doc.update(
        direction=run.direction,
        compatible=report.compatible(run.direction),
        policy={"name": run.policy, "from": run.origin, "undecided": run.undecided},
        inputs={"old": run.old, "new": run.new},
        counts=counts,
    )
    return doc


def _md_cell(text: str) -> str:
    return visible(text.replace("|", "\\|").replace("\n", " ").replace("`", "'"))


def _markdown(report: Report, run: Run) -> str:
    def yes(ok: bool) -> str:
        return "✅" if ok else "❌"

    out = [
        f"### Schema compatibility: `{_md_cell(run.old)}` → `{_md_cell(run.new)}`",
        "",
        f"Policy **{run.policy}** (from {_md_cell(run.origin)}); undecided changes count as "
        f"{run.undecided}. Backward (new readers, old data): {yes(report.backward)}. "
        f"Forward (old readers, new data): {yes(report.forward)}.",
    ]
    failing = {id(c) for c in report.failing(run.direction)}
    for key, group in ordered(report, run.direction):
        if not group:
            continue
        out += [
            "",
            f"#### {title(key, run.direction)}: {len(group)}",
            "",
            "| severity | rule | where | backward | forward | what changed |",
            "|---|---|---|---|---|---|",
        ]
        for c in group:
            msg = c.message
            if c.witness is not None:
                msg += f" — e.g. {witness_json(c)}"
            elif c.witness_note:
                msg += f" (witness not shown: {c.witness_note})"
            out.append(
                f"| {level(c, failing)} | `{c.id}` | `{_md_cell(where(c))}` | {yes(c.backward)} "
                f"| {yes(c.forward)} | {_md_cell(msg)} |"
            )
    if not report.changes:
        out += ["", "No differences."]
    if report.ignored:
        out += ["", "Accepted by configuration:", ""]
        out += [
            f"- `{c.id}` at `{_md_cell(c.new_pointer)}`: {_md_cell(reason)}"
            for c, reason in report.ignored
        ]
    return "\n".join(out) + "\n"
