"""Lines to rows of the events table: validate's verdict per line, and what the line says.

The verdict comes from :class:`vtcode_exec_events.validate.Checker` (``check_lines``, the
call ``validate`` makes), so the table and ``validate`` never disagree. The fields are
read from the line: lines without any issue (nearly all) in one vectorised pass of
Arrow's JSON reader; the others, one by one, where a value of the wrong JSON type is
null, never coerced. ``thread_id`` and ``turn_index`` need the lines before: an
:class:`EventTable` holds that state for one file, and only valid lines move it (what
VT Code's decoder would see).
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson

from vtcode_exec_events.arrow import build
from vtcode_exec_events.arrow.schema import SCHEMA
from vtcode_exec_events.validate import Checker, Issue

__all__ = ["INT64_MAX", "EventTable", "lines_to_batch"]

INT64_MAX = (1 << 63) - 1
_USAGE = ("input_tokens", "cached_input_tokens", "cache_creation_tokens", "output_tokens")
_ITEM = ("id", "type", "status", "tool_name", "command", "exit_code")
_S = pa.string()
_I = pa.int64()
_EVENT = [
    ("type", _S),
    ("thread_id", _S),
    ("tool_name", _S),
    ("total_cost_usd", pa.float64()),
    ("item", pa.struct([(k, _I if k == "exit_code" else _S) for k in _ITEM])),
    ("usage", pa.struct([(k, _I) for k in _USAGE])),
]
#: What Arrow's JSON reader extracts from a clean line (bare or enveloped).
_LINE = pa.schema([*_EVENT, ("schema_version", _S), ("event", pa.struct(_EVENT))])
_PARSE = pajson.ParseOptions(explicit_schema=_LINE, unexpected_field_behavior="ignore")
#: The line's own fields, flat (the columns from ``schema_version`` to ``total_cost_usd``
#: but ``thread_id``/``turn_index``, which come from the state).
_FIELDS = pa.schema(
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
_ISSUES = SCHEMA.field("issues").type
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


def _fast(data: bytes, count: int, default_version: str) -> pa.Table | None:
    """The fields of ``count`` clean lines (``data``: joined by newlines) in one pass of
    Arrow's JSON reader; None if it cannot."""
    try:
        read = pajson.read_json(
            io.BytesIO(data),
            read_options=pajson.ReadOptions(use_threads=False, block_size=len(data) + 1),
            parse_options=_PARSE,
        )
    except (pa.ArrowException, ValueError):
        return None
    if read.num_rows != count:
        return None
    top = {name: read.column(name).combine_chunks() for name in _LINE.names}
    enveloped = pc.is_null(top["type"])
    event = top["event"]

    def pick(name: str) -> pa.Array:
        return pc.if_else(enveloped, event.field(name), top[name])

    item = pick("item")
    usage = pick("usage")
    item_tool = item.field("tool_name")
    columns = [
        pc.if_else(enveloped, top["schema_version"], build.repeat(default_version, count, _S)),
        pick("type"),
        pick("thread_id"),
        *(item.field(k) for k in ("id", "type", "status")),
        pc.coalesce(item_tool, pick("tool_name")),
        item.field("command"),
        item.field("exit_code"),
        *(usage.field(k) for k in _USAGE),
        pick("total_cost_usd"),
    ]
    return pa.Table.from_arrays(columns, schema=_FIELDS)


def _slow(raw: bytes | None, default_version: str, problems: Sequence[Issue]) -> tuple[Any, ...]:
    """The fields of one line with issues, read with care (wrong JSON types are null)."""
    if raw is None:  # too long to read
        return (None,) * len(_FIELDS)
    try:
        obj = _loads(raw.removeprefix(b"\xef\xbb\xbf"))
    except _JSONDecodeError:
        return (None,) * len(_FIELDS)
    event = obj
    version: str | None = default_version
    if type(obj) is dict and "type" not in obj and ("event" in obj or "schema_version" in obj):
        event = obj.get("event")
        version = _str(obj.get("schema_version"))
        if any(i.kind == "version" for i in problems):
            version = None
    if type(event) is not dict:
        return (version,) + (None,) * (len(_FIELDS) - 1)
    item = event.get("item")
    if type(item) is not dict:
        item = {}
    usage = event.get("usage")
    if type(usage) is not dict:
        usage = {}
    return (
        version,
        _str(event.get("type")),
        _str(event.get("thread_id")),
        _str(item.get("id")),
        _str(item.get("type")),
        _str(item.get("status")),
        _str(item.get("tool_name")) or _str(event.get("tool_name")),
        _str(item.get("command")),
        _int(item.get("exit_code")),
        *(_int(usage.get(k)) for k in _USAGE),
        _float(event.get("total_cost_usd")),
    )


