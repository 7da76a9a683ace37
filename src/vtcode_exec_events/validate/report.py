"""Write validation results as text or as one JSON object, streaming issues as they come.

Each reporter shows at most ``max_errors`` issues (``None``: all) and counts the rest, so
memory stays flat however many lines are invalid. The JSON report is written as it goes
(``"errors"`` first, the totals last). Its shape::

    {"errors": [{"file", "line", "pointer", "message", "kind", "severity"}],
     "files": [{"path", "lines", "valid", "invalid", "warnings", "error"}],
     "lines", "valid", "invalid", "warnings", "unreadable",
     "omitted", "groups": [{"severity", "kind", "pointer", "message", "count"}]}

Warnings appear in ``"errors"`` with ``"severity": "warning"`` (errors have
``"severity": "error"``); ``"warnings"`` counts them. A file that could not be read (to its
end) has its message in ``files[].error``; ``"unreadable"`` counts such files. ``"omitted"``
counts the issues left out of ``"errors"`` by ``max_errors``; ``"groups"`` counts every
issue by severity, kind, pointer shape (array indices as ``*``) and message.

Text from the log and file names goes through :func:`vtcode_exec_events.text.visible`
before it is written as text: a log cannot drive the terminal.
"""

from __future__ import annotations

from typing import Protocol, TextIO

import orjson

from vtcode_exec_events.text import visible
from vtcode_exec_events.validate.result import Issue, Summary

__all__ = [
    "GROUPS_SHOWN",
    "Counted",
    "JsonReporter",
    "Reporter",
    "TextReporter",
    "format_issue",
    "groups_json",
    "plural",
    "summary_line",
]

#: Most groups the text summary lists (the JSON report lists them all).
GROUPS_SHOWN = 50


class Reporter(Protocol):
    """Receives issues as they are found, then the totals once."""

    def issue(self, issue: Issue) -> None: ...

    def finish(self, summary: Summary) -> None: ...


def format_issue(issue: Issue) -> str:
    """``file:line: severity[kind] pointer: message`` (the pointer is left out for the root),
    with every control character made visible."""
    where = f" {issue.pointer}:" if issue.pointer else ""
    text = f"{issue.file}:{issue.line}: {issue.severity}[{issue.kind}]{where} {issue.message}"
    return visible(text)


def plural(n: int, word: str) -> str:
    """``1 line``, ``2 lines``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(summary: Summary) -> str:
    """``2 files, 41 lines: 38 valid, 3 invalid, 1 warning; 1 could not be read``."""
    files = plural(len(summary.files), "file")
    line = (
        f"{files}, {plural(summary.lines, 'line')}: {summary.valid} valid, "
        f"{summary.invalid} invalid, {plural(summary.warnings, 'warning')}"
    )
    if summary.io_errors:
        line += f"; {summary.io_errors} could not be read"
    return line


class Counted:
    """Counts the issues it is given and says whether the next one is still shown."""

    def __init__(self, max_errors: int | None) -> None:
        self.max_errors = max_errors
        self.seen = 0
        self.shown = 0

    def take(self, issue: Issue) -> bool:
        self.seen += 1
        if self.max_errors is not None and self.shown >= self.max_errors:
            return False
        self.shown += 1
        return True

    def omitted(self, summary: Summary) -> int:
        """Issues found but not shown (workers hand back only the first ``max_errors``)."""
        return sum(summary.groups.values()) - self.shown

    def totals(self, summary: Summary) -> dict[str, object]:
        """The run's totals as the JSON report gives them (lines, issues omitted, groups)."""
        return {
            "lines": summary.lines,
            "valid": summary.valid,
            "invalid": summary.invalid,
            "warnings": summary.warnings,
            "unreadable": summary.io_errors,
            "omitted": self.omitted(summary),
            "groups": groups_json(summary),
        }


class TextReporter(Counted):
    """One line per issue (up to ``max_errors``; none when ``quiet``), the unreadable inputs,
    the issues grouped with counts when some were not shown, then a summary line."""

    def __init__(self, out: TextIO, max_errors: int | None = None, quiet: bool = False) -> None:
        super().__init__(0 if quiet else max_errors)
        self.out = out

    def issue(self, issue: Issue) -> None:
        if self.take(issue):
            self.out.write(format_issue(issue) + "\n")

    def finish(self, summary: Summary) -> None:
        for file in summary.files:
            if file.error is not None:
                self.out.write(visible(f"{file.path}: error: {file.error}") + "\n")
        omitted = self.omitted(summary)
        if omitted:
            self.out.write(self._groups(summary, omitted))
        self.out.write(summary_line(summary) + "\n")
        self.out.flush()

    def _groups(self, summary: Summary, omitted: int) -> str:
        groups = summary.groups.most_common()
        total = sum(summary.groups.values())
        head = (
            f"{plural(total, 'issue')} ({omitted} not shown"
            + (f", --max-errors {self.max_errors}" if self.max_errors else "")
            + "), by kind, pointer and message:\n"
        )
        width = len(str(groups[0][1])) if groups else 1
        out = [head]
        for (severity, kind, shape, message), count in groups[:GROUPS_SHOWN]:
            where = f" {shape}:" if shape else ""
            out.append(visible(f"{count:>{width}} × {severity}[{kind}]{where} {message}") + "\n")
        if len(groups) > GROUPS_SHOWN:
            rest = sum(n for _, n in groups[GROUPS_SHOWN:])
            more = len(groups) - GROUPS_SHOWN
            out.append(f"{'':>{width}}   … {plural(more, 'more group')} ({rest} issues)\n")
        return "".join(out)


def groups_json(summary: Summary) -> list[dict[str, object]]:
    """Every group with its count, most frequent first (the JSON report's ``"groups"``)."""
    return [
        {"severity": s, "kind": k, "pointer": p, "message": m, "count": n}
        for (s, k, p, m), n in summary.groups.most_common()
    ]


class JsonReporter(Counted):
    """One JSON object on one line, written as issues arrive (up to ``max_errors`` issues)."""

    def __init__(self, out: TextIO, max_errors: int | None = None) -> None:
        super().__init__(max_errors)
        self.out = out
        self.out.write('{"errors":[')

    def issue(self, issue: Issue) -> None:
        if not self.take(issue):
            return
        if self.shown > 1:
            self.out.write(",")
        self.out.write(orjson.dumps(issue.as_dict()).decode())

    def finish(self, summary: Summary) -> None:
        tail = {"files": [f.as_dict() for f in summary.files], **self.totals(summary)}
        self.out.write("]," + orjson.dumps(tail).decode()[1:] + "\n")
        self.out.flush()
