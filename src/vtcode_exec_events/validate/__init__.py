"""Offline validation of JSONL event logs: per line verdicts, per file totals, precise errors.

    >>> from vtcode_exec_events.validate import validate_lines, validate_file
    >>> [r.valid for r in validate_lines([b'{"type":"turn.started"}', b'{"type":1}'])]
    [True, False]

Bare lines are checked against ``schema_version`` (default: the newest); an envelope
``{"schema_version", "event"}`` against its own version. Unknown event types and unknown
values of catch-all enums are warnings (VT Code's decoder accepts them), errors when
``strict``. Nothing read is dropped: every line is counted as valid or invalid.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator, Sequence

from vtcode_exec_events.validate import parallel, reader
from vtcode_exec_events.validate.checker import Checker
from vtcode_exec_events.validate.result import FileResult, Issue, LineResult, Summary

__all__ = [
    "Checker",
    "FileResult",
    "Issue",
    "LineResult",
    "Summary",
    "validate_file",
    "validate_lines",
    "validate_paths",
]


def validate_lines(
    lines: Iterable[bytes | str],
    *,
    schema_version: str | None = None,
    strict: bool = False,
    start: int = 1,
) -> Iterator[LineResult]:
    """One :class:`LineResult` per line, numbered from ``start``.

    A trailing ``\\n`` (or ``\\r\\n``) on a line is ignored. Raises
    :class:`~vtcode_exec_events.errors.UnknownSchemaVersion` for an unknown
    ``schema_version`` before the first line.
    """
    checker = Checker(schema_version=schema_version, strict=strict)
    for number, line in enumerate(lines, start):
        raw = line.encode("utf-8", "surrogateescape") if isinstance(line, str) else bytes(line)
        if raw.endswith(b"\n"):
            raw = raw[:-1]
        yield checker.check_line(raw, number)


def validate_file(
    path: str | os.PathLike[str],
    *,
    schema_version: str | None = None,
    strict: bool = False,
    max_line: int = reader.MAX_LINE,
) -> FileResult:
    """Validate one ``.jsonl`` / ``.jsonl.gz`` file (or ``-``); issues kept in ``.issues``.

    An unreadable input is not raised: it sets ``.error``, and the lines read before the
    failure are counted. A line longer than ``max_line`` bytes is skipped unread and
    counted invalid (kind ``size``).
    """
    checker = Checker(schema_version=schema_version, strict=strict, max_line=max_line)
    task = parallel.Task(os.fspath(path), 0)
    return parallel.run_task(task, checker)


def validate_paths(
    paths: Sequence[str | os.PathLike[str]],
    *,
    schema_version: str | None = None,
    strict: bool = False,
    all_errors: bool = False,
    jobs: int = 1,
    on_issue: Callable[[Issue], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    keep_issues: bool = True,
    max_issues: int | None = None,
    max_line: int = reader.MAX_LINE,
) -> Summary:
    """Validate many inputs (``jobs`` worker processes for large or many files).

    ``on_issue`` sees issues in file and line order: as each block of lines is checked
    in this process, as each file part is done in a worker. It sees every issue, except
    that a worker hands back only the first ``max_issues`` issues of its part (``None``:
    all), so pass ``max_issues`` when only so many are shown. Every issue is counted in
    ``FileResult.groups`` whatever is kept. The results keep up to ``max_issues`` issues
    per file (none with ``keep_issues=False``): memory stays flat however many lines are
    invalid. ``on_progress`` receives the bytes consumed. ``all_errors``: every schema
    error of an invalid line, not only the first. A line longer than ``max_line`` bytes is
    skipped unread and counted invalid (kind ``size``).
    """
    checker = Checker(
        schema_version=schema_version, strict=strict, all_errors=all_errors, max_line=max_line
    )
    names = [os.fspath(p) for p in paths]
    tasks = parallel.plan(names, jobs)
    keep = max_issues if keep_issues else 0
    summary = Summary(files=[FileResult(path=reader.display_name(n), keep=keep) for n in names])

    def sink(task: parallel.Task) -> Callable[[list[Issue]], None]:
        total = summary.files[task.index]
        before = total.lines  # the earlier parts of this file are already folded in

        def take(issues: list[Issue]) -> None:
            if before:
                issues = [dataclasses.replace(i, line=i.line + before) for i in issues]
            if on_issue is not None:
                for issue in issues:
                    on_issue(issue)
            total.store(issues)

        return take

    for task, part in parallel.run_tasks(
        tasks, checker, jobs, on_progress, keep=max_issues, sink=sink
    ):
        total = summary.files[task.index]
        issues = parallel.shift(part, total.lines)
        total.add(part)
        if on_issue is not None:
            for issue in issues:
                on_issue(issue)
        total.store(issues)
    return summary
