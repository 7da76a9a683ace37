"""Fast wire encoding: pydantic's exact bytes for an event, from per-model hooks and orjson.

This is the writer behind ``vtcode_exec_events.dumps`` and the emitters. The reference is
pydantic's serializer (``exclude_none``, by alias), which costs several microseconds per
event; here orjson walks the model itself instead: its ``default`` hook hands it each model's
own ``__dict__`` (fields in declaration order), copied only when an optional field is
``None`` and must be left out, and unwraps root models in the same call. Anything it is not
sure about falls back to pydantic, so the bytes are always pydantic's:

- a model with custom serializers, computed fields, aliases, extra fields or a field missing
  from its ``__dict__`` (``model_construct`` without a required field) is left to pydantic;
- values orjson would write differently (datetimes, dataclasses, numbers beyond 64 bits,
  sets, bytes, arbitrary objects) make orjson give up, and pydantic writes the event.

A plain dict (a wire-shaped event, e.g. one typed with ``vtcode_exec_events.dicts``) is
written as it is, keys in its own order, ``None`` as ``null``; models nested in it are
encoded as above. Tests compare the two paths byte for byte on generated events of several
versions.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from types import NoneType, UnionType
from typing import Any, TypeAlias

import orjson
import pydantic_core
from pydantic import BaseModel, RootModel

__all__ = [
    "LINE_OPTIONS",
    "Encodable",
    "encode",
    "encode_line",
    "hook",
    "not_an_event",
    "schema_version_of",
]

#: What the encoder takes: a model, or a wire-shaped mapping (models may be nested in it).
Encodable: TypeAlias = BaseModel | Mapping[str, Any]

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_LINE = _OPTIONS | orjson.OPT_APPEND_NEWLINE

#: ``orjson.dumps(event, default=hook, option=LINE_OPTIONS)`` is ``encode_line(event)`` for a
#: bare event, minus the fallback and the object check: for callers that inline the hot path.
LINE_OPTIONS = _LINE


class _Unsupported(TypeError):
    """A value the fast path does not encode exactly as pydantic would."""


def _strip(annotation: Any) -> Any:
    """The annotation without ``Annotated[...]`` wrappers."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _may_be_none(annotation: Any) -> bool:
    annotation = _strip(annotation)
    if typing.get_origin(annotation) in (typing.Union, UnionType):
        members = tuple(_strip(a) for a in typing.get_args(annotation))
    else:
        members = (annotation,)
    return any(m is NoneType or m is Any or m is object for m in members)


def _compilable(cls: type[BaseModel]) -> bool:
    decorators = cls.__pydantic_decorators__
    fields = cls.model_fields
    return not (
        decorators.field_serializers
        or decorators.model_serializers
        or cls.model_computed_fields
        or cls.model_config.get("extra") == "allow"
        or any(f.serialization_alias not in (None, name) for name, f in fields.items())
        or any(f.alias not in (None, name) for name, f in fields.items())
        or any(f.exclude for f in fields.values())
    )


class _Specs(dict[type[Any], Any]):
    """Per class, what ``_default`` needs: ``(field count, optional field names)`` for a
    model, ``_ROOT`` for a root model, ``_PLAIN`` for a class that is not a model and
    ``_REFUSE`` for a model left to pydantic. Built on first use.
    """

    def __missing__(self, cls: type[Any]) -> Any:
        spec: Any
        if not issubclass(cls, BaseModel):
            spec = _PLAIN
        elif not _compilable(cls):
            spec = _REFUSE
        elif issubclass(cls, RootModel):
            spec = _ROOT
        else:
            fields = cls.model_fields
            spec = (len(fields), tuple(n for n, f in fields.items() if _may_be_none(f.annotation)))
        self[cls] = spec
        return spec


_ROOT = "root"
_PLAIN = "plain"
_REFUSE = "refuse"
_SPECS = _Specs()


