"""The events table agrees with validate line for line; thread and turn state is exact."""

from __future__ import annotations

import gzip
import itertools
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.arrow.conftest import CORPUS, LOGS
from vtcode_exec_events.arrow import (
    SCHEMA,
    EventTable,
    Source,
    file_batches,
    lines_to_batch,
    map_batches,
    map_batches_with,
    read_files_with,
)
from vtcode_exec_events.validate import Checker, Issue, validate_lines, validate_paths


def _table(path: Path, strict: bool = False) -> pa.Table:
    checker = Checker(strict=strict)
    return pa.Table.from_batches(list(file_batches(Source(str(path), str(path)), checker)), SCHEMA)


def _validate(path: Path, strict: bool = False) -> tuple[Any, list[Issue]]:
    issues: list[Issue] = []
    summary = validate_paths([str(path)], strict=strict, on_issue=issues.append)
    return summary.files[0], issues


def _table_issues(table: pa.Table) -> list[tuple[Any, ...]]:
    out = []
    for row in table.select(["file", "line", "issues"]).to_pylist():
        if row["line"] is None:
            continue
        for i in row["issues"] or []:
            out.append(
                (row["file"], row["line"], i["pointer"], i["message"], i["kind"], i["severity"])
            )
    return out


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_table_agrees_with_validate(path: Path, strict: bool) -> None:
    table = _table(path, strict)
    result, issues = _validate(path, strict)
    lines = table.filter(pc.is_valid(table.column("line")))
    assert lines.column("line").to_pylist() == list(range(1, result.lines + 1))
    assert lines.num_rows == result.lines
    assert sum(lines.column("valid").to_pylist()) == result.valid
    assert _table_issues(table) == [
        (i.file, i.line, i.pointer, i.message, i.kind, i.severity) for i in issues
    ]
    invalid_lines = {i.line for i in issues if i.severity == "error"}
    assert [not v for v in lines.column("valid").to_pylist()] == [
        n in invalid_lines for n in range(1, result.lines + 1)
    ]
    data = path.read_bytes()
    raws = data.split(b"\n")[:-1] if data.endswith(b"\n") else data.split(b"\n")
    assert lines.column("raw").to_pylist() == (raws if data else [])


def test_exec_log_rows() -> None:
    table = _table(LOGS / "exec.jsonl")
    rows = table.select(["line", "type", "thread_id", "turn_index", "exit_code", "input_tokens"])
    got = {r["line"]: r for r in rows.to_pylist()}
    assert got[1] == {
        "line": 1,
        "type": "thread.started",
        "thread_id": "thread-9c21",
        "turn_index": None,
        "exit_code": None,
        "input_tokens": None,
    }
    assert got[8]["exit_code"] == 1
    assert got[8]["turn_index"] == 0
    assert got[11]["input_tokens"] == 3200
    assert got[11]["turn_index"] == 0
    assert got[12]["turn_index"] is None  # between turns
    assert got[15]["turn_index"] == 1
    assert got[15]["input_tokens"] == 800
    assert table.column("thread_id").to_pylist() == ["thread-9c21"] * 15


def test_envelope_and_bare_fields_agree() -> None:
    bare = (
        b'{"type":"item.completed","item":{"id":"i","type":"command_execution",'
        b'"command":"ls","aggregated_output":"","exit_code":2,"status":"failed"}}'
    )
    wrapped = b'{"schema_version":"0.11.0","event":' + bare + b"}"
    batch = lines_to_batch([bare, wrapped])
    rows = batch.drop_columns(["raw", "line"]).to_pylist()
    assert rows[0] == rows[1]
    assert rows[0]["command"] == "ls"
    assert rows[0]["exit_code"] == 2
    assert rows[0]["status"] == "failed"


def test_wrong_types_on_invalid_lines_are_null() -> None:
    batch = lines_to_batch(
        [
            b'{"type":"item.completed","item":{"id":7,"type":"command_execution","command":["x"],"exit_code":"1"}}',
            b'{"type":"turn.completed","usage":{"input_tokens":-1,"cached_input_tokens":99999999999999999999}}',
        ]
    )
    rows = batch.to_pylist()
    assert [r["valid"] for r in rows] == [False, False]
    assert rows[0]["item_id"] is None
    assert rows[0]["command"] is None
    assert rows[0]["exit_code"] is None
    assert rows[1]["input_tokens"] == -1
    assert rows[1]["cached_input_tokens"] is None


