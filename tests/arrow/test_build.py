"""Columns built through buffers (or ``pa.array``) equal ``pa.array`` of the same values."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from vtcode_exec_events.arrow import build
from vtcode_exec_events.arrow.schema import SCHEMA

ISSUES = SCHEMA.field("issues").type
_text = st.text(st.characters(exclude_categories=("Cs",)))
_issue = st.fixed_dictionaries(dict.fromkeys(("severity", "kind", "pointer", "message"), _text))
CASES: list[tuple[Any, pa.DataType]] = [
    (st.none() | _text, pa.string()),
    (st.none() | st.binary(), pa.binary()),
    (st.none() | st.integers(-(1 << 63), (1 << 63) - 1), pa.int64()),
    (st.none() | st.floats(allow_nan=False), pa.float64()),
    (st.none() | st.booleans(), pa.bool_()),
    (st.none() | st.lists(_issue, max_size=3), ISSUES),
]


@given(st.sampled_from(range(len(CASES))).flatmap(
    lambda i: st.tuples(st.just(i), st.lists(CASES[i][0], max_size=40))
))  # fmt: skip
def test_column_is_pa_array(case: tuple[int, list[Any]]) -> None:
    index, values = case
    kind = CASES[index][1]
    for built in (build.column(values, kind), build.from_buffers(values, kind)):
        built.validate(full=True)
        assert built.equals(pa.array(values, kind))


_ROW = pa.struct([("a", pa.string()), ("b", pa.int64()), ("c", pa.float64())])


@given(st.lists(st.tuples(st.none() | _text, st.none() | st.integers(-5, 5), st.floats())))
def test_children_are_the_columns_of_the_rows(rows: list[tuple[Any, ...]]) -> None:
    want = [list(c) for c in zip(*rows, strict=True)] if rows else [[], [], []]
    for columns in (build.children(rows, _ROW), build.children(rows, _ROW, buffers=True)):
        got = [c.to_pylist() for c in columns]
        assert [c.type for c in columns] == [f.type for f in _ROW]
        assert str(got) == str(want)  # floats compared as written (nan != nan)


@given(_text, st.integers(0, 50))
def test_repeat(value: str, n: int) -> None:
    assert build.repeat(value, n, pa.string()).equals(pa.array([value] * n, pa.string()))


_line = st.lists(st.sampled_from([b"\n", b"a", b"{}", b"\xff", b"\r"]), max_size=6).map(b"".join)


@given(st.lists(_line, max_size=30))
def test_binary_is_the_lines_without_their_final_newline(lines: list[bytes]) -> None:
    # Lines as the reader hands them over (each ends in its newline but the last) and as
    # a caller may (a newline inside a value stays: only a final one is taken off).
    built = build.binary(lines)
    built.validate(full=True)
    assert built.to_pylist() == [line.removesuffix(b"\n") for line in lines]


@given(st.lists(_line.map(lambda line: line.replace(b"\n", b"")), max_size=30), st.booleans())
def test_binary_of_lines_as_the_reader_hands_them_over(bodies: list[bytes], open_end: bool) -> None:
    # Every line ends in its newline, but the input's last line may not.
    lines = [body + b"\n" for body in bodies]
    if lines and open_end:
        lines[-1] = bodies[-1]
    built = build.binary(lines, ended=True)
    built.validate(full=True)
    assert built.to_pylist() == bodies
    assert build.binary(lines).equals(built)
