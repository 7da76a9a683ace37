"""Lines to rows of the events table: validate's verdict per line, and what the line says.

The verdict comes from :class:`vtcode_exec_events.validate.Checker` (``check_lines``, the
call ``validate`` makes), so the table and ``validate`` never disagree. The fields are
read from the line: lines without any issue (nearly all) in one vectorised pass of
Arrow's JSON reader, in a second thread while the checker runs; the others, one by one,
where a value of the wrong JSON type is null, never coerced. ``thread_id`` and
``turn_index`` need the lines before: an :class:`EventTable` holds that state for one file
(:mod:`.state`), and only valid lines move it (what VT Code's decoder would see).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson

from vtcode_exec_events.arrow import build
from vtcode_exec_events.arrow.schema import SCHEMA
from vtcode_exec_events.arrow.state import ThreadState
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
#: Lines are read end to end, without newlines between them (the bytes of the ``raw``
#: column, not a copy): ``newlines_in_values`` makes the reader find each value's end.
_PARSE = pajson.ParseOptions(
    explicit_schema=_LINE, unexpected_field_behavior="ignore", newlines_in_values=True
)
#: The same for bare lines only: the envelope's columns cost a third of the reader's time.
_PARSE_BARE = pajson.ParseOptions(
    explicit_schema=pa.schema(_EVENT), unexpected_field_behavior="ignore", newlines_in_values=True
)
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


@cache
def _reader() -> ThreadPoolExecutor:
    """The thread in which a block's JSON is read while the checker runs (one per process)."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="events-json")


