"""What validation finds: one issue per problem, verdicts per line, totals per file and run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "ERROR",
    "KINDS",
    "WARNING",
    "FileResult",
    "Issue",
    "Kind",
    "LineResult",
    "Severity",
    "Summary",
]

Kind = Literal["json", "schema", "version", "encoding", "size"]
Severity = Literal["error", "warning"]
KINDS: tuple[Kind, ...] = ("json", "schema", "version", "encoding", "size")
ERROR: Severity = "error"
WARNING: Severity = "warning"


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
    ``issues`` holds the problems found (in line order), unless the caller streams them.
    """

    path: str
    lines: int = 0
    valid: int = 0
    invalid: int = 0
    warnings: int = 0
    error: str | None = None
    issues: list[Issue] = field(default_factory=list)

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
    def io_errors(self) -> int:
        return sum(1 for f in self.files if f.error is not None)

    @property
    def exit_code(self) -> int:
        """2 if any input could not be read, else 1 if any line is invalid, else 0."""
        if self.io_errors:
            return 2
        return 1 if self.invalid else 0