def _default(value: Any) -> Any:
    """orjson's ``default`` hook: a model's fields as a dict (root models unwrapped first).

    The dict is the model's own ``__dict__`` (pydantic keeps it in declaration order), copied
    only when an optional field is ``None`` and has to be left out. One Python call per
    model, the root wrappers (``ThreadItem``, ``ThreadEvent``) included: this runs for every
    nested model of every event, so it does as little as it can.
    """
    spec = _SPECS[value.__class__]
    while spec is _ROOT:
        value = value.__dict__["root"]
        spec = _SPECS[value.__class__]
        if spec is _PLAIN:  # a root holding a plain value: orjson writes it (or refuses it)
            return value
    if spec.__class__ is not tuple:  # not a model (orjson could not write it), or refused
        raise _Unsupported(value.__class__.__name__)
    fields = value.__dict__
    if len(fields) != spec[0]:
        raise _Unsupported(value.__class__.__name__)
    written = fields
    for name in spec[1]:
        if fields[name] is None:
            if written is fields:
                written = fields.copy()
            del written[name]
    return written


def _slow(event: Encodable) -> bytes:
    """pydantic's serializer: the reference the fast path must match."""
    if isinstance(event, BaseModel):
        model: BaseModel = event
        while isinstance(model, RootModel):
            model = model.root
        serializer = model.__pydantic_serializer__
        return serializer.to_json(model, exclude_none=True, by_alias=True)
    return pydantic_core.to_json(event, exclude_none=True, by_alias=True)


#: orjson's ``default`` hook for models (see ``_default``), for callers inlining the hot path.
hook = _default


def not_an_event(event: object) -> TypeError:
    """The error for something that does not encode to a JSON object."""
    return TypeError(f"an event is a model or a mapping, not {type(event).__name__}")


def encode(event: Encodable, *, schema_version: str | None = None) -> bytes:
    """``wire.dumps(event, schema_version=...)`` as UTF-8 bytes, without the newline.

    Raises ``TypeError`` for anything that does not encode to a JSON object (an event is a
    model or a mapping), and pydantic's ``PydanticSerializationError`` for values nothing
    can write.
    """
    try:
        payload = orjson.dumps(event, default=_default, option=_OPTIONS)
    except (TypeError, KeyError):
        payload = _slow(event)
    if payload[0] != 0x7B:  # "{"
        raise not_an_event(event)
    if schema_version is None:
        return payload
    return b'{"schema_version":' + orjson.dumps(schema_version) + b',"event":' + payload + b"}"


def encode_line(event: Encodable, *, schema_version: str | None = None) -> bytes:
    """One JSONL line: ``encode(...)`` followed by ``\\n``."""
    try:
        if schema_version is None:
            line = orjson.dumps(event, default=_default, option=_LINE)
            if line[0] != 0x7B:  # "{"
                raise not_an_event(event)
            return line
        if event.__class__ is not dict and not isinstance(event, (BaseModel, Mapping)):
            raise not_an_event(event)
        envelope = {"schema_version": schema_version, "event": event}
        return orjson.dumps(envelope, default=_default, option=_LINE)
    except (TypeError, KeyError):
        return encode(event, schema_version=schema_version) + b"\n"


_VERSIONS: dict[type[Any], str] = {}


def schema_version_of(event: Encodable) -> str:
    """The schema version whose generated module defines the event's class.

    Events built from ``vtcode_exec_events.models.v0_4_0`` are 0.4.0 events; anything else
    (the top-level re-exports and plain dicts included) is ``EVENT_SCHEMA_VERSION``.
    """
    cls = event.__class__
    version = _VERSIONS.get(cls)
    if version is None:
        module = cls.__module__
        prefix = "vtcode_exec_events.models.v"
        if module.startswith(prefix):
            version = module[len(prefix) :].replace("_", ".")
        else:
            from vtcode_exec_events import EVENT_SCHEMA_VERSION

            version = EVENT_SCHEMA_VERSION
        _VERSIONS[cls] = version
    return version
