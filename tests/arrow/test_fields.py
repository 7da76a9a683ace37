"""A line's fields: msgspec's reading of clean lines equals the careful (orjson) reading."""

from __future__ import annotations

import functools
import json
import sys
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from tests.arrow.conftest import LOGS, ROOT
from vtcode_exec_events import registry
from vtcode_exec_events.validate import Checker

pytest.importorskip("pyarrow")

from vtcode_exec_events.arrow import fields

CHECKER = Checker()
VERSION = CHECKER.version


@functools.cache
def _events() -> tuple[dict[str, Any], ...]:
    """Events of every kind: the benchmark's generated log and the example logs (bare)."""
    sys.path.insert(0, str(ROOT / "benchmarks" / "validate"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    lines = [*generate.generate(300, seed=7)]
    lines += [line for log in LOGS.glob("*.jsonl") for line in log.read_bytes().splitlines()]
    out = []
    for line in lines:
        value = orjson.loads(line)
        out.append(value.get("event", value))
    return tuple(out)


_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
_INT64 = 1 << 63
#: Values for the fields the table reads: strings with any character, integers across and
#: beyond 64 bits, floats and integers for the cost, and null where the schema may allow it.
_VALUES: dict[str, Any] = {
    "thread_id": _TEXT,
    "tool_name": _TEXT,
    "total_cost_usd": st.none()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.integers(-(1 << 70), 1 << 70),
    "id": _TEXT,
    "command": st.none() | _TEXT,
    "exit_code": st.none() | st.integers(-(1 << 31), (1 << 31) - 1),
    "input_tokens": st.integers(0, (1 << 64) - 1) | st.sampled_from([_INT64 - 1, _INT64]),
    "cached_input_tokens": st.integers(0, 1 << 20),
    "cache_creation_tokens": st.integers(0, 1 << 20),
    "output_tokens": st.integers(0, (1 << 64) - 1),
}


@st.composite
def _line(draw: st.DrawFn) -> bytes:
    event = json.loads(json.dumps(draw(st.sampled_from(_events()))))
    for part in (event, event.get("item"), event.get("usage")):
        if isinstance(part, dict):
            for key in part:
                if key in _VALUES and draw(st.booleans()):
                    part[key] = draw(_VALUES[key])
    if "usage" in event and event["type"] == "turn.failed" and draw(st.booleans()):
        event["usage"] = None
    value: Any = event
    shape = draw(st.sampled_from(["bare", "envelope", "envelope, event first"]))
    version = draw(st.sampled_from(registry.versions()[-3:]))
    if shape == "envelope":
        value = {"schema_version": version, "event": event}
    elif shape == "envelope, event first":
        value = {"event": event, "schema_version": version}
    if draw(st.booleans()):  # \u escapes for every non-ASCII character, integers of any size
        return json.dumps(value, separators=(",", ":")).encode()
    try:
        return orjson.dumps(value)
    except TypeError:  # an integer beyond 64 bits
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def _clean(lines: list[bytes]) -> bool:
    return not CHECKER.check_lines(lines, 1).issues


def _as_lists(read: fields.Read) -> list[list[Any]]:
    return [array.to_pylist() for array in read.arrays] + [read.tags, read.threads]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_line(), min_size=1, max_size=6))
@example([b'{"type":"turn.completed","usage":{"input_tokens":9223372036854775808,'
          b'"cached_input_tokens":0,"cache_creation_tokens":0,"output_tokens":1}}'])  # fmt: skip
@example([b'{"event":{"type":"thread.started","thread_id":"t\\u00e9"},"schema_version":"0.11.0"}'])
@example([b'{"type":"permission.requested","tool_name":"grep"}',
          b'{"type":"item.started","item":{"id":"t1","type":"tool_invocation","tool_name":"ls",'
          b'"arguments":{},"tool_call_id":"c1","status":"in_progress"}}'])  # fmt: skip
def test_clean_lines_read_by_msgspec_equal_the_careful_reading(lines: list[bytes]) -> None:
    assume(_clean(lines))
    fast = fields.read(lines, VERSION, {})
    careful = fields.read(lines, VERSION, {index: [] for index in range(len(lines))})
    assert _as_lists(fast) == _as_lists(careful)
    for array, field in zip(fast.arrays, fields.FIELDS, strict=True):
        assert array.type == field.type


