"""Check lines: a batched fast path for valid lines, a precise path that explains the rest.

The fast path parses a batch of lines with ``orjson`` and hands the whole batch to one
jsonschema-rs call against the strict copy of the schema (see :mod:`.schemas`). Only the
lines of a failing batch are looked at one by one, and only lines that fail on their own
reach :func:`check_value`, which decides the verdict with the released documents and
explains it: the envelope first, then the event tag, then the item kind, each validated
against its own definition, so the message names the field that is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs
import orjson

from vtcode_exec_events import pointer as jp
from vtcode_exec_events import registry
from vtcode_exec_events.errors import UnknownSchemaVersion
from vtcode_exec_events.validate import schemas
from vtcode_exec_events.validate.result import ERROR, WARNING, Issue, Kind, LineResult, Severity

__all__ = ["BATCH", "BlockResult", "Checker", "check_value", "every_error"]

#: Lines per fast-path batch: large enough to amortise the call, small enough that the
#: parsed objects of a batch stay young (cheap for the garbage collector).
BATCH = 64
BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_loads = orjson.loads
_JSONDecodeError = orjson.JSONDecodeError


@dataclass(frozen=True)
class _Finding:
    pointer: str
    message: str
    kind: Kind = "schema"
    severity: Severity = ERROR


def _short(value: Any, limit: int = 60) -> str:
    """A JSON rendering of a value, cut to ``limit`` characters."""
    try:
        text = orjson.dumps(value).decode()
    except TypeError:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _quoted(values: Sequence[Any]) -> str:
    return ", ".join(_short(v) for v in values)


def _message(error: jsonschema_rs.ValidationError) -> str:
    """A one-line message saying what was found and what was expected."""
    kind = error.kind
    name = kind.name
    shown = _short(error.instance)
    data = kind.as_dict()
    if name == "enum":
        return f"{shown} is not one of {_quoted(data.get('options', []))}"
    if name == "type":
        types = data.get("types") or [data.get("type")]
        return f"{shown} is not of type {' or '.join(str(t) for t in types)}"
    if name == "required":
        return f"{_short(data.get('property'))} is a required property"
    if name == "constant":
        return f"{shown} is not {_short(data.get('expected_value'))}"
    if name == "anyOf" or name == "oneOfNotValid":
        return _any_of_message(error, shown)
    message = error.message
    return message if len(message) <= 300 else message[:299] + "…"


def _any_of_message(error: jsonschema_rs.ValidationError, shown: str) -> str:
    """Explain an ``anyOf`` failure by its most specific branch, or list the types it allows."""
    branches = error.kind.as_dict().get("context") or []
    types: list[str] = []
    for branch in branches:
        first = branch[0] if branch else None
        if first is None:
            continue
        if first.kind.name == "type" and not first.instance_path:
            types.extend(str(t) for t in first.kind.as_dict().get("types", []))
            continue
        return _message(first)
    if types:
        return f"{shown} is not of type {' or '.join(dict.fromkeys(types))}"
    return f"{shown} matches none of the allowed forms"


def _first_error(validator: jsonschema_rs.Validator, instance: Any) -> _Finding | None:
    for error in validator.iter_errors(instance):
        return _Finding(jp.join(error.instance_path), _message(error))
    return None


def _catch_all_warnings(
    branch: schemas.Branch, obj: dict[str, Any], prefix: str, out: list[_Finding]
) -> None:
    for name, values in branch.catch_alls:
        value = obj.get(name)
        if isinstance(value, str) and value not in values:
            out.append(
                _Finding(
                    f"{prefix}/{jp.escape(name)}",
                    f"{_short(value)} is not a known {branch.definition}.{name} value "
                    f'({_quoted(values)}); VT Code reads it as "unknown"',
                    severity=WARNING,
                )
            )


def _check_event(obj: Any, vs: schemas.VersionSchemas, prefix: str, out: list[_Finding]) -> None:
    """Append the findings for one event: its tag, its item's kind, then its fields."""
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
        found = _first_error(item_branch.validator, item)
        if found is not None:
            out.append(_Finding(where + found.pointer, found.message))
            return
    found = _first_error(branch.validator, obj)
    if found is not None:
        out.append(_Finding(prefix + found.pointer, found.message))
        return
    _catch_all_warnings(branch, obj, prefix, out)
    if item_branch is not None and isinstance(item, dict):
        _catch_all_warnings(item_branch, item, prefix + "/item", out)


def _is_envelope(obj: Any) -> bool:
    return (
        isinstance(obj, dict) and "type" not in obj and ("event" in obj or "schema_version" in obj)
    )


