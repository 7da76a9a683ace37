"""Parse JSONL lines into the models of any schema version; write models back as VT Code does."""

from __future__ import annotations

import functools
import importlib
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from pydantic import BaseModel, ValidationError

from vtcode_exec_events import pointer as jp
from vtcode_exec_events.errors import WireFormatError
from vtcode_exec_events.fastwire import encode
from vtcode_exec_events.registry import latest, resolve_version

__all__ = [
    "ParsedLine",
    "VersionModels",
    "dumps",
    "error_pointer",
    "models_for",
    "parse_event",
    "parse_line",
]


@dataclass(frozen=True)
class VersionModels:
    """The generated models of one schema version, indexed for dispatch on the ``type`` tag."""

    version: str
    module: ModuleType
    #: Known event tag -> its model class.
    events: Mapping[str, type[BaseModel]]
    #: Known item kind -> its model class.
    items: Mapping[str, type[BaseModel]]
    #: The catch-all for unknown event types (``None`` before 0.4.0: unknown types are errors).
    unknown: type[BaseModel] | None
    envelope: type[BaseModel]


def _tagged(union_model: Any) -> dict[str, type[BaseModel]]:
    """``tag -> class`` for the branches of a generated discriminated ``RootModel`` union."""
    out: dict[str, type[BaseModel]] = {}
    annotation = union_model.model_fields["root"].annotation
    for cls in typing.get_args(annotation) or (annotation,):
        (tag,) = typing.get_args(cls.model_fields["type"].annotation)
        out[tag] = cls
    return out


@functools.cache
def models_for(version: str | None = None) -> VersionModels:
    """The models of a released schema version (default: the newest)."""
    version = resolve_version(version) if version is not None else latest()
    module = importlib.import_module("vtcode_exec_events.models.v" + version.replace(".", "_"))
    return VersionModels(
        version=version,
        module=module,
        events=_tagged(module.KnownThreadEvent),
        items=_tagged(module.ThreadItem),
        unknown=getattr(module, "UnknownThreadEvent", None),
        envelope=module.VersionedThreadEvent,
    )


@dataclass(frozen=True)
class ParsedLine:
    """One parsed line: the event, and the ``schema_version`` of its envelope if it had one."""

    event: BaseModel
    schema_version: str | None = None

    @property
    def enveloped(self) -> bool:
        return self.schema_version is not None


def error_pointer(loc: Sequence[str | int], data: Any) -> str:
    """Turn a pydantic error location into an RFC 6901 pointer into ``data``.

    pydantic adds union tags and ``root`` to locations; a segment is kept only when it
    names a member of the value at that point, so the pointer always exists in ``data``
    (up to the last segment, which may name a missing field).
    """
    parts: list[str | int] = []
    node = data
    for index, segment in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(node, dict) and isinstance(segment, str) and (segment in node or last):
            parts.append(segment)
            node = node.get(segment)
        elif isinstance(node, list) and isinstance(segment, int) and 0 <= segment < len(node):
            parts.append(segment)
            node = node[segment]
    return jp.join(parts)


def _raw(data: str | bytes | bytearray | memoryview) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8", "surrogateescape")
    return bytes(data)


def _judged(
    data: str | bytes | bytearray | memoryview | Mapping[str, Any], schema_version: str | None
) -> tuple[Any, str]:
    """The value of a line and the version it is read with, after the validator's verdict.

    One engine decides every line (``validate``, ``stats``, ``replay`` and these functions):
    the first error of its verdict is raised, with the same message, pointer and kind.
    """
    from vtcode_exec_events.validate.checker import checker_for

    checker = checker_for(schema_version)
    if isinstance(data, Mapping):
        obj: Any = dict(data)
        result = checker.check_parsed(obj, 1)
    else:
        result, obj = checker.judge(_raw(data).removesuffix(b"\n"))
    for issue in result.errors:
        raise WireFormatError(issue.message, pointer=issue.pointer, kind=issue.kind)
    assert result.schema_version is not None
    return obj, result.schema_version


def _event(obj: dict[str, Any], models: VersionModels, prefix: str = "") -> BaseModel:
    """The model of an event the validator accepted."""
    cls = models.events.get(obj["type"]) or models.unknown
    assert cls is not None  # the validator rejects unknown tags where there is no catch-all
    try:
        return cls.model_validate(obj)
    except ValidationError as exc:  # the models and the schema disagree: a bug, said plainly
        first = exc.errors(include_url=False)[0]
        pointer = prefix + error_pointer(first["loc"], obj)
        raise WireFormatError(first["msg"], pointer=pointer) from None


def _is_envelope(obj: Any) -> bool:
    return (
        isinstance(obj, Mapping)
        and "type" not in obj
        and ("event" in obj or "schema_version" in obj)
    )


def parse_event(
    data: str | bytes | Mapping[str, Any], *, schema_version: str | None = None
) -> BaseModel:
    """Parse one bare event (a JSON text or an already-decoded object).

    Dispatches on ``type`` first, so a known tag with a bad payload is an error about that
    payload, never a fallback to the unknown-event catch-all. An unknown tag gives an
    ``UnknownThreadEvent`` that keeps it (from 0.4.0 on; before, it is an error).
    """
    if isinstance(data, Mapping) and _is_envelope(data):
        raise WireFormatError('"type" is a required property (the event tag)', pointer="")
    obj, version = _judged(data, schema_version)
    if _is_envelope(obj):
        raise WireFormatError('"type" is a required property (the event tag)', pointer="")
    return _event(obj, models_for(version))


def parse_line(
    line: str | bytes | Mapping[str, Any], *, schema_version: str | None = None
) -> ParsedLine:
    """Parse one JSONL line, bare or enveloped, with the validator's verdict.

    An envelope (``{"schema_version", "event"}``) is parsed with the models of its own
    version (one newer than the newest known: with the newest); a bare line with
    ``schema_version`` (default: the newest). Every error is the validator's first error
    on the line, as ``vtcode-exec-events validate`` reports it.
    """
    obj, version = _judged(line, schema_version)
    if _is_envelope(obj):
        event = _event(obj["event"], models_for(version), "/event")
        return ParsedLine(event, obj["schema_version"])
    return ParsedLine(_event(obj, models_for(version)), None)


def dumps(event: BaseModel | Mapping[str, Any], *, schema_version: str | None = None) -> str:
    """One JSON line (no newline) exactly as VT Code writes it.

    Fields in declaration order, optional fields omitted when unset, ``aggregated_output``
    and ``output`` always written. With ``schema_version`` the event is wrapped in the
    versioned envelope. A ``VersionedThreadEvent`` is written as it is. The bytes are
    pydantic's (``exclude_none``, by alias), produced by ``fastwire`` a few times faster.
    A wire-shaped dict (see ``vtcode_exec_events.dicts``) is written as it is: keys in its
    own order, ``None`` as ``null``, no check against the schema.
    """
    return encode(event, schema_version=schema_version).decode()
