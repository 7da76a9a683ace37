"""A line's own fields for the events table (tag, ids, command, tokens, cost), as Arrow arrays.

A clean line (the checker found no issue) is decoded by msgspec into narrow structs
that hold only these fields: msgspec skips the rest of the line without building it,
and whole columns are then taken with ``operator.attrgetter`` in C, with no Python step
per line. A line with issues, or a clean one msgspec does not take (an integer beyond 64
bits, nesting deeper than msgspec's recursion limit), is read with care by orjson: a value
of the wrong JSON type is null, never coerced. Both readings agree on every clean line (a
property test holds them to it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from operator import attrgetter
from typing import Annotated, Any, NamedTuple

import msgspec
import orjson
import pyarrow as pa
from msgspec.structs import astuple

from vtcode_exec_events.arrow import build
from vtcode_exec_events.validate import Issue

__all__ = ["FIELDS", "INT64_MAX", "Read", "careful", "read"]

INT64_MAX = (1 << 63) - 1
_S = pa.string()
_I = pa.int64()
_USAGE = ("input_tokens", "cached_input_tokens", "cache_creation_tokens", "output_tokens")
#: The line's own fields, flat: the table's columns from ``schema_version`` to
#: ``total_cost_usd`` but ``thread_id``/``turn_index`` (the state's); ``own_thread`` is
#: the line's ``thread_id``.
FIELDS = pa.schema(
    [
        ("schema_version", _S),
        ("type", _S),
        ("own_thread", _S),
        ("item_id", _S),
        ("item_type", _S),
        ("status", _S),
        ("tool_name", _S),
        ("command", _S),
        ("exit_code", _I),
        *((k, _I) for k in _USAGE),
        ("total_cost_usd", pa.float64()),
    ]
)

#: An int64 (a wider integer fails the decode: the line is read with care, where it is null).
Int = Annotated[int, msgspec.Meta(ge=-INT64_MAX - 1, le=INT64_MAX)]


class Item(msgspec.Struct, frozen=True, gc=False):
    """``item``: the fields the table keeps."""

    id: str | None = None
    type: str | None = None
    status: str | None = None
    tool_name: str | None = None
    command: str | None = None
    exit_code: Int | None = None


class Usage(msgspec.Struct, frozen=True, gc=False):
    """``usage``: the four token counts."""

    input_tokens: Int | None = None
    cached_input_tokens: Int | None = None
    cache_creation_tokens: Int | None = None
    output_tokens: Int | None = None


_NO_ITEM = Item()
_NO_USAGE = Usage()


class Event(msgspec.Struct, frozen=True, gc=False):
    """An event: the fields the table keeps (an absent ``item`` or ``usage`` is empty;
    one written ``null`` is None)."""

    type: str | None = None
    thread_id: str | None = None
    tool_name: str | None = None
    total_cost_usd: float | None = None
    item: Item | None = _NO_ITEM
    usage: Usage | None = _NO_USAGE


class Line(Event, frozen=True, gc=False):
    """A line: a bare event (``type`` set) or an envelope (``schema_version`` and ``event``)."""

    schema_version: str | None = None
    event: Event | None = None


_decode = msgspec.json.Decoder(Line).decode
#: What msgspec raises for a clean line it does not take: a value beyond a column's type,
#: or nesting deeper than its recursion limit (JSON allows 1,024 levels; orjson reads them).
_DecodeErrors = (msgspec.ValidationError, msgspec.DecodeError, RecursionError)
_NO_EVENT = Event()
_TYPE = attrgetter("type")
_THREAD = attrgetter("thread_id")
_TOOL = attrgetter("tool_name")
_COST = attrgetter("total_cost_usd")
_ITEM = attrgetter("item")
_USAGE_OF = attrgetter("usage")
_ITEM_TYPE = pa.struct([(f.name, f.type) for f in FIELDS][3:9])  # the order of Item
_USAGE_TYPE = pa.struct([(k, _I) for k in _USAGE])
_loads = orjson.loads
_JSONDecodeError = orjson.JSONDecodeError


def _str(value: Any) -> str | None:
    return value if type(value) is str else None


def _int(value: Any) -> int | None:
    if type(value) is int and -INT64_MAX - 1 <= value <= INT64_MAX:
        return value
    return None


def _float(value: Any) -> float | None:
    if type(value) is float or (type(value) is int and abs(value) < 1 << 1023):
        return float(value)
    return None


def careful(
    raw: bytes | None, default_version: str, problems: Sequence[Issue]
) -> tuple[str | None, Event | None]:
    """The version and fields of one line read with care (``raw`` None: never read); a
    value of the wrong JSON type is null. ``problems``: the line's issues, if any."""
    if raw is None:
        return None, None
    try:
        obj = _loads(raw.removeprefix(b"\xef\xbb\xbf"))
    except _JSONDecodeError:
        return None, None
    event = obj
    version: str | None = default_version
    if type(obj) is dict and "type" not in obj and ("event" in obj or "schema_version" in obj):
        event = obj.get("event")
        version = _str(obj.get("schema_version"))
        if any(i.kind == "version" for i in problems):
            version = None
    if type(event) is not dict:
        return version, None
    item = event.get("item")
    if type(item) is not dict:
        item = {}
    usage = event.get("usage")
    if type(usage) is not dict:
        usage = {}
    return version, Event(
        type=_str(event.get("type")),
        thread_id=_str(event.get("thread_id")),
        tool_name=_str(event.get("tool_name")),
        total_cost_usd=_float(event.get("total_cost_usd")),
        item=Item(
            id=_str(item.get("id")),
            type=_str(item.get("type")),
            status=_str(item.get("status")),
            tool_name=_str(item.get("tool_name")),
            command=_str(item.get("command")),
            exit_code=_int(item.get("exit_code")),
        ),
        usage=Usage(*(_int(usage.get(k)) for k in _USAGE)),
    )