def test_values_outside_the_columns_types_are_null_either_way() -> None:
    """Valid lines whose values a column cannot hold: a count beyond int64 is null."""
    line = (
        b'{"type":"turn.completed","usage":{"input_tokens":18446744073709551615,'
        b'"cached_input_tokens":1,"cache_creation_tokens":2,"output_tokens":3}}'
    )
    assert _clean([line])
    read = fields.read([line, b'{"type":"turn.started"}'], VERSION, {})
    usage = [array.to_pylist() for array in read.arrays[9:13]]
    assert usage == [[None, None], [1, None], [2, None], [3, None]]
    assert read.tags == ["turn.completed", "turn.started"]


def test_a_clean_line_nested_as_deep_as_json_goes_is_read() -> None:
    """1,021 levels of ``arguments`` (the line is 1,024 deep, JSON's limit here): deeper
    than msgspec recurses, so the line is read with care, with the same fields."""
    deep = b"[" * 1021 + b"]" * 1021
    line = (
        b'{"schema_version":"0.11.0","event":{"type":"item.started","item":{"id":"t1",'
        b'"type":"tool_invocation","tool_name":"ls","arguments":{"a":' + deep[1:-1] + b"},"
        b'"tool_call_id":"c1","status":"in_progress"}}}'
    )
    block = [b'{"type":"turn.started"}', line]
    assert _clean(block)
    read = fields.read(block, VERSION, {})
    assert _as_lists(read) == _as_lists(fields.read(block, VERSION, {0: [], 1: []}))
    assert read.arrays[6].to_pylist() == [None, "ls"]


def test_never_read_and_unparsed_lines_are_null() -> None:
    read = fields.read([b"", b"{not json", b"[1]"], VERSION, {1: [], 2: []}, skipped={0})
    columns = [array.to_pylist() for array in read.arrays]
    assert columns[0] == [None, None, VERSION]  # a JSON value that is no event: its version
    assert all(column == [None, None, None] for column in columns[1:])


_KNOWN = [
    b'{"type":"permission.requested","tool_name":"grep"}',
    b'{"type":"item.started","item":{"id":"t1","type":"tool_invocation","tool_name":"ls",'
    b'"arguments":{},"tool_call_id":"c1","status":"in_progress"}}',
    b'{"event":{"type":"item.completed","item":{"id":"c2","type":"command_execution",'
    b'"command":"make","aggregated_output":"","exit_code":-2,"status":"failed"}},'
    b'"schema_version":"0.9.0"}',
    b'{"schema_version":"0.10.0","event":{"type":"turn.failed","message":"x","usage":null}}',
    b'{"type":"thread.completed","thread_id":"t9","session_id":"s","subtype":"success",'
    b'"outcome_code":"completed","stop_reason":"end_turn","usage":{"input_tokens":1,'
    b'"cached_input_tokens":2,"cache_creation_tokens":3,"output_tokens":4},'
    b'"total_cost_usd":1,"num_turns":1}',
]
_N = [None] * 5


@pytest.mark.parametrize("careful", [False, True], ids=["msgspec", "careful"])
def test_columns_of_known_lines(careful: bool) -> None:
    assert _clean(_KNOWN)
    problems = {index: [] for index in range(len(_KNOWN))} if careful else {}
    read = fields.read(_KNOWN, VERSION, problems)
    got = {f.name: a.to_pylist() for f, a in zip(fields.FIELDS, read.arrays, strict=True)}
    assert got == {
        "schema_version": [VERSION, VERSION, "0.9.0", "0.10.0", VERSION],
        "type": [
            "permission.requested",
            "item.started",
            "item.completed",
            "turn.failed",
            "thread.completed",
        ],
        "own_thread": [None, None, None, None, "t9"],
        "item_id": [None, "t1", "c2", None, None],
        "item_type": [None, "tool_invocation", "command_execution", None, None],
        "status": [None, "in_progress", "failed", None, None],
        "tool_name": ["grep", "ls", None, None, None],
        "command": [None, None, "make", None, None],
        "exit_code": [None, None, -2, None, None],
        "input_tokens": [*_N[:4], 1],
        "cached_input_tokens": [*_N[:4], 2],
        "cache_creation_tokens": [*_N[:4], 3],
        "output_tokens": [*_N[:4], 4],
        "total_cost_usd": [*_N[:4], 1.0],
    }
    assert read.tags == got["type"]
    assert read.threads == got["own_thread"]
