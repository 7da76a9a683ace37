"""The reader hands over every byte as part of exactly one line, however the input is cut."""

from __future__ import annotations

import gzip
import io
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from vtcode_exec_events.validate import reader

CONTENT = (
    st.lists(st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")), max_size=30)
    .flatmap(lambda lines: st.sampled_from([b"\n".join(lines), b"\n".join(lines) + b"\n"]))
    .filter(lambda data: not data.startswith(reader.GZIP_MAGIC))  # that is read as gzip
)


def _read(source: reader.Input, limit: int | None = None, size: int = 7) -> list[bytes]:
    return [
        line.removesuffix(b"\n")
        for block in reader.blocks(source, limit=limit, block_size=size)
        for line in block.lines
    ]


def _expected(data: bytes) -> list[bytes]:
    if not data:
        return []
    return data.removesuffix(b"\n").split(b"\n")


@settings(max_examples=60, deadline=None)
@given(CONTENT, st.integers(1, 6))
def test_ranges_cover_the_file_line_for_line(data: bytes, parts: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.jsonl"
        path.write_bytes(data)
        ranges = reader.split_ranges(path, parts)
        assert ranges[0][0] == 0
        assert ranges[-1][1] == len(data)
        lines: list[bytes] = []
        for start, end in ranges:
            assert start == 0 or data[start - 1 : start] == b"\n"
            with reader.open_input(path) as source:
                source.stream.seek(start)
                lines.extend(_read(source, limit=end - start))
        with reader.open_input(path) as source:
            whole = _read(source)
    assert lines == whole == _expected(data)


@settings(max_examples=60, deadline=None)
@given(CONTENT)
def test_gzip_and_plain_read_the_same_lines(data: bytes) -> None:
    plain = reader.Input(io.BytesIO(data), lambda: 0, gzip=False)
    packed = reader.Input(gzip.GzipFile(fileobj=io.BytesIO(gzip.compress(data))), lambda: 0, True)
    assert _read(plain) == _read(packed) == _expected(data)


def test_the_last_line_is_flagged_unterminated() -> None:
    source = reader.Input(io.BytesIO(b"a\nb"), lambda: 0, gzip=False)
    blocks = list(reader.blocks(source))
    assert blocks[-1].unterminated
    source = reader.Input(io.BytesIO(b"a\nb\n"), lambda: 0, gzip=False)
    assert not list(reader.blocks(source))[-1].unterminated


def _blocks(data: bytes, newlines: bool, size: int, max_line: int) -> list[reader.Block]:
    source = reader.Input(io.BytesIO(data), lambda: 0, gzip=False)
    found: list[reader.Block] = []
    try:
        for block in reader.blocks(source, block_size=size, max_line=max_line, newlines=newlines):
            found.append(block)
    except reader.InputError:  # a line ran on past GIVE_UP * max_line: the same in both
        found.append(reader.Block([b"<stopped>"], unterminated=True))
    return found


@settings(max_examples=200, deadline=None)
@given(CONTENT, st.integers(1, 50), st.integers(1, 45))
def test_newlines_kept_are_the_same_lines_and_flags(data: bytes, size: int, max_line: int) -> None:
    """``newlines=True`` (validate's memchr split) gives each line with its newline, and
    the same blocks, flags and over-long lines (measured without the newline) otherwise."""
    plain = _blocks(data, False, size, max_line)
    kept = _blocks(data, True, size, max_line)
    assert len(plain) == len(kept)
    for a, b in zip(plain, kept, strict=True):
        assert (a.unterminated, a.broken, a.oversize) == (b.unterminated, b.broken, b.oversize)
        last = len(b.lines) - 1
        skipped = {index for index, _ in b.oversize}
        expected = [
            line if i in skipped or (i == last and b.unterminated) else line + b"\n"
            for i, line in enumerate(a.lines)
        ]
        assert b.lines == expected
