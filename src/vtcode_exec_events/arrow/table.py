"""Lines to rows of the events table: validate's verdict per line, and what the line says.

The verdict comes from :class:`vtcode_exec_events.validate.Checker` (``check_lines``, the
call ``validate`` makes), so the table and ``validate`` never disagree. The fields are
read from the line by :mod:`.fields` (msgspec for clean lines, with care for the others).
``thread_id`` and ``turn_index`` need the lines before: an :class:`EventTable` holds that
state for one file (:mod:`.state`), and only valid lines move it (what VT Code's decoder
would see).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa

from vtcode_exec_events.arrow import build, fields
from vtcode_exec_events.arrow.fields import INT64_MAX
from vtcode_exec_events.arrow.schema import SCHEMA
from vtcode_exec_events.arrow.state import ThreadState
from vtcode_exec_events.validate import Checker, Issue

__all__ = ["INT64_MAX", "EventTable", "lines_to_batch"]

_S = pa.string()
_I = pa.int64()
_ISSUES = SCHEMA.field("issues").type


class EventTable:
    """Rows for the consecutive lines of one file, numbered from 1, state kept across calls."""

    def __init__(self, file: str, checker: Checker) -> None:
        self.file = file
        self.checker = checker
        self.next_line = 1
        self.state = ThreadState()

    def batch(
        self,
        lines: Sequence[bytes],
        *,
        unterminated: bool = False,
        broken: bool = False,
        oversize: Sequence[tuple[int, int]] = (),
        ended: bool = False,
    ) -> pa.RecordBatch:
        """The rows of the next ``lines`` (a trailing newline on a line is ignored).

        ``unterminated``, ``broken`` and ``oversize`` say how the input ended and which
        lines were too long to read, as :meth:`Checker.check_lines` takes them; an
        over-long line's ``raw`` is null (its bytes were never held). ``ended``: the lines
        are as ``reader.blocks(newlines=True)`` hands them over (:func:`build.binary`).
        """
        first = self.next_line
        found = self.checker.check_lines(
            lines, first, self.file, unterminated=unterminated, broken=broken, oversize=oversize
        )
        by_line: dict[int, list[Issue]] = defaultdict(list)
        for issue in found.issues:
            by_line[issue.line].append(issue)
        self.next_line += len(lines)
        skipped = {index for index, _ in oversize}
        if skipped:
            kept = [
                None if i in skipped else line.removesuffix(b"\n") for i, line in enumerate(lines)
            ]
            raws = build.column(kept, pa.binary())
        else:
            raws = build.binary(lines, ended=ended)
        return self._rows(lines, raws, first, by_line, skipped)

    def failure(self, message: str) -> pa.RecordBatch:
        """A row saying the file could not be read to its end (``line`` null, kind ``io``)."""
        columns: dict[str, list[Any]] = {name: [None] for name in SCHEMA.names}
        columns.update(
            file=[self.file],
            valid=[False],
            severity=["error"],
            error_kind=["io"],
            error_pointer=[""],
            error_message=[message],
            thread_id=[self.state.thread_id],
            issues=[[{"severity": "error", "kind": "io", "pointer": "", "message": message}]],
        )
        arrays = [build.column(columns[f.name], f.type) for f in SCHEMA]
        return pa.RecordBatch.from_arrays(arrays, schema=SCHEMA)

    def _rows(
        self,
        lines: Sequence[bytes],
        raws: pa.Array,
        first: int,
        by_line: dict[int, list[Issue]],
        skipped: set[int],
    ) -> pa.RecordBatch:
        n = len(lines)
        if not n:
            return pa.RecordBatch.from_arrays(
                [build.column([], f.type) for f in SCHEMA], schema=SCHEMA
            )
        problems = {number - first: issues for number, issues in by_line.items()}
        read = fields.read(lines, self.checker.version, problems, skipped)
        own = read.arrays
        valid: list[bool] | None = None
        if by_line:
            valid, verdicts = _verdicts(n, first, by_line)
        else:
            verdicts = [
                build.repeat(True, n, pa.bool_()),
                *(pa.nulls(n, f.type) for f in _VERDICT),
            ]
        threads, turns = self.state.walk(valid, read.tags, read.threads)
        arrays = [
            build.repeat(self.file, n, _S),
            build.column(range(first, first + n), _I),
            *verdicts[:5],
            own[0],
            own[1],
            threads,
            turns,
            *own[3:],
            verdicts[5],
            raws,
        ]
        return pa.RecordBatch.from_arrays(arrays, schema=SCHEMA)


_VERDICT = [
    SCHEMA.field(name)
    for name in ("severity", "error_kind", "error_pointer", "error_message", "issues")
]


def _verdicts(
    n: int, first: int, by_line: dict[int, list[Issue]]
) -> tuple[list[bool], list[pa.Array]]:
    """``valid`` (a list), and the arrays of ``valid``, ``severity``, ``error_kind``,
    ``error_pointer``, ``error_message`` and ``issues`` of ``n`` lines from ``first``,
    given the issues by line number."""
    valid = [True] * n
    severity: list[str | None] = [None] * n
    kind: list[str | None] = [None] * n
    pointer: list[str | None] = [None] * n
    message: list[str | None] = [None] * n
    issues: list[list[dict[str, str]] | None] = [None] * n
    for number, problems in by_line.items():
        index = number - first
        errors = [i for i in problems if i.severity == "error"]
        head = errors[0] if errors else problems[0]
        valid[index] = not errors
        severity[index] = head.severity
        kind[index] = head.kind
        pointer[index] = head.pointer
        message[index] = head.message
        issues[index] = [
            {"severity": i.severity, "kind": i.kind, "pointer": i.pointer, "message": i.message}
            for i in problems
        ]
    return valid, [
        build.column(valid, pa.bool_()),
        *(build.column(c, _S) for c in (severity, kind, pointer, message)),
        build.column(issues, _ISSUES),
    ]


def lines_to_batch(
    lines: Iterable[bytes | str],
    *,
    file: str = "",
    schema_version: str | None = None,
    strict: bool = False,
) -> pa.RecordBatch:
    """The rows for ``lines``, the consecutive lines of one file from its first line."""
    raw = [
        line.encode("utf-8", "surrogateescape") if isinstance(line, str) else bytes(line)
        for line in lines
    ]
    table = EventTable(file, Checker(schema_version=schema_version, strict=strict))
    return table.batch(raw)
