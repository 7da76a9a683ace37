"""The precise path: one parsed line's findings against the released documents.

:func:`check_value` decides a line the fast paths did not take, and explains it: the
envelope first, then the event tag, then the item kind, each validated against its own
definition, so the message names the field that is wrong; :func:`every_error` lists all of
a line's errors for ``--all-errors``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vtcode_exec_events import registry
from vtcode_exec_events.errors import UnknownSchemaVersion
from vtcode_exec_events.pointer import escape as _escape
from vtcode_exec_events.pointer import join
from vtcode_exec_events.validate import schemas, serde
from vtcode_exec_events.validate.messages import message as _message
from vtcode_exec_events.validate.messages import quoted as _quoted
from vtcode_exec_events.validate.messages import short as _short
from vtcode_exec_events.validate.messages import type_name as _type_name
from vtcode_exec_events.validate.result import ERROR, WARNING, Kind, Severity

if TYPE_CHECKING:  # imported where first used: a log of clean lines never needs it
    import jsonschema_rs

__all__ = ["ENVELOPE_FIELDS", "Finding", "check_value", "every_error", "is_envelope", "is_newer"]

#: The envelope's fields (VT Code's ``VersionedThreadEvent``): each may appear once.
ENVELOPE_FIELDS = ("schema_version", "event")
#: jsonschema-rs cannot hand back an error whose value nests deeper than about 255 levels
#: (``ValueError: Recursion limit reached``): the verdict stands, the message says why.
TOO_DEEP = "invalid, and nested too deeply (over 255 levels) for the validator to name the error"


@dataclass(frozen=True)
class Finding:
    pointer: str
    message: str
    kind: Kind = "schema"
    severity: Severity = ERROR


def _first_error(
    validator: jsonschema_rs.Validator, instance: Any, repeated: bool = False
) -> Finding | None:
    """The error to report; a repeated declared field first (serde stops at it)."""
    try:
        if repeated:
            for error in validator.iter_errors(instance):
                found = _repeated_field(error)
                if found is not None:
                    return found
        for error in validator.iter_errors(instance):
            return Finding(join(error.instance_path), _message(error))
    except ValueError as exc:  # the value is too deep for jsonschema-rs to return
        _too_deep(exc)
        return Finding("", TOO_DEEP)
    return None


def _too_deep(exc: ValueError) -> None:
    """Re-raise ``exc`` unless it is jsonschema-rs's depth limit (:data:`TOO_DEEP`)."""
    if "Recursion limit reached" not in str(exc):
        raise exc


def _repeated_field(error: jsonschema_rs.ValidationError) -> Finding | None:
    """The ``x-serde-fields`` error in ``error`` or in the branches it explains, if any."""
    if error.kind.name == serde.FIELDS:
        return Finding(*serde.duplicate_key(join(error.instance_path), error.message))
    for branch in error.kind.as_dict().get("context") or []:
        for inner in branch:
            found = _repeated_field(inner)
            if found is not None:
                return found
    return None


def _tag(
    obj: Any, where: str, what: str, tag: str, repeated: bool, out: list[Finding]
) -> str | None:
    """The ``type`` of an event or item object (``what``), or None with the finding added.

    serde reads a tag before anything else: a repeated ``type`` is an error at once.
    """
    if not isinstance(obj, dict):
        out.append(Finding(where, f"expected an {what} object, found {_type_name(obj)}"))
        return None
    if "type" not in obj:
        out.append(Finding(where, f'"type" is a required property (the {what} {tag})'))
        return None
    value = obj["type"]
    if not isinstance(value, str):
        out.append(Finding(where + "/type", f"{what} {tag} {_short(value)} is not of type string"))
        return None
    if repeated and obj.__class__ is serde.RepeatedKeys and "type" in obj.duplicates:
        out.append(Finding(*serde.duplicate_key(where, "type")))
        return None
    return value


def _catch_all_warnings(
    branch: schemas.Branch, obj: dict[str, Any], prefix: str, out: list[Finding]
) -> None:
    for name, values in branch.catch_alls:
        value = obj.get(name)
        if isinstance(value, str) and value not in values:
            out.append(
                Finding(
                    f"{prefix}/{_escape(name)}",
                    f"{_short(value)} is not a known {branch.definition}.{name} value "
                    f'({_quoted(values)}); VT Code reads it as "unknown"',
                    severity=WARNING,
                )
            )


