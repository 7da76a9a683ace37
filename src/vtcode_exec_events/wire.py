"""Parse JSONL lines into the models of any schema version; write models back as VT Code does."""

from __future__ import annotations

import functools
import importlib
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import orjson
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


def _loads(data: str | bytes | bytearray | memoryview) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        kind = "encoding" if "utf-8" in str(exc).lower() else "json"
        raise WireFormatError(f"invalid JSON: {exc}", kind=kind) from None


def _text(data: str | bytes | bytearray | memoryview) -> str | bytes:
    return data if isinstance(data, (str, bytes)) else bytes(data)


def _validate(cls: type[BaseModel], obj: Any, raw: bytes | str | None, prefix: str) -> BaseModel:
    # Strict JSON-mode validation matches VT Code's serde decoder: no "5" or true for an
    # integer, no 5.0 either (JSON Schema cannot tell 5.0 from 5; see docs/wire.md).
    text = orjson.dumps(obj) if raw is None else raw
    try:
        return cls.model_validate_json(text, strict=True)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        pointer = prefix + error_pointer(first["loc"], obj)
        raise WireFormatError(first["msg"], pointer=pointer) from None


def _event(
    obj: Any, models: VersionModels, prefix: str = "", raw: bytes | str | None = None
) -> BaseModel:
    if not isinstance(obj, dict):
        raise WireFormatError(
            f"an event must be a JSON object, not {type(obj).__name__}", pointer=prefix
        )
    tag = obj.get("type")
    if not isinstance(tag, str):
        what = "missing" if tag is None else f"not a string ({orjson.dumps(tag).decode()})"
        raise WireFormatError(f"event tag 'type' is {what}", pointer=prefix + "/type")
    cls = models.events.get(tag)
    if cls is None:
        if models.unknown is None:
            raise WireFormatError(
                f"unknown event type {tag!r}: schema {models.version} has no catch-all",
                pointer=prefix + "/type",
            )
        cls = models.unknown
    return _validate(cls, obj, raw, prefix)


def parse_event(
    data: str | bytes | Mapping[str, Any], *, schema_version: str | None = None
) -> BaseModel:
    """Parse one bare event (a JSON text or an already-decoded object).

    Dispatches on ``type`` first, so a known tag with a bad payload is an error about that
    payload, never a fallback to the unknown-event catch-all. An unknown tag gives an
    ``UnknownThreadEvent`` that keeps it (from 0.4.0 on; before, it is an error).
    """
    models = models_for(schema_version)
    if isinstance(data, Mapping):
        return _event(dict(data), models)
    return _event(_loads(data), models, raw=_text(data))


def parse_line(
    line: str | bytes | Mapping[str, Any], *, schema_version: str | None = None
) -> ParsedLine:
    """Parse one JSONL line, bare or enveloped.

    An envelope (``{"schema_version", "event"}``) is parsed with the models of its own
    version; a bare line with ``schema_version`` (default: the newest).
    """
    obj = line if isinstance(line, Mapping) else _loads(line)
    if (
        isinstance(obj, Mapping)
        and "type" not in obj
        and ("event" in obj or "schema_version" in obj)
    ):
        version = obj.get("schema_version")
        if not isinstance(version, str):
            raise WireFormatError(
                "envelope needs a string 'schema_version'", pointer="/schema_version"
            )
        if "event" not in obj:
            raise WireFormatError("envelope has no 'event'", pointer="/event")
        try:
            models = models_for(version)
        except ValueError as exc:
            raise WireFormatError(str(exc), pointer="/schema_version", kind="version") from None
        return ParsedLine(_event(obj["event"], models, "/event"), version)
    raw = None if isinstance(line, Mapping) else _text(line)
    return ParsedLine(_event(obj, models_for(schema_version), raw=raw), None)


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