def check_value(obj: Any, default_version: str) -> tuple[list[_Finding], str | None]:
    """Findings for one parsed line, and the version it was checked against.

    The verdict is that of the released documents (the entry validator of the version);
    the findings explain it. An envelope whose ``schema_version`` is unknown is an error
    of kind ``version``.
    """
    out: list[_Finding] = []
    if _is_envelope(obj):
        if "schema_version" not in obj:
            out.append(_Finding("", '"schema_version" is a required property (envelope)'))
            return out, None
        version = obj["schema_version"]
        if not isinstance(version, str):
            out.append(_Finding("/schema_version", f"{_short(version)} is not of type string"))
            return out, None
        if version not in schemas.known_versions():
            try:
                registry.resolve_version(version)
            except UnknownSchemaVersion as exc:
                out.append(_Finding("/schema_version", str(exc), kind="version"))
                return out, None
        if "event" not in obj:
            out.append(_Finding("", '"event" is a required property (envelope)'))
            return out, version
        vs = schemas.for_version(version)
        _check_event(obj["event"], vs, "/event", out)
        entry = vs.envelope
    else:
        version = default_version
        vs = schemas.for_version(version)
        _check_event(obj, vs, "", out)
        entry = vs.bare
    # The verdict belongs to the released documents; the findings only explain it.
    if entry.is_valid(obj):
        out = [f for f in out if f.severity == WARNING]
    elif not any(f.severity == ERROR for f in out):
        found = _first_error(entry, obj)
        out.append(found or _Finding("", "the line does not match the schema"))
    return out, version


# ---- every error of a line (``--all-errors``) ---------------------------------------------
def every_error(obj: Any, default_version: str) -> tuple[list[_Finding], str | None]:
    """As :func:`check_value`, but with every schema error of the line, not only the first.

    The first error is :func:`check_value`'s; then every error of the item against its
    kind's definition, and of the event against its tag's (the item's errors once).
    """
    findings, version = check_value(obj, default_version)
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
            more.append(_Finding(f"{prefix}/item{jp.join(error.instance_path)}", _message(error)))
    for error in branch.validator.iter_errors(event):
        at = jp.join(error.instance_path)
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


def _parse_or_unparsed(raw: bytes) -> Any:
    try:
        return _loads(raw)
    except _JSONDecodeError:
        return _UNPARSED


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
    #: Report every schema error of an invalid line (:func:`every_error`), not the first.
    all_errors: bool = False

    def __post_init__(self) -> None:
        self.version = (
            registry.resolve_version(self.schema_version)
            if self.schema_version is not None
            else registry.latest()
        )
        self._batch = schemas.fast_batch_validator(self.version)
        self._line = schemas.fast_line_validator(self.version)

    def check_parsed(self, obj: Any, line: int, file: str = "") -> LineResult:
        """The precise verdict on a line already parsed to ``obj``."""
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
            return self._result(findings, line, file, None)
        if not raw.strip():
            findings.append(_Finding("", "blank line: expected one JSON event", kind="json"))
            return self._result(findings, line, file, None)
        try:
            obj = _loads(raw)
        except _JSONDecodeError as exc:
            findings.append(_json_error(raw, exc, last))
            return self._result(findings, line, file, None)
        if not findings and self._line.is_valid(obj):
            own = obj.get("schema_version") if _is_envelope(obj) else self.version
            return LineResult(line=line, schema_version=own)
        explain = every_error if self.all_errors else check_value
        more, version = explain(obj, self.version)
        return self._result([*findings, *more], line, file, version)

    def check_lines(
        self,
        lines: Sequence[bytes],
        first: int,
        file: str = "",
        *,
        unterminated: bool = False,
        broken: bool = False,
    ) -> BlockResult:
        """Check consecutive lines numbered from ``first``; the fast path for valid ones.

        ``unterminated``: the last of ``lines`` ended the input without a newline.
        ``broken``: the input broke off inside the last line (it is invalid, whatever it holds).
        """
        if broken and lines:
            head = self.check_lines(lines[:-1], first, file)
            number = first + len(lines) - 1
            cut = Issue(
                line=number,
                pointer="",
                message="incomplete line: the input broke off inside it",
                kind="encoding",
                file=file,
            )
            head.lines += 1
            head.invalid += 1
            head.issues.append(cut)
            return head
        result = BlockResult(lines=len(lines))
        batch_valid = self._batch.is_valid
        line_valid = self._line.is_valid
        loads = _loads
        last_index = len(lines) - 1
        for start in range(0, len(lines), BATCH):
            chunk = lines[start : start + BATCH]
            try:
                objs = list(map(loads, chunk))
            except _JSONDecodeError:
                # Parse one by one; the lines that do parse still go through one batch call.
                objs = [_parse_or_unparsed(raw) for raw in chunk]
                clean = batch_valid([o for o in objs if o is not _UNPARSED])
            else:
                if batch_valid(objs):
                    continue
                clean = False
            for offset, obj in enumerate(objs):
                if obj is not _UNPARSED and (clean or line_valid(obj)):
                    continue
                index = start + offset
                number = first + index
                if obj is _UNPARSED:
                    raw = chunk[offset]
                    if raw.endswith(b"\n"):
                        raw = raw[:-1]
                    verdict = self.check_line(
                        raw, number, file, last=unterminated and index == last_index
                    )
                else:
                    verdict = self.check_parsed(obj, number, file)
                if not verdict.issues:
                    continue
                result.issues.extend(verdict.issues)
                result.warnings += len(verdict.warnings)
                if not verdict.valid:
                    result.invalid += 1
        result.valid = result.lines - result.invalid
        return result