def _clean(raw: bytes, default_version: str) -> tuple[str | None, Event | None]:
    """The version and fields of one clean line: msgspec's reading, else the careful one."""
    try:
        line = _decode(raw)
    except _DecodeErrors:
        return careful(raw, default_version, ())
    if line.type is not None:
        return default_version, line
    if line.event is None:  # not an event the checker passed: read it with care
        return careful(raw, default_version, ())
    return line.schema_version, line.event


class Read(NamedTuple):
    """The fields of a run of lines: as arrays, and the two the thread state needs."""

    #: In the order of :data:`FIELDS`.
    arrays: list[pa.Array]
    tags: list[str | None]
    threads: list[str | None]


def read(
    lines: Sequence[bytes],
    default_version: str,
    problems: Mapping[int, Sequence[Issue]],
    skipped: Set[int] = frozenset(),
) -> Read:
    """The :data:`FIELDS` of ``lines``. ``problems``: the issues of the lines that have
    any, by index (read with care); ``skipped``: indices of lines never read."""
    n = len(lines)
    versions: list[str | None] | None = None
    events: list[Any] | None = None
    if not problems and not skipped:
        try:
            events = list(map(_decode, lines))
        except _DecodeErrors:
            events = None
        else:
            tags = list(map(_TYPE, events))
            if None in tags:  # envelopes: their event, their version
                versions = [
                    default_version if tag is not None else line.schema_version
                    for tag, line in zip(tags, events, strict=True)
                ]
                events = [
                    line if tag is not None else line.event
                    for tag, line in zip(tags, events, strict=True)
                ]
                if None in events:
                    events = None
    if events is None:
        rows = [
            careful(None, default_version, ())
            if index in skipped
            else careful(raw, default_version, problems[index])
            if index in problems
            else _clean(raw, default_version)
            for index, raw in enumerate(lines)
        ]
        versions = [version for version, _ in rows]
        events = [_NO_EVENT if event is None else event for _, event in rows]
    return _columns(n, default_version, versions, events)


def _rows(objects: list[Any], empty: Any) -> list[tuple[Any, ...]]:
    """The field values of each struct (``None``: ``empty``'s)."""
    try:
        return list(map(astuple, objects))
    except TypeError:  # a None among them (``"usage": null``)
        return [astuple(empty if o is None else o) for o in objects]


def _columns(
    n: int, default_version: str, versions: list[str | None] | None, events: list[Any]
) -> Read:
    tags = list(map(_TYPE, events))
    threads = list(map(_THREAD, events))
    items = list(map(_ITEM, events))
    item = build.children(_rows(items, _NO_ITEM), _ITEM_TYPE)
    usage = build.children(_rows(list(map(_USAGE_OF, events)), _NO_USAGE), _USAGE_TYPE)
    tool = item[3]  # the item's tool, else the event's (permissions)
    own = list(map(_TOOL, events))
    if own.count(None) != n:
        if tool.null_count != n:
            mine = [None if i is None else i.tool_name for i in items]
            own = [o if t is None else t for t, o in zip(mine, own, strict=True)]
        tool = build.column(own, _S)
    arrays = [
        build.repeat(default_version, n, _S) if versions is None else build.column(versions, _S),
        build.column(tags, _S),
        build.column(threads, _S),
        *item[:3],
        tool,
        *item[4:],
        *usage,
        build.column(list(map(_COST, events)), pa.float64()),
    ]
    return Read(arrays, tags, threads)
