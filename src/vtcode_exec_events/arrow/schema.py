"""The events table's Arrow schema: one row per line read, the verdict of ``validate`` included."""

from __future__ import annotations

import pyarrow as pa

__all__ = ["ISSUE", "SCHEMA", "SPARK_DDL"]

#: One problem on a line, as ``validate`` reports it.
ISSUE = pa.struct(
    [
        pa.field("severity", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("pointer", pa.string(), nullable=False),
        pa.field("message", pa.string(), nullable=False),
    ]
)

_FIELDS: list[tuple[str, pa.DataType, str]] = [
    ("file", pa.string(), "The input, named as validate names it (<stdin> for -)."),
    (
        "line",
        pa.int64(),
        "Line number from 1 within the file; null on a row that reports "
        "a file that could not be read to its end (error_kind io).",
    ),
    ("valid", pa.bool_(), "validate's verdict on the line."),
    (
        "severity",
        pa.string(),
        "error if the line is invalid, warning if it is valid with warnings, null if clean.",
    ),
    (
        "error_kind",
        pa.string(),
        "The first issue's kind: json, schema, version, encoding (io on a file-error row).",
    ),
    ("error_pointer", pa.string(), "The first issue's RFC 6901 pointer into the line."),
    ("error_message", pa.string(), "The first issue's message."),
    (
        "schema_version",
        pa.string(),
        "The version the line was checked against (the "
        "envelope's, or the default for bare lines); null when unparsed.",
    ),
    ("type", pa.string(), "The event tag."),
    (
        "thread_id",
        pa.string(),
        "The thread the line belongs to: the thread_id of the last "
        "valid thread.started before it in the same file (its own on thread.* events).",
    ),
    (
        "turn_index",
        pa.int64(),
        "The turn the line belongs to within its thread, from 0: "
        "set from a valid turn.started up to its turn.completed/turn.failed; null outside turns.",
    ),
    ("item_id", pa.string(), "item.id of item.* events."),
    ("item_type", pa.string(), "item.type (the item kind)."),
    ("status", pa.string(), "item.status."),
    ("tool_name", pa.string(), "item.tool_name, else the event's tool_name (permissions)."),
    ("command", pa.string(), "item.command (command_execution, harness)."),
    ("exit_code", pa.int64(), "item.exit_code."),
    (
        "input_tokens",
        pa.int64(),
        "usage.input_tokens of turn.completed, turn.failed and "
        "thread.completed (the last is the thread's total: filter on type when summing).",
    ),
    ("cached_input_tokens", pa.int64(), "usage.cached_input_tokens (cache read)."),
    ("cache_creation_tokens", pa.int64(), "usage.cache_creation_tokens (cache write)."),
    ("output_tokens", pa.int64(), "usage.output_tokens."),
    ("total_cost_usd", pa.float64(), "thread.completed's total_cost_usd."),
    (
        "issues",
        pa.list_(ISSUE),
        "Every issue on the line (errors and warnings, in validate's order); null when clean.",
    ),
    (
        "raw",
        pa.binary(),
        "The line's exact bytes, without its newline (null: longer than the maximum line size).",
    ),
]

#: The events table: fixed column names, types and order (documented in docs/analytics.md).
SCHEMA = pa.schema(
    [
        pa.field(name, kind, nullable=name not in ("file", "valid"), metadata={"doc": doc})
        for name, kind, doc in _FIELDS
    ],
    metadata={"vtcode_exec_events.table": "events/1"},
)

_SPARK = {
    pa.string(): "string",
    pa.int64(): "bigint",
    pa.float64(): "double",
    pa.bool_(): "boolean",
    pa.binary(): "binary",
}


def _spark_type(kind: pa.DataType) -> str:
    if pa.types.is_list(kind):
        item = kind.value_type
        members = ", ".join(f"{f.name}: {_spark_type(f.type)}" for f in item)
        return f"array<struct<{members}>>"
    return _SPARK[kind]


#: The schema as a Spark DDL string, for ``DataFrame.mapInArrow(map_batches, SPARK_DDL)``.
SPARK_DDL = ", ".join(f"`{f.name}` {_spark_type(f.type)}" for f in SCHEMA)
