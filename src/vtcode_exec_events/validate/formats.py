"""Validation reports for CI: GitHub workflow annotations, SARIF 2.1.0 and JUnit XML.

GitHub annotations are written as issues arrive; SARIF and JUnit are whole documents, so
they keep the first ``max_errors`` issues (the rest are counted, by group, in the run's
properties and in the summary test case). Text from the log goes through
:func:`vtcode_exec_events.text.visible` (XML 1.0 cannot carry control characters at all).
"""

from __future__ import annotations

import json
from typing import Any, TextIO
from urllib.parse import quote

from vtcode_exec_events.text import visible
from vtcode_exec_events.validate.report import Counted, plural, summary_line
from vtcode_exec_events.validate.result import KINDS, Issue, Summary

__all__ = ["FORMATS", "GithubReporter", "JunitReporter", "SarifReporter"]

FORMATS = ("text", "json", "github", "sarif", "junit")
TOOL_NAME = "vtcode-exec-events validate"
TOOL_URI = "https://github.com/vtcode/vtcode-exec-events"
_RULES = {
    "json": "The line is not one JSON value (syntax, blank line, nesting, NaN).",
    "schema": "The event does not match the schema of its version.",
    "version": "The envelope's schema version is malformed, unknown, or newer than known.",
    "encoding": "The line is not UTF-8 (or was cut by a broken input).",
    "size": "The line is longer than the maximum line size (--max-line-size); it was skipped.",
}


def _gh_escape(text: str, prop: bool = False) -> str:
    """Escape a workflow-command value (GitHub's rules: ``%``, CR, LF; ``:`` and ``,`` too
    in a property)."""
    out = visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return out.replace(":", "%3A").replace(",", "%2C") if prop else out


class GithubReporter(Counted):
    """``::error file=F,line=L,title=T::message`` per issue, then a ``::notice`` summary."""

    def __init__(self, out: TextIO, max_errors: int | None = None) -> None:
        super().__init__(max_errors)
        self.out = out

    def issue(self, issue: Issue) -> None:
        if not self.take(issue):
            return
        title = f"{issue.kind} {issue.pointer or '(line)'}"
        props = (
            f"file={_gh_escape(issue.file, True)},line={issue.line},title={_gh_escape(title, True)}"
        )
        self.out.write(f"::{issue.severity} {props}::{_gh_escape(issue.message)}\n")

    def finish(self, summary: Summary) -> None:
        for file in summary.files:
            if file.error is not None:
                props = f"file={_gh_escape(file.path, True)},title=unreadable"
                self.out.write(f"::error {props}::{_gh_escape(file.error)}\n")
        line = summary_line(summary)
        omitted = self.omitted(summary)
        if omitted:
            line += f" ({plural(omitted, 'issue')} not annotated)"
        self.out.write(f"::notice title=validate::{_gh_escape(line)}\n")
        self.out.flush()


class _Kept(Counted):
    """Keeps the issues shown, for a report written as one document at the end."""

    def __init__(self, out: TextIO, max_errors: int | None = None) -> None:
        super().__init__(max_errors)
        self.out = out
        self.kept: list[Issue] = []

    def issue(self, issue: Issue) -> None:
        if self.take(issue):
            self.kept.append(issue)


