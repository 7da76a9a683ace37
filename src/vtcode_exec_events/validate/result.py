"""What validation finds: one issue per problem, verdicts per line, totals per file and run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from vtcode_exec_events import pointer as jp

__all__ = [
    "ERROR",
    "KINDS",
    "MAX_GROUPS",
    "OTHER_GROUP",
    "WARNING",
    "FileResult",
    "Group",
    "Issue",
    "Kind",
    "LineResult",
    "Severity",
    "Summary",
    "count_group",
    "pointer_shape",
]

Kind = Literal["json", "schema", "version", "encoding", "size"]
Severity = Literal["error", "warning"]
KINDS: tuple[Kind, ...] = ("json", "schema", "version", "encoding", "size")
ERROR: Severity = "error"
WARNING: Severity = "warning"

#: Most distinct groups (severity, kind, pointer shape, message) one result tallies; past
#: it, new groups are counted under :data:`OTHER_GROUP`, so memory stays bounded whatever
#: the log holds (every issue is still counted).
MAX_GROUPS = 1000

#: A group: ``(severity, kind, pointer shape, message)``.
Group = tuple[str, str, str, str]
OTHER_GROUP: Group = ("error", "other", "", f"(issues beyond the first {MAX_GROUPS} kinds)")


def pointer_shape(pointer: str) -> str:
    """``pointer`` with array indices collapsed: ``/item/changes/3/path`` becomes
    ``/item/changes/*/path``."""
    tokens = jp.split(pointer)
    return jp.join("*" if t.isdigit() else t for t in tokens) if tokens else pointer


@dataclass(frozen=True)
class Issue:
    """One problem on one line.

    ``line`` counts from 1 within its file; ``pointer`` is an RFC 6901 pointer into the
    line's value (``""`` for the whole line); ``kind`` is ``json``, ``schema``, ``version``,
    ``encoding`` or ``size`` (a line longer than the maximum line size); ``severity`` is
    ``error`` (the line is invalid) or ``warning`` (VT Code's decoder accepts the line, but
    it carries something this schema does not know).
    """

    line: int
    pointer: str
    message: str
    kind: Kind
    severity: Severity = ERROR
    file: str = ""

    @property
    def group(self) -> Group:
        """What groups this issue with the same problem elsewhere: severity, kind, the
        pointer's shape (indices collapsed) and the message."""
        return (self.severity, self.kind, pointer_shape(self.pointer), self.message)

    def as_dict(self) -> dict[str, object]:
        """The JSON report's shape: ``file, line, pointer, message, kind, severity``."""
        return {
            "file": self.file,
            "line": self.line,
            "pointer": self.pointer,
            "message": self.message,
            "kind": self.kind,
            "severity": self.severity,
        }


@dataclass(frozen=True)
class LineResult:
    """The verdict on one line: valid unless it carries an error-severity issue."""

    line: int
    issues: tuple[Issue, ...] = ()
    #: The ``schema_version`` the line was checked against (the envelope's or the default;
    #: ``None`` when the line could not be parsed or its envelope names no known version).
    schema_version: str | None = None

    @property
    def valid(self) -> bool:
        return not any(i.severity == ERROR for i in self.issues)

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == WARNING)


@dataclass
class FileResult:
    """Totals for one input: every line read is counted as valid or invalid.

    ``error`` is set when the input could not be read to its end (missing file, no
    permission, corrupt gzip stream): the lines read before that are still counted.
    ``issues`` holds the problems found (in line order), at most ``keep`` of them when
    ``keep`` is set (``None``: all); ``groups`` counts every issue by :attr:`Issue.group`,
    kept or not (at most :data:`MAX_GROUPS` groups).
    """

    path: str
    lines: int = 0
    valid: int = 0
    invalid: int = 0
    warnings: int = 0
    error: str | None = None
    issues: list[Issue] = field(default_factory=list)
    keep: int | None = None
    groups: Counter[Group] = field(default_factory=Counter)

    def record(self, issues: Iterable[Issue]) -> None:
        """Count ``issues`` in :attr:`groups` and keep them, up to :attr:`keep`."""
        issues = list(issues)
        for issue in issues:
            count_group(self.groups, issue.group)
        self.store(issues)

    def store(self, issues: Iterable[Issue]) -> None:
        """Keep ``issues`` (without counting them), up to :attr:`keep`."""
        if self.keep is None:
            self.issues.extend(issues)
        elif len(self.issues) < self.keep:
            self.issues.extend(list(issues)[: self.keep - len(self.issues)])

    @property
    def ok(self) -> bool:
        """Read to the end and every line valid."""
        return self.error is None and self.invalid == 0

    def add(self, other: FileResult) -> None:
        """Fold in the counts of a part of this file (issues are handled by the caller)."""
        self.lines += other.lines
        self.valid += other.valid
        self.invalid += other.invalid
        self.warnings += other.warnings
        if other.error is not None and self.error is None:
            self.error = other.error
        for group, n in other.groups.items():
            count_group(self.groups, group, n)

    def as_dict(self) -> dict[str, object]:
        """The JSON report's per-file shape (``error`` is ``null`` when the file was read)."""
        return {
            "path": self.path,
            "lines": self.lines,
            "valid": self.valid,
            "invalid": self.invalid,
            "warnings": self.warnings,
            "error": self.error,
        }


def count_group(into: Counter[Group], group: Group, n: int = 1) -> None:
    """``into[group] += n``, folding new groups into :data:`OTHER_GROUP` once
    :data:`MAX_GROUPS` are held."""
    if group not in into and len(into) >= MAX_GROUPS:
        group = OTHER_GROUP
    into[group] += n


@dataclass
class Summary:
    """Totals over every input of a run."""

    files: list[FileResult] = field(default_factory=list)

    @property
    def lines(self) -> int:
        return sum(f.lines for f in self.files)

    @property
    def valid(self) -> int:
        return sum(f.valid for f in self.files)

    @property
    def invalid(self) -> int:
        return sum(f.invalid for f in self.files)

    @property
    def warnings(self) -> int:
        return sum(f.warnings for f in self.files)

    @property
    def groups(self) -> Counter[Group]:
        """Every issue of every file, counted by group (bounded as :attr:`FileResult.groups`)."""
        total: Counter[Group] = Counter()
        for f in self.files:
            for group, n in f.groups.items():
                count_group(total, group, n)
        return total

    @property
    def io_errors(self) -> int:
        return sum(1 for f in self.files if f.error is not None)

    @property
    def exit_code(self) -> int:
        """2 if any input could not be read, else 1 if any line is invalid, else 0."""
        if self.io_errors:
            return 2
        return 1 if self.invalid else 0