def _fast(data: bytes, count: int, default_version: str) -> list[pa.Array] | None:
    """The fields of ``count`` clean lines (``data``: their bytes end to end; each is one
    JSON object) in one pass of Arrow's JSON reader, as arrays in the order of
    :data:`_FIELDS`; None if it cannot.

    A clean envelope names its ``schema_version``: without those bytes, every line is bare.
    """
    envelopes = b'"schema_version"' in data
    try:
        read = pajson.read_json(
            pa.BufferReader(data),
            read_options=pajson.ReadOptions(use_threads=False, block_size=len(data) + 1),
            parse_options=_PARSE if envelopes else _PARSE_BARE,
        )
    except (pa.ArrowException, ValueError):
        return None
    if read.num_rows != count:
        return None
    top = {name: read.column(name).combine_chunks() for name in read.schema.names}
    bare = count - top["type"].null_count  # a clean line has a tag unless it is an envelope
    if not envelopes and bare != count:
        return None
    event: Any = top.get("event")  # the envelope's event; absent when no line is one
    if bare == count:
        version = build.repeat(default_version, count, _S)

        def pick(name: str) -> pa.Array:
            return top[name]
    elif bare == 0:
        version = top["schema_version"]

        def pick(name: str) -> pa.Array:
            return event.field(name)
    else:
        enveloped = pc.is_null(top["type"])
        version = pc.if_else(
            enveloped, top["schema_version"], build.repeat(default_version, count, _S)
        )

        def pick(name: str) -> pa.Array:
            return pc.if_else(enveloped, event.field(name), top[name])

    item = pick("item")
    usage = pick("usage")
    item_tool = item.field("tool_name")
    tool = pick("tool_name")
    return [
        version,
        pick("type"),
        pick("thread_id"),
        *(item.field(k) for k in ("id", "type", "status")),
        item_tool if tool.null_count == count else pc.coalesce(item_tool, tool),
        item.field("command"),
        item.field("exit_code"),
        *(usage.field(k) for k in _USAGE),
        pick("total_cost_usd"),
    ]


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
        self.state = ThreadState()
        #: The blocks so far had no issue (the next is read ahead, see :meth:`batch`).
        self.clean = True

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
        own = lines
        raws, data = build.binary(own)
        if b"\n" in data:  # a caller's lines may end in their newline: not part of the line
            own = [line.removesuffix(b"\n") for line in own]
            raws, data = build.binary(own)
        # While the checker runs, Arrow's JSON reader (which releases the GIL) reads the
        # block in a second thread, betting that it is clean as the file's blocks were.
        ahead = None
        if self.clean and own and not oversize:
            ahead = _reader().submit(_fast, data, len(own), self.checker.version)
        found = self.checker.check_lines(
            lines, first, self.file, unterminated=unterminated, broken=broken, oversize=oversize
        )
        by_line: dict[int, list[Issue]] = defaultdict(list)
        for issue in found.issues:
            by_line[issue.line].append(issue)
        self.next_line += len(lines)
        self.clean = not by_line
        skipped = {index for index, _ in oversize}
        if skipped:
            mask = build.column([i in skipped for i in range(len(own))], pa.bool_())
            raws = pc.if_else(mask, pa.nulls(len(own), pa.binary()), raws)
        return self._rows(own, raws, data, first, by_line, skipped, ahead)

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
            thread_id=[self.state.thread_id],
            issues=[[{"severity": "error", "kind": "io", "pointer": "", "message": message}]],
        )
        arrays = [build.column(columns[f.name], f.type) for f in SCHEMA]
        return pa.RecordBatch.from_arrays(arrays, schema=SCHEMA)

    def _fields(
        self,
        lines: Sequence[bytes],
        data: bytes,
        first: int,
        by_line: dict[int, list[Issue]],
        oversize: set[int],
        ahead: Future[list[pa.Array] | None] | None,
    ) -> list[pa.Array]:
        """The line's own fields (:data:`_FIELDS`): clean lines through Arrow's JSON
        reader (``ahead``: the block read while it was checked), the others one by one."""
        version = self.checker.version
        if not by_line:
            fast = ahead.result() if ahead is not None else _fast(data, len(lines), version)
            if fast is not None:
                return fast
        clean = [i for i in range(len(lines)) if first + i not in by_line]
        rest = [i for i in range(len(lines)) if first + i in by_line]
        fast = _fast(b"".join([lines[i] for i in clean]), len(clean), version) if clean else None
        if fast is None:
            clean, rest = [], list(range(len(lines)))
            fast = _slow_arrays([])
        slow = _slow_arrays(
            [
                _slow(None if i in oversize else lines[i], version, by_line.get(first + i, ()))
                for i in rest
            ]
        )
        if not clean:
            return slow
        order = [0] * len(lines)
        for position, index in enumerate(clean + rest):
            order[index] = position
        indices = build.column(order, _I)
        return [pa.concat_arrays([a, b]).take(indices) for a, b in zip(fast, slow, strict=True)]

    def _rows(
        self,
        lines: Sequence[bytes],
        raws: pa.Array,
        data: bytes,
        first: int,
        by_line: dict[int, list[Issue]],
        oversize: set[int],
        ahead: Future[list[pa.Array] | None] | None,
    ) -> pa.RecordBatch:
        n = len(lines)
        if not n:
            return pa.RecordBatch.from_arrays(
                [build.column([], f.type) for f in SCHEMA], schema=SCHEMA
            )
        fields = self._fields(lines, data, first, by_line, oversize, ahead)
        if by_line:
            verdicts = _verdicts(n, first, by_line)
            valid = verdicts[0]
        else:
            valid = build.repeat(True, n, pa.bool_())
            verdicts = [valid, *(pa.nulls(n, f.type) for f in _VERDICT)]
        threads, turns = self.state.walk(valid, fields[1], fields[2])
        arrays = [
            build.repeat(self.file, n, _S),
            build.column(range(first, first + n), _I),
            *verdicts[:5],
            fields[0],
            fields[1],
            threads,
            turns,
            *fields[3:],
            verdicts[5],
            raws,
        ]
        return pa.RecordBatch.from_arrays(arrays, schema=SCHEMA)


_VERDICT = [
    SCHEMA.field(name)
    for name in ("severity", "error_kind", "error_pointer", "error_message", "issues")
]


def _verdicts(n: int, first: int, by_line: dict[int, list[Issue]]) -> list[pa.Array]:
    """``valid``, ``severity``, ``error_kind``, ``error_pointer``, ``error_message`` and
    ``issues`` of ``n`` lines from ``first``, given the issues by line number."""
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
    return [
        build.column(valid, pa.bool_()),
        *(build.column(c, _S) for c in (severity, kind, pointer, message)),
        build.column(issues, _ISSUES),
    ]


def _slow_arrays(rows: list[tuple[Any, ...]]) -> list[pa.Array]:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(_FIELDS)
    return [build.column(c, f.type) for c, f in zip(columns, _FIELDS, strict=True)]


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
