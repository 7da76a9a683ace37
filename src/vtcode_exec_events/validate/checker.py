"""Check lines: batched fast paths for valid lines, then the precise path for the rest.

A batch of lines is first decoded by msgspec into the types compiled from the strict copy
of the schema (:mod:`.structs`); a batch it does not take is parsed with ``orjson`` and
handed to one jsonschema-rs call against the strict copy (:mod:`.schemas`). Only the lines
of a failing batch are looked at one by one, and only lines that fail on their own reach
:func:`.verdict.check_value`, which decides the verdict with the released documents and
explains it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from vtcode_exec_events import registry
from vtcode_exec_events.validate import schemas, serde, structs
from vtcode_exec_events.validate.reader import MAX_LINE
from vtcode_exec_events.validate.result import ERROR, WARNING, Issue, LineResult
from vtcode_exec_events.validate.verdict import Finding, check_value, every_error, is_envelope

if TYPE_CHECKING:  # imported where first used: a log of clean lines never needs it
    import jsonschema_rs

__all__ = [
    "BATCH",
    "BLANK",
    "BlockResult",
    "Checker",
    "broken_issue",
    "check_value",
    "checker_for",
    "every_error",
    "oversize_issue",
]

#: Lines per fast-path batch: large enough to amortise the call, small enough that the
#: parsed objects of a batch stay young (cheap for the garbage collector).
BATCH = 64
BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_loads = orjson.loads
_dumps = orjson.dumps
_JSONDecodeError = orjson.JSONDecodeError


def _json_error(raw: bytes, exc: orjson.JSONDecodeError, last: bool) -> Finding:
    """Classify a line orjson rejects: encoding problems first, then JSON syntax."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as bad:
        return Finding("", f"invalid UTF-8 at byte {bad.start + 1} ({bad.reason})", kind="encoding")
    text = exc.msg
    if "utf-8" in text.lower() or "surrogate" in text.lower():
        return Finding("", f"invalid UTF-8 in the JSON text: {text}", kind="encoding")
    if "depth limit" in text:
        text = "nested deeper than 1024 levels"
    elif any(word in raw[max(0, exc.pos - 2) : exc.pos + 9] for word in (b"NaN", b"Infinity")):
        text += " (NaN and Infinity are not JSON)"
    message = f"invalid JSON at column {exc.colno}: {text}"
    if last:
        message += " (the last line has no newline: truncated?)"
    return Finding("", message, kind="json")


_UNPARSED: Any = object()
BLANK = "blank line: expected one JSON event"
#: A marker finding: the line was parsed again to see repeated keys or -0 (never reported).
_MARKED = Finding("", "")


def _parse_or_unparsed(raw: bytes) -> Any:
    try:
        return _loads(raw)
    except _JSONDecodeError:
        return _UNPARSED


def oversize_issue(line: int, length: int, max_line: int, file: str = "") -> Issue:
    """The issue for a line longer than the maximum line size (skipped, never held)."""
    return Issue(
        line=line,
        pointer="",
        message=f"line of {length} bytes is longer than the maximum line size "
        f"({max_line} bytes; see --max-line-size): skipped",
        kind="size",
        file=file,
    )


def broken_issue(line: int, file: str = "") -> Issue:
    """The issue for the line an input broke off inside (its error follows)."""
    return Issue(
        line=line,
        pointer="",
        message="incomplete line: the input broke off inside it",
        kind="encoding",
        file=file,
    )


@functools.cache
def checker_for(schema_version: str | None = None) -> Checker:
    """One shared checker per default version (for ``parse_line`` and the log readers)."""
    return Checker(schema_version=schema_version)


@dataclass
class BlockResult:
    """Counts and issues for a run of consecutive lines."""

    lines: int = 0
    valid: int = 0
    invalid: int = 0
    warnings: int = 0
    issues: list[Issue] = field(default_factory=list)