class SarifReporter(_Kept):
    """One SARIF 2.1.0 log: a result per issue kept, a rule per kind, the totals as the
    run's properties."""

    def finish(self, summary: Summary) -> None:
        json.dump(self.document(summary), self.out, indent=2, ensure_ascii=False)
        self.out.write("\n")
        self.out.flush()

    def document(self, summary: Summary) -> dict[str, Any]:
        rules = [
            {"id": kind, "name": f"{kind.title()}Error", "shortDescription": {"text": _RULES[kind]}}
            for kind in KINDS
        ]
        results: list[dict[str, Any]] = [self._result(i) for i in self.kept]
        notifications = [
            {"level": "error", "message": {"text": visible(f"{f.path}: {f.error}")}}
            for f in summary.files
            if f.error is not None
        ]
        run: dict[str, Any] = {
            "tool": {"driver": {"name": TOOL_NAME, "informationUri": TOOL_URI, "rules": rules}},
            "results": results,
            "invocations": [
                {
                    "executionSuccessful": summary.io_errors == 0,
                    "toolExecutionNotifications": notifications,
                }
            ],
            "properties": self.totals(summary),
        }
        return {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [run],
        }

    @staticmethod
    def _result(issue: Issue) -> dict[str, Any]:
        where = f" at {issue.pointer}" if issue.pointer else ""
        return {
            "ruleId": issue.kind,
            "ruleIndex": KINDS.index(issue.kind),
            "level": issue.severity,
            "message": {"text": visible(issue.message + where)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(issue.file)},
                        "region": {"startLine": issue.line},
                    },
                    "logicalLocations": [
                        {"fullyQualifiedName": issue.pointer or "/", "kind": "element"}
                    ],
                }
            ],
            "properties": {"pointer": issue.pointer},
        }


def _uri(path: str) -> str:
    """A relative URI reference for a file name (``<stdin>`` stays as it is, escaped)."""
    return quote(path.replace("\\", "/"), safe="/")


class JunitReporter(_Kept):
    """JUnit XML: a test suite per input, a failing test case per error kept (a skipped one
    per warning), and one test case per input that passes when all its lines are valid."""

    def finish(self, summary: Summary) -> None:
        self.out.write(self.document(summary))
        self.out.flush()

    def document(self, summary: Summary) -> str:
        from xml.sax.saxutils import quoteattr  # imports urllib.request: only for JUnit

        by_file: dict[str, list[Issue]] = {}
        for issue in self.kept:
            by_file.setdefault(issue.file, []).append(issue)
        suites = []
        total_tests = total_failures = total_errors = 0
        for file in summary.files:
            cases = [self._case(i) for i in by_file.get(file.path, [])]
            failures = sum(1 for i in by_file.get(file.path, []) if i.severity == "error")
            verdict = (
                f"{plural(file.lines, 'line')}: {file.valid} valid, {file.invalid} invalid, "
                f"{plural(file.warnings, 'warning')}"
            )
            body = ""
            errors = 0
            if file.error is not None:
                body = f"<error message={quoteattr(visible(file.error))}/>"
                errors = 1
            elif file.invalid:
                body = f"<failure message={quoteattr(verdict)}/>"
                failures += 1
            cases.append(
                f"    <testcase classname={quoteattr(visible(file.path))} "
                f"name={quoteattr('every line valid')}>{body}</testcase>"
            )
            total_tests += len(cases)
            total_failures += failures
            total_errors += errors
            suites.append(
                f'  <testsuite name={quoteattr(visible(file.path))} tests="{len(cases)}" '
                f'failures="{failures}" errors="{errors}">\n'
                + "\n".join(cases)
                + "\n  </testsuite>"
            )
        omitted = self.omitted(summary)
        note = f" ({plural(omitted, 'issue')} not listed)" if omitted else ""
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<testsuites name={quoteattr(TOOL_NAME + ': ' + summary_line(summary) + note)} "
            f'tests="{total_tests}" failures="{total_failures}" errors="{total_errors}">\n'
            + "\n".join(suites)
            + "\n</testsuites>\n"
        )

    @staticmethod
    def _case(issue: Issue) -> str:
        from xml.sax.saxutils import escape, quoteattr

        name = quoteattr(visible(f"line {issue.line} {issue.pointer or '(line)'}"))
        message = quoteattr(visible(issue.message))
        kind = quoteattr(issue.kind)
        if issue.severity == "error":
            body = (
                f"<failure type={kind} message={message}>{escape(visible(issue.message))}</failure>"
            )
        else:
            body = f"<skipped message={message}/>"
        where = quoteattr(visible(issue.file))
        return f"    <testcase classname={where} name={name}>{body}</testcase>"
