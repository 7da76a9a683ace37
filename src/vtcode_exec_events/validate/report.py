"""Write validation results as text or as one JSON object, streaming issues as they come.

The JSON report is written as it goes (``"errors"`` first, the totals last), so memory
stays flat however many lines are invalid. Its shape::

    {"errors": [{"file", "line", "pointer", "message", "kind", "severity"}],
     "files": [{"path", "lines", "valid", "invalid", "warnings", "error"}],
     "lines", "valid", "invalid", "warnings", "unreadable"}

Warnings appear in ``"errors"`` with ``"severity": "warning"`` (errors have
``"severity": "error"``); ``"warnings"`` counts them. A file that could not be read (to its
end) has its message in ``files[].error``; ``"unreadable"`` counts such files.
"""

from __future__ import annotations

from typing import Protocol, TextIO

import orjson

from vtcode_exec_events.validate.result import Issue, Summary

__all__ = ["JsonReporter", "Reporter", "TextReporter", "format_issue"]


class Reporter(Protocol):
    """Receives issues as they are found, then the totals once."""

    def issue(self, issue: Issue) -> None: ...

    def finish(self, summary: Summary) -> None: ...


def format_issue(issue: Issue) -> str:
    """``file:line: severity[kind] pointer: message`` (the pointer is left out for the root)."""
    where = f" {issue.pointer}:" if issue.pointer else ""
    return f"{issue.file}:{issue.line}: {issue.severity}[{issue.kind}]{where} {issue.message}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class TextReporter:
    """One line per issue, the unreadable inputs, then a summary line."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def issue(self, issue: Issue) -> None:
        self.out.write(format_issue(issue) + "\n")

    def finish(self, summary: Summary) -> None:
        for file in summary.files:
            if file.error is not None:
                self.out.write(f"{file.path}: error: {file.error}\n")
        files = _plural(len(summary.files), "file")
        line = (
            f"{files}, {_plural(summary.lines, 'line')}: {summary.valid} valid, "
            f"{summary.invalid} invalid, {_plural(summary.warnings, 'warning')}"
        )
        if summary.io_errors:
            line += f"; {summary.io_errors} could not be read"
        self.out.write(line + "\n")
        self.out.flush()


class JsonReporter:
    """One JSON object on one line, written as issues arrive."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.first = True
        self.out.write('{"errors":[')

    def issue(self, issue: Issue) -> None:
        if not self.first:
            self.out.write(",")
        self.first = False
        self.out.write(orjson.dumps(issue.as_dict()).decode())

    def finish(self, summary: Summary) -> None:
        tail = {
            "files": [f.as_dict() for f in summary.files],
            "lines": summary.lines,
            "valid": summary.valid,
            "invalid": summary.invalid,
            "warnings": summary.warnings,
            "unreadable": summary.io_errors,
        }
        self.out.write("]," + orjson.dumps(tail).decode()[1:] + "\n")
        self.out.flush()
