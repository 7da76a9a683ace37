"""Fast wire encoding: the exact bytes of ``wire.dumps``, built with per-model code and orjson.

``wire.dumps`` asks pydantic to serialize the model (``exclude_none``, by alias), which costs
several microseconds per event. Emitters write events on hot paths, so this module compiles,
once per model class, a small function that turns an instance into the plain dict pydantic
would have written (declaration order, ``None`` fields left out, nested models and the
``ThreadItem`` root unwrapped) and hands it to orjson. Anything it is not sure about falls
back to pydantic, so the bytes are always those of ``wire.dumps``:

- a model with custom serializers, computed fields or aliases is never compiled;
- values orjson would write differently from pydantic (datetimes, dataclasses, subclasses of
  builtins, numbers beyond 64 bits, sets, bytes...) make orjson give up, and the event is
  re-encoded by pydantic.

A property test over every event kind checks the two paths agree byte for byte.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from enum import Enum
from types import NoneType, UnionType
from typing import Any

import orjson
from pydantic import BaseModel, RootModel

__all__ = ["encode", "encode_line", "schema_version_of", "to_wire_dict"]

_Encoder = Callable[[Any], Any]
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


class _Unsupported(TypeError):
    """A value the fast path does not encode exactly as pydantic would."""


def _refuse(value: Any) -> Any:
    raise _Unsupported(type(value).__name__)


def _strip(annotation: Any) -> Any:
    """The annotation without ``Annotated[...]`` wrappers."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _members(annotation: Any) -> tuple[Any, ...]:
    annotation = _strip(annotation)
    if typing.get_origin(annotation) in (typing.Union, UnionType):
        return tuple(_strip(a) for a in typing.get_args(annotation))
    return (annotation,)


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _may_be_none(annotation: Any) -> bool:
    members = _members(annotation)
    return any(m is NoneType or m is Any or m is object for m in members)


def _kind(annotation: Any) -> str:
    """How a field's value becomes plain data: as is, an enum's value, a model, a model list."""
    members = [m for m in _members(annotation) if m is not NoneType]
    if any(_is_model(m) for m in members):
        return "model"
    if members and all(isinstance(m, type) and issubclass(m, Enum) for m in members):
        return "enum"
    for member in members:
        if typing.get_origin(member) in (list, tuple, typing.Sequence):
            (inner,) = typing.get_args(member)[:1] or (Any,)
            if any(_is_model(m) for m in _members(inner)):
                return "models"
    return "plain"


def _compilable(cls: type[BaseModel]) -> bool:
    decorators = cls.__pydantic_decorators__
    return not (
        decorators.field_serializers
        or decorators.model_serializers
        or cls.model_computed_fields
        or cls.model_config.get("extra") == "allow"
        or any(f.serialization_alias not in (None, name) for name, f in cls.model_fields.items())
        or any(f.alias not in (None, name) for name, f in cls.model_fields.items())
        or any(f.exclude for f in cls.model_fields.values())
    )


def _build(cls: type[Any]) -> _Encoder:
    """Compile (once per class) the ``instance -> plain data`` function of a model class."""
    encoder: _Encoder
    if not issubclass(cls, BaseModel):
        encoder = _same
    elif not _compilable(cls):
        encoder = _refuse
    elif issubclass(cls, RootModel):
        kind = _kind(cls.model_fields["root"].annotation)
        encoder = {"plain": _root_plain, "model": _root_model}.get(kind, _refuse)
    else:
        # One dict display in declaration order, then the ``None`` entries deleted: the
        # fastest shape CPython offers, and deleting keeps the order of the others.
        items, drops = [], []
        for name, field in cls.model_fields.items():
            kind = _kind(field.annotation)
            get = f"d[{name!r}]"
            if kind == "plain":
                value = get
            else:
                value = {
                    "enum": "x._value_",
                    "model": "_sub(x)",
                    "models": "[_sub(y) for y in x]",
                }[kind]
                value = f"({value} if (x := {get}) is not None else None)"
            items.append(f"{name!r}: {value}")
            if _may_be_none(field.annotation) or kind != "plain":
                drops.append(f"    if out[{name!r}] is None: del out[{name!r}]")
        lines = ["def encode(m):", "    d = m.__dict__", "    out = {" + ", ".join(items) + "}"]
        lines += [*drops, "    return out"]
        namespace: dict[str, Any] = {"_sub": to_wire_dict}
        exec("\n".join(lines), namespace)  # the source holds field names only
        encoder = namespace["encode"]
    _ENCODERS[cls] = encoder
    return encoder


_ENCODERS: dict[type[Any], _Encoder] = {}


def _same(value: Any) -> Any:
    return value


def _root_plain(model: Any) -> Any:
    return model.root


def _root_model(model: Any) -> Any:
    return to_wire_dict(model.__dict__["root"])


def to_wire_dict(value: Any) -> Any:
    """The plain data pydantic writes for a model (``exclude_none``, nested models unwrapped).

    Raises ``TypeError`` for a model the fast path does not handle; values that are not
    models are returned as they are.
    """
    cls = value.__class__
    encoder = _ENCODERS.get(cls)
    if encoder is None:
        encoder = _build(cls)
    return encoder(value)


def _slow(event: BaseModel) -> bytes:
    serializer = event.__pydantic_serializer__
    return serializer.to_json(event, exclude_none=True, by_alias=True)


def encode(event: BaseModel, *, schema_version: str | None = None) -> bytes:
    """``wire.dumps(event, schema_version=...)`` as UTF-8 bytes, without the newline."""
    while isinstance(event, RootModel):
        event = event.root
    try:
        payload = orjson.dumps(to_wire_dict(event), default=_refuse, option=_OPTIONS)
    except (TypeError, KeyError, AttributeError):
        payload = _slow(event)
    if schema_version is None:
        return payload
    return b'{"schema_version":' + orjson.dumps(schema_version) + b',"event":' + payload + b"}"


def encode_line(event: BaseModel, *, schema_version: str | None = None) -> bytes:
    """One JSONL line: ``encode(...)`` followed by ``\\n``."""
    if schema_version is None:
        while isinstance(event, RootModel):
            event = event.root
        try:
            return orjson.dumps(
                to_wire_dict(event),
                default=_refuse,
                option=_OPTIONS | orjson.OPT_APPEND_NEWLINE,
            )
        except (TypeError, KeyError, AttributeError):
            return _slow(event) + b"\n"
    return encode(event, schema_version=schema_version) + b"\n"


_VERSIONS: dict[type[Any], str] = {}


def schema_version_of(event: BaseModel) -> str:
    """The schema version whose generated module defines the event's class.

    Events built from ``vtcode_exec_events.models.v0_4_0`` are 0.4.0 events; anything else
    (the top-level re-exports included) is ``EVENT_SCHEMA_VERSION``.
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