class EventTable:
    """Rows for the consecutive lines of one file, numbered from 1, state kept across calls."""

    def __init__(self, file: str, checker: Checker) -> None:
        self.file = file
        self.checker = checker
        self.next_line = 1
        self.thread_id: str | None = None
        self.turns = 0
        self.turn: int | None = None

    def batch(
        self,
        lines: Sequence[bytes],
        *,
        unterminated: bool = False,
        broken: bool = False,
        oversize: Sequence[tuple[int, int]] = (),
    ) -> pa.RecordBatch:
        """The rows of the next ``lines`` (a trailing newline on a line is ignored).

        ``unterminated``, ``broken`` and ``oversize`` say how the input ended and which
        lines were too long to read, as :meth:`Checker.check_lines` takes them; an
        over-long line's ``raw`` is null (its bytes were never held).
        """
        first = self.next_line
        found = self.checker.check_lines(
            lines, first, self.file, unterminated=unterminated, broken=broken, oversize=oversize
        )
        by_line: dict[int, list[Issue]] = defaultdict(list)
        for issue in found.issues:
            by_line[issue.line].append(issue)
        self.next_line += len(lines)
        column, data = _strip(lines)
        if oversize:
            skipped = {index for index, _ in oversize}
            mask = build.column([i in skipped for i in range(len(column))], pa.bool_())
            column = pc.if_else(mask, pa.nulls(len(column), pa.binary()), column)
        return self._rows(column, data, first, by_line)

    def failure(self, message: str) -> pa.RecordBatch:
        """A row saying the file could not be read to its end (``line`` null, kind ``io``)."""
        columns: dict[str, list[Any]] = {name: [None] for name in SCHEMA.names}
        columns.update(
            file=[self.file],
            valid=[False],
            severity=["error"],
            error_kind=["io"],
            error_pointer=[""],
            error_message=[message],
            thread_id=[self.thread_id],
            issues=[[{"severity": "error", "kind": "io", "pointer": "", "message": message}]],
        )
        arrays = [build.column(columns[f.name], f.type) for f in SCHEMA]
        return pa.RecordBatch.from_arrays(arrays, schema=SCHEMA)

    def _fields(
        self, column: pa.BinaryArray, data: bytes, first: int, by_line: dict[int, list[Issue]]
    ) -> pa.Table:
        version = self.checker.version
        if not by_line:
            fast = _fast(data, len(column), version)
            if fast is not None:
                return fast
        raws: list[bytes | None] = column.to_pylist()
        if not by_line:
            return _slow_table([_slow(r, version, ()) for r in raws])
        clean = [i for i in range(len(raws)) if first + i not in by_line]
        rest = [i for i in range(len(raws)) if first + i in by_line]
        fast = (
            _fast(b"\n".join([raws[i] or b"" for i in clean]), len(clean), version)
            if clean
            else None
        )
        if fast is None:
            rest = list(range(len(raws)))
            fast = _slow_table([])
            clean = []
        slow = _slow_table([_slow(raws[i], version, by_line.get(first + i, ())) for i in rest])
        order = [0] * len(raws)
        for position, index in enumerate(clean + rest):
            order[index] = position
        return pa.concat_tables([fast, slow]).take(build.column(order, _I))

    def _rows(
        self, raws: pa.BinaryArray, data: bytes, first: int, by_line: dict[int, list[Issue]]
    ) -> pa.RecordBatch:
        n = len(raws)
        fields = self._fields(raws, data, first, by_line)
        valid = [True] * n
        severity: list[str | None] = [None] * n
        kind: list[str | None] = [None] * n
        pointer: list[str | None] = [None] * n
        message: list[str | None] = [None] * n
        issues: list[list[dict[str, str]] | None] = [None] * n
        for number, problems in by_line.items():
            index = number - first
            errors = [i for i in problems if i.severity == "error"]
            head = errors[0] if errors else problems[0]
            valid[index] = not errors
            severity[index] = head.severity
            kind[index] = head.kind
            pointer[index] = head.pointer
            message[index] = head.message
            issues[index] = [
                {"severity": i.severity, "kind": i.kind, "pointer": i.pointer, "message": i.message}
                for i in problems
            ]
        threads, turns = self._state(
            valid, fields.column("type").to_pylist(), fields.column("own_thread").to_pylist()
        )
        arrays = [
            build.repeat(self.file, n, _S),
            build.column(range(first, first + n), _I),
            build.column(valid, pa.bool_()),
            build.column(severity, _S),
            build.column(kind, _S),
            build.column(pointer, _S),
            build.column(message, _S),
            fields.column("schema_version"),
            fields.column("type"),
            build.column(threads, _S),
            build.column(turns, _I),
            *(fields.column(name) for name in _FIELDS.names[3:]),
            build.column(issues, _ISSUES),
            raws,
        ]
        table = pa.Table.from_arrays(arrays, schema=SCHEMA).combine_chunks()
        batches = table.to_batches()
        if batches:
            return batches[0]
        empty = [build.column([], f.type) for f in SCHEMA]
        return pa.RecordBatch.from_arrays(empty, schema=SCHEMA)

    def _state(
        self, valid: list[bool], tags: list[str | None], own: list[str | None]
    ) -> tuple[list[str | None], list[int | None]]:
        """``thread_id`` and ``turn_index`` per line; valid lines move the state."""
        threads: list[str | None] = []
        turns: list[int | None] = []
        thread, turn, count = self.thread_id, self.turn, self.turns
        for ok, tag, mine in zip(valid, tags, own, strict=True):
            if ok and tag is not None and tag.startswith(("thread.", "turn.")):
                if tag == "thread.started":
                    thread, turn, count = mine, None, 0
                    threads.append(thread)
                    turns.append(None)
                    continue
                if tag == "turn.started":
                    turn, count = count, count + 1
                elif tag in ("turn.completed", "turn.failed"):
                    threads.append(thread)
                    turns.append(turn)
                    turn = None
                    continue
                elif tag == "thread.completed":
                    threads.append(mine or thread)
                    turns.append(turn)
                    turn = None
                    continue
            threads.append(thread)
            turns.append(turn)
        self.thread_id, self.turn, self.turns = thread, turn, count
        return threads, turns


def _strip(lines: Sequence[bytes]) -> tuple[pa.BinaryArray, bytes]:
    """The lines without their newline as one array, and joined by newlines."""
    if all(line.endswith(b"\n") for line in lines):
        return pc.binary_slice(build.column(lines, pa.binary()), 0, -1), b"".join(lines)
    raws = [line.removesuffix(b"\n") for line in lines]
    return build.column(raws, pa.binary()), b"\n".join(raws)


def _slow_table(rows: list[tuple[Any, ...]]) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(_FIELDS)
    return pa.Table.from_arrays(
        [build.column(c, f.type) for c, f in zip(columns, _FIELDS, strict=True)], schema=_FIELDS
    )


def lines_to_batch(
    lines: Iterable[bytes | str],
    *,
    file: str = "",
    schema_version: str | None = None,
    strict: bool = False,
) -> pa.RecordBatch:
    """The rows for ``lines``, the consecutive lines of one file from its first line."""
    raw = [
        line.encode("utf-8", "surrogateescape") if isinstance(line, str) else bytes(line)
        for line in lines
    ]
    table = EventTable(file, Checker(schema_version=schema_version, strict=strict))
    return table.batch(raw)