def _check_event(
    obj: Any, vs: schemas.VersionSchemas, prefix: str, out: list[Finding], repeated: bool
) -> None:
    """Append the findings for one event: its tag, its item's kind, then its fields.

    ``repeated``: the line repeats some key somewhere (a repeated declared field is the error).
    """
    tag = _tag(obj, prefix, "event", "tag", repeated, out)
    if tag is None:
        return
    branch = vs.events.get(tag)
    if branch is None:
        known = ", ".join(vs.events)
        if vs.unknown_events:
            out.append(
                Finding(
                    prefix + "/type",
                    f"unknown event type {_short(tag)}: VT Code reads it as Unknown "
                    f"(not one of the {len(vs.events)} types schema {vs.version} knows)",
                    severity=WARNING,
                )
            )
        else:
            out.append(
                Finding(
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
        kind = _tag(item, where, "item", "kind", repeated, out)
        if kind is None:
            return
        item_branch = vs.items.get(kind)
        if item_branch is None:
            out.append(
                Finding(
                    where + "/type",
                    f"unknown item kind {_short(kind)} (schema {vs.version} knows "
                    f"{', '.join(vs.items)}); VT Code rejects the whole line",
                )
            )
            return
        found = _first_error(item_branch.validator, item, repeated)
        if found is not None:
            out.append(Finding(where + found.pointer, found.message))
            return
    found = _first_error(branch.validator, obj, repeated)
    if found is not None:
        out.append(Finding(prefix + found.pointer, found.message))
        return
    _catch_all_warnings(branch, obj, prefix, out)
    if item_branch is not None and isinstance(item, dict):
        _catch_all_warnings(item_branch, item, prefix + "/item", out)


def is_newer(version: str, newest: str) -> bool:
    """A well-formed ``MAJOR.MINOR.PATCH`` newer than ``newest`` (VT Code never reads it)."""
    try:
        return registry.version_key(version) > registry.version_key(newest)
    except ValueError:
        return False


def is_envelope(obj: Any) -> bool:
    return (
        isinstance(obj, dict) and "type" not in obj and ("event" in obj or "schema_version" in obj)
    )


def check_value(
    obj: Any, default_version: str, repeated: bool = False
) -> tuple[list[Finding], str | None]:
    """Findings for one parsed line, and the version it was checked against.

    The verdict is that of the released documents (the entry validator of the version)
    with serde's two rules (:mod:`.serde`); the findings explain it. ``repeated``: ``obj``
    comes from :func:`serde.reparse` and repeats a key somewhere. An envelope whose
    ``schema_version`` is unknown is an error of kind ``version``; a well-formed newer one
    is read with the newest schema and a ``version`` warning.
    """
    out: list[Finding] = []
    if is_envelope(obj):
        if repeated and obj.__class__ is serde.RepeatedKeys:
            for key in obj.duplicates:
                if key in ENVELOPE_FIELDS:
                    out.append(Finding(*serde.duplicate_key("", key)))
                    return out, None
        if "schema_version" not in obj:
            out.append(Finding("", '"schema_version" is a required property (envelope)'))
            return out, None
        version = obj["schema_version"]
        if not isinstance(version, str):
            out.append(Finding("/schema_version", f"{_short(version)} is not of type string"))
            return out, None
        if version not in schemas.known_versions():
            newest = registry.latest()
            if is_newer(version, newest):
                out.append(
                    Finding(
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
                    out.append(Finding("/schema_version", str(exc), kind="version"))
                    return out, None
        if "event" not in obj:
            out.append(Finding("", '"event" is a required property (envelope)'))
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
        out.append(found or Finding("", "the line does not match the schema"))
    if entry is vs.bare and any(f.severity == ERROR for f in out):
        out = _with_older_hint(obj, version, out)
    return out, version


def _with_older_hint(obj: Any, version: str, out: list[Finding]) -> list[Finding]:
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
) -> tuple[list[Finding], str | None]:
    """As :func:`check_value`, but with every schema error of the line, not only the first.

    The first error is :func:`check_value`'s; then every error of the item against its
    kind's definition, and of the event against its tag's (the item's errors once).
    """
    findings, version = check_value(obj, default_version, repeated)
    if version is None or not any(f.severity == ERROR for f in findings):
        return findings, version
    enveloped = is_envelope(obj)
    event = obj.get("event") if enveloped else obj
    prefix = "/event" if enveloped else ""
    tag = event.get("type") if isinstance(event, dict) else None
    branch = schemas.for_version(version).events.get(tag) if isinstance(tag, str) else None
    if branch is None:
        return findings, version
    assert isinstance(event, dict)
    more: list[Finding] = []
    item = event.get("item")
    kind = item.get("type") if isinstance(item, dict) else None
    item_branch = schemas.for_version(version).items.get(kind) if isinstance(kind, str) else None
    try:
        if branch.has_item and item_branch is not None:
            for error in item_branch.validator.iter_errors(item):
                more.append(Finding(f"{prefix}/item{join(error.instance_path)}", _message(error)))
        for error in branch.validator.iter_errors(event):
            at = join(error.instance_path)
            if item_branch is not None and (at == "/item" or at.startswith("/item/")):
                continue
            more.append(Finding(prefix + at, _message(error)))
    except ValueError as exc:  # too deep for jsonschema-rs to return (the first error stands)
        _too_deep(exc)
    return [*findings, *(f for f in dict.fromkeys(more) if f not in findings)], version
