"""Check lines: a batched fast path for valid lines, a precise path that explains the rest.

The fast path parses a batch of lines with ``orjson`` and hands the whole batch to one
jsonschema-rs call against the strict copy of the schema (see :mod:`.schemas`). Only the
lines of a failing batch are looked at one by one, and only lines that fail on their own
reach :func:`check_value`, which decides the verdict with the released documents and
explains it: the envelope first, then the event tag, then the item kind, each validated
against its own definition, so the message names the field that is wrong.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs
import orjson

from vtcode_exec_events import registry
from vtcode_exec_events.errors import UnknownSchemaVersion
from vtcode_exec_events.pointer import escape as _escape
from vtcode_exec_events.pointer import join
from vtcode_exec_events.validate import schemas, serde, structs
from vtcode_exec_events.validate.messages import message as _message
from vtcode_exec_events.validate.messages import quoted as _quoted
from vtcode_exec_events.validate.messages import short as _short
from vtcode_exec_events.validate.messages import type_name as _type_name
from vtcode_exec_events.validate.reader import MAX_LINE
from vtcode_exec_events.validate.result import ERROR, WARNING, Issue, Kind, LineResult, Severity

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
#: The envelope's fields (VT Code's ``VersionedThreadEvent``): each may appear once.
ENVELOPE_FIELDS = ("schema_version", "event")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_loads = orjson.loads
_dumps = orjson.dumps
_JSONDecodeError = orjson.JSONDecodeError


@dataclass(frozen=True)
class _Finding:
    pointer: str
    message: str
    kind: Kind = "schema"
    severity: Severity = ERROR


def _first_error(
    validator: jsonschema_rs.Validator, instance: Any, repeated: bool = False
) -> _Finding | None:
    """The error to report; a repeated declared field first (serde stops at it)."""
    if repeated:
        for error in validator.iter_errors(instance):
            found = _repeated_field(error)
            if found is not None:
                return found
    for error in validator.iter_errors(instance):
        return _Finding(join(error.instance_path), _message(error))
    return None


def _repeated_field(error: jsonschema_rs.ValidationError) -> _Finding | None:
    """The ``x-serde-fields`` error in ``error`` or in the branches it explains, if any."""
    if error.kind.name == serde.FIELDS:
        return _Finding(*serde.duplicate_key(join(error.instance_path), error.message))
    for branch in error.kind.as_dict().get("context") or []:
        for inner in branch:
            found = _repeated_field(inner)
            if found is not None:
                return found
    return None


def _repeated_tag(obj: Any, where: str, repeated: bool) -> _Finding | None:
    """serde reads a tag before anything else: a repeated ``type`` is an error at once."""
    if repeated and obj.__class__ is serde.RepeatedKeys and "type" in obj.duplicates:
        return _Finding(*serde.duplicate_key(where, "type"))
    return None


def _catch_all_warnings(
    branch: schemas.Branch, obj: dict[str, Any], prefix: str, out: list[_Finding]
) -> None:
    for name, values in branch.catch_alls:
        value = obj.get(name)
        if isinstance(value, str) and value not in values:
            out.append(
                _Finding(
                    f"{prefix}/{_escape(name)}",
                    f"{_short(value)} is not a known {branch.definition}.{name} value "
                    f'({_quoted(values)}); VT Code reads it as "unknown"',
                    severity=WARNING,
                )
            )


def _check_event(
    obj: Any, vs: schemas.VersionSchemas, prefix: str, out: list[_Finding], repeated: bool
) -> None:
    """Append the findings for one event: its tag, its item's kind, then its fields.

    ``repeated``: the line repeats some key somewhere (a repeated declared field is the error).
    """
    if not isinstance(obj, dict):
        out.append(_Finding(prefix, f"expected an event object, found {_type_name(obj)}"))
        return
    if "type" not in obj:
        out.append(_Finding(prefix, '"type" is a required property (the event tag)'))
        return
    tag = obj["type"]
    if not isinstance(tag, str):
        out.append(_Finding(prefix + "/type", f"event tag {_short(tag)} is not of type string"))
        return
    found = _repeated_tag(obj, prefix, repeated)
    if found is not None:
        out.append(found)
        return
    branch = vs.events.get(tag)
    if branch is None:
        known = ", ".join(vs.events)
        if vs.unknown_events:
            out.append(
                _Finding(
                    prefix + "/type",
                    f"unknown event type {_short(tag)}: VT Code reads it as Unknown "
                    f"(not one of the {len(vs.events)} types schema {vs.version} knows)",
                    severity=WARNING,
                )
            )
        else:
            out.append(
                _Finding(
                    prefix + "/type",
                    f"unknown event type {_short(tag)}: schema {vs.version} has no catch-all "
                    f"for unknown events (known: {known})",
                )
            )
        return
    item_branch: schemas.Branch | None = None
    item = obj.get("item")
    if branch.has_item and "item" in obj:
        where = prefix + "/item"
        if not isinstance(item, dict):
            out.append(_Finding(where, f"expected an item object, found {_type_name(item)}"))
            return
        if "type" not in item:
            out.append(_Finding(where, '"type" is a required property (the item kind)'))
            return
        kind = item["type"]
        if not isinstance(kind, str):
            out.append(_Finding(where + "/type", f"item kind {_short(kind)} is not of type string"))
            return
        found = _repeated_tag(item, where, repeated)
        if found is not None:
            out.append(found)
            return
        item_branch = vs.items.get(kind)
        if item_branch is None:
            out.append(
                _Finding(
                    where + "/type",
                    f"unknown item kind {_short(kind)} (schema {vs.version} knows "
                    f"{', '.join(vs.items)}); VT Code rejects the whole line",
                )
            )
            return
        found = _first_error(item_branch.validator, item, repeated)
        if found is not None:
            out.append(_Finding(where + found.pointer, found.message))
            return
    found = _first_error(branch.validator, obj, repeated)
    if found is not None:
        out.append(_Finding(prefix + found.pointer, found.message))
        return
    _catch_all_warnings(branch, obj, prefix, out)
    if item_branch is not None and isinstance(item, dict):
        _catch_all_warnings(item_branch, item, prefix + "/item", out)


def _is_newer(version: str, newest: str) -> bool:
    """A well-formed ``MAJOR.MINOR.PATCH`` newer than ``newest`` (VT Code never reads it)."""
    try:
        return registry.version_key(version) > registry.version_key(newest)
    except ValueError:
        return False


def _is_envelope(obj: Any) -> bool:
    return (
        isinstance(obj, dict) and "type" not in obj and ("event" in obj or "schema_version" in obj)
    )


def check_value(
    obj: Any, default_version: str, repeated: bool = False
) -> tuple[list[_Finding], str | None]:
    """Findings for one parsed line, and the version it was checked against.

    The verdict is that of the released documents (the entry validator of the version)
    with serde's two rules (:mod:`.serde`); the findings explain it. ``repeated``: ``obj``
    comes from :func:`serde.reparse` and repeats a key somewhere. An envelope whose
    ``schema_version`` is unknown is an error of kind ``version``; a well-formed newer one
    is read with the newest schema and a ``version`` warning.
    """
    out: list[_Finding] = []
    if _is_envelope(obj):
        if repeated and obj.__class__ is serde.RepeatedKeys:
            for key in obj.duplicates:
                if key in ENVELOPE_FIELDS:
                    out.append(_Finding(*serde.duplicate_key("", key)))
                    return out, None
        if "schema_version" not in obj:
            out.append(_Finding("", '"schema_version" is a required property (envelope)'))
            return out, None
        version = obj["schema_version"]
        if not isinstance(version, str):
            out.append(_Finding("/schema_version", f"{_short(version)} is not of type string"))
            return out, None
        if version not in schemas.known_versions():
            newest = registry.latest()
            if _is_newer(version, newest):
                out.append(
                    _Finding(
                        "/schema_version",
                        f"schema version {_short(version)} is newer than the newest known "
                        f"({newest}): read with {newest}",
                        kind="version",
                        severity=WARNING,
                    )
                )
                version = newest
            else:
                try:
                    registry.resolve_version(version)
                except UnknownSchemaVersion as exc:
                    out.append(_Finding("/schema_version", str(exc), kind="version"))
                    return out, None
        if "event" not in obj:
            out.append(_Finding("", '"event" is a required property (envelope)'))
            return out, version
        vs = schemas.for_version(version)
        _check_event(obj["event"], vs, "/event", out, repeated)
        entry = vs.envelope
    else:
        version = default_version
        vs = schemas.for_version(version)
        _check_event(obj, vs, "", out, repeated)
        entry = vs.bare
    # The verdict belongs to the released documents; the findings only explain it.
    if entry.is_valid(obj):
        out = [f for f in out if f.severity == WARNING]
    elif not any(f.severity == ERROR for f in out):
        found = _first_error(entry, obj, repeated)
        out.append(found or _Finding("", "the line does not match the schema"))
    if entry is vs.bare and any(f.severity == ERROR for f in out):
        out = _with_older_hint(obj, version, out)
    return out, version


def _with_older_hint(obj: Any, version: str, out: list[_Finding]) -> list[_Finding]:
    """A bare line is read with one version only; name an older one that accepts it."""
    for older in reversed(registry.versions()):
        if registry.version_key(older) >= registry.version_key(version):
            continue
        if schemas.for_version(older).bare.is_valid(obj):
            first = next(i for i, f in enumerate(out) if f.severity == ERROR)
            hint = f" (the line is valid under schema {older}: --schema-version {older})"
            out[first] = dataclasses.replace(out[first], message=out[first].message + hint)
            break
    return out


# ---- every error of a line (``--all-errors``) ---------------------------------------------
def every_error(
    obj: Any, default_version: str, repeated: bool = False
) -> tuple[list[_Finding], str | None]:
    """As :func:`check_value`, but with every schema error of the line, not only the first.

    The first error is :func:`check_value`'s; then every error of the item against its
    kind's definition, and of the event against its tag's (the item's errors once).
    """
    findings, version = check_value(obj, default_version, repeated)
    if version is None or not any(f.severity == ERROR for f in findings):
        return findings, version
    enveloped = _is_envelope(obj)
    event = obj.get("event") if enveloped else obj
    prefix = "/event" if enveloped else ""
    tag = event.get("type") if isinstance(event, dict) else None
    branch = schemas.for_version(version).events.get(tag) if isinstance(tag, str) else None
    if branch is None:
        return findings, version
    assert isinstance(event, dict)
    more: list[_Finding] = []
    item = event.get("item")
    kind = item.get("type") if isinstance(item, dict) else None
    item_branch = schemas.for_version(version).items.get(kind) if isinstance(kind, str) else None
    if branch.has_item and item_branch is not None:
        for error in item_branch.validator.iter_errors(item):
            more.append(_Finding(f"{prefix}/item{join(error.instance_path)}", _message(error)))
    for error in branch.validator.iter_errors(event):
        at = join(error.instance_path)
        if item_branch is not None and (at == "/item" or at.startswith("/item/")):
            continue
        more.append(_Finding(prefix + at, _message(error)))
    return [*findings, *(f for f in dict.fromkeys(more) if f not in findings)], version


def _json_error(raw: bytes, exc: orjson.JSONDecodeError, last: bool) -> _Finding:
    """Classify a line orjson rejects: encoding problems first, then JSON syntax."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as bad:
        return _Finding(
            "", f"invalid UTF-8 at byte {bad.start + 1} ({bad.reason})", kind="encoding"
        )
    text = exc.msg
    if "utf-8" in text.lower() or "surrogate" in text.lower():
        return _Finding("", f"invalid UTF-8 in the JSON text: {text}", kind="encoding")
    if "depth limit" in text:
        text = "nested deeper than 1024 levels"
    elif any(word in raw[max(0, exc.pos - 2) : exc.pos + 9] for word in (b"NaN", b"Infinity")):
        text += " (NaN and Infinity are not JSON)"
    message = f"invalid JSON at column {exc.colno}: {text}"
    if last:
        message += " (the last line has no newline: truncated?)"
    return _Finding("", message, kind="json")


_UNPARSED: Any = object()
BLANK = "blank line: expected one JSON event"
#: A marker finding: the line was parsed again to see repeated keys or -0 (never reported).
_MARKED = _Finding("", "")


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
            own = obj.get("schema_version") if _is_envelope(obj) else self.version
            return LineResult(line=line, schema_version=own)
        explain = every_error if self.all_errors else check_value
        findings, version = explain(obj, self.version)
        return self._result(findings, line, file, version)

    def _result(
        self, findings: Sequence[_Finding], line: int, file: str, version: str | None
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
        findings: list[_Finding] = []
        if raw.startswith(BOM):
            raw = raw[len(BOM) :]
            findings.append(
                _Finding(
                    "",
                    "UTF-8 byte-order mark at the start of the line (ignored)",
                    kind="encoding",
                    severity=WARNING,
                )
            )
        elif raw.startswith(UTF16_BOMS):
            findings.append(
                _Finding("", "UTF-16 byte-order mark: the log must be UTF-8", kind="encoding")
            )
            return self._result(findings, line, file, None), None
        if not raw.strip():
            findings.append(_Finding("", BLANK, kind="json"))
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
            own = obj["schema_version"] if _is_envelope(obj) else self.version
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
                else:  # "[" + the lines joined by "," + "]", compared without a copy of it
                    joined = b",".join(chunk)
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
