"""The package's error family: one root, leaves that are also ``ValueError`` where apt."""

from __future__ import annotations

__all__ = [
    "SchemaError",
    "SchemaReferenceError",
    "UnknownSchemaVersion",
    "VtcodeExecEventsError",
    "WireFormatError",
]


class VtcodeExecEventsError(Exception):
    """Root of every error this package raises on purpose."""


class WireFormatError(VtcodeExecEventsError, ValueError):
    """A line is not a valid event: bad JSON, a bad envelope or a payload the schema rejects.

    ``pointer`` is an RFC 6901 JSON pointer into the line's value (``""`` for the whole
    line); ``kind`` is ``json``, ``schema``, ``version`` or ``encoding``, as in the
    validator's report.
    """

    def __init__(self, message: str, *, pointer: str = "", kind: str = "schema") -> None:
        self.message = message
        self.pointer = pointer
        self.kind = kind
        where = f" at {pointer!r}" if pointer else ""
        super().__init__(f"{message}{where}")


class UnknownSchemaVersion(VtcodeExecEventsError, ValueError):
    """A ``schema_version`` that no released schema folder describes."""

    def __init__(self, version: str, known: tuple[str, ...], *, newer: bool = False) -> None:
        self.version = version
        self.known = known
        self.newer = newer
        listing = ", ".join(known)
        if newer:
            message = (
                f"schema version {version!r} is newer than the newest known version "
                f"{known[-1]!r}; upgrade vtcode-exec-events (known: {listing})"
            )
        else:
            message = f"unknown schema version {version!r} (known: {listing})"
        super().__init__(message)


class SchemaError(VtcodeExecEventsError, ValueError):
    """A schema document is not valid JSON Schema, or cannot be loaded."""


class SchemaReferenceError(SchemaError):
    """A ``$ref`` that cannot be resolved inside the local schema set (remote refs included)."""