@dataclass
class Checker:
    """Validates lines against one default version (for bare lines), optionally strictly."""

    schema_version: str | None = None
    strict: bool = False
    #: The maximum line size the reader applies (for the message of an over-long line).
    max_line: int = MAX_LINE
    #: Report every schema error of an invalid line (:func:`every_error`), not the first.
    all_errors: bool = False

    def __post_init__(self) -> None:
        self.version = (
            registry.resolve_version(self.schema_version)
            if self.schema_version is not None
            else registry.latest()
        )
        self._cover(frozenset((self.version,)))
        #: Consecutive batches msgspec did not take, and how many to send past it: a log it
        #: never takes (fields newer than the schema, spaces) does not pay for it each time.
        self._misses = 0
        self._skip = 0

    def _cover(self, versions: frozenset[str]) -> None:
        """Fast validators for bare lines of the default version and envelopes of
        ``versions``, built when first needed (:meth:`_validators`)."""
        self._versions = versions
        self._built: tuple[jsonschema_rs.Validator, jsonschema_rs.Validator] | None = None

    def _validators(self) -> tuple[jsonschema_rs.Validator, jsonschema_rs.Validator]:
        """The fast jsonschema-rs validators: for a batch of parsed lines, and for one."""
        if self._built is None:
            self._built = (
                schemas.fast_batch_validator(self.version, self._versions),
                schemas.fast_line_validator(self.version, self._versions),
            )
        return self._built

    def _fast(self, obj: Any) -> bool:
        """Whether the fast validator takes ``obj``, covering its envelope's version first
        if it is one the validators do not cover yet (they start with the default only)."""
        if self._validators()[1].is_valid(obj):
            return True
        wider = schemas.covering(self.version, self._versions, obj)
        if wider is None:
            return False
        self._cover(wider)
        return self._validators()[1].is_valid(obj)

    def check_parsed(self, obj: Any, line: int, file: str = "") -> LineResult:
        """The verdict on a line already parsed to ``obj`` (no repeated keys can be seen)."""
        if self._fast(obj):
            own = obj.get("schema_version") if is_envelope(obj) else self.version
            return LineResult(line=line, schema_version=own)
        explain = every_error if self.all_errors else check_value
        findings, version = explain(obj, self.version)
        return self._result(findings, line, file, version)

    def _result(
        self, findings: Sequence[Finding], line: int, file: str, version: str | None
    ) -> LineResult:
        issues = tuple(
            Issue(
                line=line,
                pointer=f.pointer,
                message=f.message,
                kind=f.kind,
                severity=ERROR if self.strict else f.severity,
                file=file,
            )
            for f in findings
        )
        return LineResult(line=line, issues=issues, schema_version=version)

    def check_line(self, raw: bytes, line: int, file: str = "", last: bool = False) -> LineResult:
        """The precise verdict on one raw line (without its newline)."""
        return self.judge(raw, line, file, last)[0]

    def judge(
        self, raw: bytes, line: int = 1, file: str = "", last: bool = False
    ) -> tuple[LineResult, Any]:
        """The verdict on one raw line, and the value parsed from it (``None`` if none)."""
        findings: list[Finding] = []
        if raw.startswith(BOM):
            raw = raw[len(BOM) :]
            findings.append(
                Finding(
                    "",
                    "UTF-8 byte-order mark at the start of the line (ignored)",
                    kind="encoding",
                    severity=WARNING,
                )
            )
        elif raw.startswith(UTF16_BOMS):
            findings.append(
                Finding("", "UTF-16 byte-order mark: the log must be UTF-8", kind="encoding")
            )
            return self._result(findings, line, file, None), None
        if not raw.strip():
            findings.append(Finding("", BLANK, kind="json"))
            return self._result(findings, line, file, None), None
        try:
            obj = _loads(raw)
        except _JSONDecodeError as exc:
            findings.append(_json_error(raw, exc, last))
            return self._result(findings, line, file, None), None
        if not serde.canonical(obj, raw):
            # Not written as orjson writes it: a key may be repeated, or -0 written.
            marked = serde.reparse(raw)
            if marked is not None:
                obj = marked
                findings.append(_MARKED)  # skip the fast validator, which cannot see them
        if not findings and self._fast(obj):
            own = obj["schema_version"] if is_envelope(obj) else self.version
            return LineResult(line=line, schema_version=own), obj
        explain = every_error if self.all_errors else check_value
        more, version = explain(obj, self.version, _MARKED in findings)
        kept = [f for f in findings if f is not _MARKED]
        return self._result([*kept, *more], line, file, version), obj

    def check_lines(
        self,
        lines: Sequence[bytes],
        first: int,
        file: str = "",
        *,
        unterminated: bool = False,
        broken: bool = False,
        oversize: Sequence[tuple[int, int]] = (),
    ) -> BlockResult:
        """Check consecutive lines numbered from ``first``; the fast path for valid ones.

        A line may end in its newline (``reader.blocks(newlines=True)``); it is not part of it.

        ``unterminated``: the last of ``lines`` ended the input without a newline.
        ``broken``: the input broke off inside the last line (it is invalid, whatever it holds).
        ``oversize``: ``(index, length)`` of lines that were too long to read (invalid).
        """
        if oversize:
            return self._around_oversize(lines, first, file, unterminated, broken, oversize)
        if broken and lines:
            head = self.check_lines(lines[:-1], first, file)
            cut = broken_issue(first + len(lines) - 1, file)
            head.lines += 1
            head.invalid += 1
            head.issues.append(cut)
            return head
        result = BlockResult(lines=len(lines))
        line_valid = self._fast
        loads = _loads
        dumps = _dumps
        canonical = serde.canonical
        last_index = len(lines) - 1
        accepts = structs.accepts
        version = self.version
        for start in range(0, len(lines), BATCH):
            chunk = lines[start : start + BATCH]
            if self._skip:
                self._skip -= 1
            elif accepts(chunk, version):  # msgspec: valid, warning-free, nothing hidden
                self._misses = 0
                continue
            else:
                self._misses += 1
                if self._misses >= 2:  # back off: 1, 2, 4 ... 64 batches
                    self._skip = min(1 << (self._misses - 2), 64)
            batch_valid = self._validators()[0].is_valid  # they cover the versions seen
            try:
                objs = list(map(loads, chunk))
            except _JSONDecodeError:
                # Parse one by one; the lines that do parse still go through one batch call.
                objs = [_parse_or_unparsed(raw) for raw in chunk]
                clean = batch_valid([o for o in objs if o is not _UNPARSED])
                same = False
            else:
                # Valid, and written exactly as orjson writes it back (so no key repeated).
                clean = batch_valid(objs)
                try:
                    written = dumps(objs)
                except TypeError:  # deeper than orjson writes: line by line
                    same = False
                else:  # "[" + the lines joined by "," + "]" (a line holds a newline only
                    # at its end: JSON strings cannot), compared without a copy of it
                    joined = b",".join(chunk)
                    if b"\n" in joined:
                        joined = joined.replace(b"\n", b"")
                    same = len(written) == len(joined) + 2 and written.startswith(joined, 1)
                if clean and same:
                    continue
            for offset, obj in enumerate(objs):
                if (
                    obj is not _UNPARSED
                    and (clean or line_valid(obj))
                    and (same or canonical(obj, chunk[offset]))
                ):
                    continue
                index = start + offset
                raw = chunk[offset]
                if raw.endswith(b"\n"):
                    raw = raw[:-1]
                verdict = self.check_line(
                    raw, first + index, file, last=unterminated and index == last_index
                )
                if not verdict.issues:
                    continue
                result.issues.extend(verdict.issues)
                result.warnings += len(verdict.warnings)
                if not verdict.valid:
                    result.invalid += 1
        result.valid = result.lines - result.invalid
        return result

    def _around_oversize(
        self,
        lines: Sequence[bytes],
        first: int,
        file: str,
        unterminated: bool,
        broken: bool,
        oversize: Sequence[tuple[int, int]],
    ) -> BlockResult:
        """``check_lines`` for a block holding over-long lines: the runs between them, and them."""
        result = BlockResult()
        position = 0
        for index, length in (*oversize, (len(lines), 0)):
            if index > position:
                ends = index == len(lines)
                part = self.check_lines(
                    lines[position:index],
                    first + position,
                    file,
                    unterminated=unterminated and ends,
                    broken=broken and ends,
                )
                result.lines += part.lines
                result.valid += part.valid
                result.invalid += part.invalid
                result.warnings += part.warnings
                result.issues.extend(part.issues)
            if index < len(lines):
                result.lines += 1
                result.invalid += 1
                result.issues.append(oversize_issue(first + index, length, self.max_line, file))
            position = index + 1
        return result