_EVENTS = [
    *(LOGS / "exec.jsonl").read_bytes().splitlines(),
    *(LOGS / "session.jsonl").read_bytes().splitlines(),
]
_LINE = st.one_of(
    st.sampled_from(_EVENTS),
    st.binary(max_size=40),
    st.sampled_from(_EVENTS).map(lambda b: b[: len(b) // 2]),
    st.sampled_from([b"", b"{}", b'{"type":"turn.started","x":1}', b"\xef\xbb\xbf{}", b"[1]"]),
).filter(lambda b: b"\n" not in b)


@settings(max_examples=60, deadline=None)
@given(st.lists(_LINE, max_size=30), st.integers(min_value=0, max_value=30))
def test_any_lines_agree_and_split_anywhere(lines: list[bytes], cut: int) -> None:
    whole = lines_to_batch(lines)
    verdicts = list(validate_lines(lines))
    assert whole.column("valid").to_pylist() == [v.valid for v in verdicts]
    assert whole.column("schema_version").to_pylist() == [v.schema_version for v in verdicts]
    table = EventTable("", Checker())
    cut = min(cut, len(lines))
    parts = [table.batch(lines[:cut]), table.batch(lines[cut:])]
    assert pa.Table.from_batches(parts, SCHEMA).equals(pa.Table.from_batches([whole], SCHEMA))


def _files(tmp_path: Path) -> tuple[pa.Table, dict[str, Path]]:
    plain = (LOGS / "exec.jsonl").read_bytes()
    files = {
        "a.jsonl": plain,
        "b.jsonl.gz": gzip.compress((LOGS / "session.jsonl").read_bytes()),
        "c.jsonl.gz": gzip.compress(plain)[:-30],  # truncated member
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / name
        paths[name].write_bytes(data)
    table = pa.table({"path": list(files), "bytes": list(files.values())})
    return table, paths


def test_map_batches_equals_reading_the_files(tmp_path: Path) -> None:
    table, paths = _files(tmp_path)
    got = pa.concat_tables(list(map_batches(table)))  # Ray's shape: a table in, tables out
    want = pa.concat_tables(
        [
            pa.Table.from_batches(list(file_batches(Source(n, str(p)), Checker())), SCHEMA)
            for n, p in paths.items()
        ]
    )
    assert got.equals(want)
    # Rows that only name the files, each read where the function runs: the same rows.
    named = pa.table({"path": [str(p) for p in paths.values()], "name": list(paths)})
    assert pa.concat_tables(list(read_files_with()(named))).equals(want)
    last = got.slice(got.num_rows - 1).to_pylist()[0]
    assert last["line"] is None
    assert last["error_kind"] == "io"
    assert "gzip" in last["error_message"]


def test_map_batches_spark_shape_and_options(tmp_path: Path) -> None:
    table, _ = _files(tmp_path)
    spark_like = table.rename_columns(["path", "content"]).to_batches(max_chunksize=1)
    out = list(map_batches_with(columns=["file", "line", "valid"])(iter(spark_like)))
    assert all(isinstance(b, pa.RecordBatch) for b in out)
    assert out[0].schema.names == ["file", "line", "valid"]
    with pytest.raises(ValueError, match="whole files"):
        list(map_batches(pa.table({"text": ["{}"]})))


def _reference_state(rows: list[dict[str, Any]]) -> list[tuple[Any, Any]]:
    """thread_id and turn_index per line, one line at a time (as docs/analytics.md says)."""
    out = []
    thread, turn, count = None, None, 0
    for row in rows:
        tag = row["type"] if row["valid"] else None
        mine = orjson.loads(row["raw"]).get("thread_id") if tag else None
        if tag == "thread.started":
            thread, turn, count = mine, None, 0
            out.append((thread, None))
        elif tag == "turn.started":
            turn, count = count, count + 1
            out.append((thread, turn))
        elif tag in ("turn.completed", "turn.failed"):
            out.append((thread, turn))
            turn = None
        elif tag == "thread.completed":
            out.append((mine or thread, turn))
            turn = None
        else:
            out.append((thread, turn))
    return out


_STATE_LINES = [
    b'{"type":"thread.started","thread_id":"t1"}',
    b'{"type":"thread.started","thread_id":"t2"}',
    b'{"type":"thread.started"}',  # invalid: moves nothing
    b'{"type":"turn.started"}',
    b'{"type":"turn.completed","usage":{"input_tokens":1,"cached_input_tokens":0,'
    b'"cache_creation_tokens":0,"output_tokens":2}}',
    b'{"type":"turn.failed","error":{"message":"x"}}',
    b'{"type":"thread.completed","thread_id":"t9","session_id":"s","subtype":"success",'
    b'"outcome_code":"completed","stop_reason":"end_turn","usage":{"input_tokens":1,'
    b'"cached_input_tokens":0,"cache_creation_tokens":0,"output_tokens":2},'
    b'"total_cost_usd":0.5,"num_turns":1}',
    b'{"type":"turn.started"',  # not JSON
    b'{"type":"thread.something.new"}',
    *_EVENTS[:4],
]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.sampled_from(_STATE_LINES), max_size=40),
    st.lists(st.integers(min_value=0, max_value=40), max_size=3),
    st.booleans(),
)
def test_thread_and_turn_state_is_the_line_by_line_walk(
    lines: list[bytes], cuts: list[int], wrapped: bool
) -> None:
    if wrapped:  # envelopes: the fields come from the event
        lines = [b'{"schema_version":"0.11.0","event":' + line + b"}" for line in lines]
    table = EventTable("", Checker())
    edges = sorted({0, len(lines), *(min(c, len(lines)) for c in cuts)})
    parts = [table.batch(lines[a:b]) for a, b in itertools.pairwise(edges)]
    rows = pa.Table.from_batches(parts, SCHEMA).to_pylist()
    for row in rows:  # the reference reads the event inside an envelope
        if wrapped and row["raw"] is not None and row["raw"].startswith(b'{"schema'):
            row["raw"] = row["raw"][len(b'{"schema_version":"0.11.0","event":') : -1]
    got = [(r["thread_id"], r["turn_index"]) for r in rows]
    assert got == _reference_state(rows)


def test_blocks_of_envelopes_only_or_mixed_read_the_same_fields() -> None:
    bare = (LOGS / "exec.jsonl").read_bytes().splitlines()
    wrapped = [b'{"schema_version":"0.11.0","event":' + line + b"}" for line in bare]
    mixed = [w if n % 3 else b for n, (b, w) in enumerate(zip(bare, wrapped, strict=True))]
    pointers = ["raw", "error_pointer", "issues"]  # "/event/…" in an envelope
    tables = [lines_to_batch(lines).drop_columns(pointers) for lines in (bare, wrapped, mixed)]
    assert tables[0].equals(tables[1])
    assert tables[0].equals(tables[2])
    assert tables[0].column("type").null_count == 0
