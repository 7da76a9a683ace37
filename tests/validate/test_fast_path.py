"""The batched fast paths (msgspec, then orjson and jsonschema-rs) agree with the precise path.

Lines of every kind and version, written again with what a parse hides: repeated keys
(declared fields, tags, envelope keys, inside free-form values, unknown fields), integers
written as floats (``5.0``, ``1e2``, ``-0``), numbers out of range, non-canonical spacing
and escapes, unknown fields, invalid UTF-8 and lone surrogates inside free-form values.
A batch checked by :meth:`Checker.check_lines` must give exactly the issues of its lines
checked one by one, and a line the msgspec path accepts must be valid with no issue.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.validate.conftest import DATA
from vtcode_exec_events import registry
from vtcode_exec_events.validate import structs
from vtcode_exec_events.validate.checker import BATCH, Checker

ROOT = Path(__file__).resolve().parents[2]
VERSIONS = registry.versions()
SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@functools.cache
def corpus() -> tuple[Any, ...]:
    """Parsed lines: the benchmark's generated log, the data files, every version's envelopes."""
    values: list[Any] = []
    sys.path.insert(0, str(ROOT / "benchmarks" / "validate"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    for n, line in enumerate(generate.generate(400, seed=5)):
        values.append(orjson.loads(line))
        if n >= 400:
            break
    for case in json.loads((DATA / "lines.json").read_text()):
        try:
            values.append(orjson.loads(case["line"]))
        except orjson.JSONDecodeError:
            continue
    for line in (ROOT / "tests/data/consumers/logs/every-version.jsonl").read_bytes().splitlines():
        values.append(orjson.loads(line))
    return tuple(values)


class Token:
    """A JSON token written as given (``5.0``, ``-0``, ``1e400``, bytes that are not UTF-8)."""

    def __init__(self, text: bytes) -> None:
        self.text = text


class Repeated(dict[str, Any]):
    """An object written with some of its keys twice (the first value is ``earlier``)."""

    earlier: dict[str, Any]


def write(value: Any, spaced: bool = False) -> bytes:
    """JSON text for ``value``; :class:`Token` verbatim, :class:`Repeated` with its repeats."""
    colon, comma = (b" : ", b", ") if spaced else (b":", b",")
    if isinstance(value, Token):
        return value.text
    if isinstance(value, dict):
        pairs = list(value.items())
        if isinstance(value, Repeated):
            pairs = list(value.earlier.items()) + pairs
        return (
            b"{" + comma.join(orjson.dumps(k) + colon + write(v, spaced) for k, v in pairs) + b"}"
        )
    if isinstance(value, list):
        return b"[" + comma.join(write(v, spaced) for v in value) + b"]"
    return orjson.dumps(value)


ODD_NUMBERS = [
    b"5.0",
    b"1e2",
    b"-0",
    b"-0.0",
    b"1E+3",
    b"1e400",
    b"-1e400",
    b"18446744073709551616",
]
ODD_VALUES = [
    Token(b'"\\ud800"'),
    Token(b'"\xff"'),
    Token(b'"\xed\xa0\x80"'),
    Token(b'"\\u00e9\\/"'),
    Token(b"1e400"),
    Token(b"-0"),
    Token(b"99999999999999999999999"),
    Token(b'{"k":1,"k":2}'),
]


def mutate(value: Any, data: st.DataObject) -> Any:
    """One change somewhere in ``value`` that a parse does not see, or a plain one."""
    if isinstance(value, dict) and value:
        key = data.draw(st.sampled_from(sorted(value)))
        action = data.draw(
            st.sampled_from(["repeat", "repeat", "recurse", "recurse", "number", "odd", "add"])
        )
        out: dict[str, Any] = dict(value)
        if action == "repeat":
            repeated = Repeated(out)
            earlier = data.draw(st.sampled_from([value[key], 0, "x", None]))
            repeated.earlier = {key: earlier}
            return repeated
        if action == "recurse":
            out[key] = mutate(value[key], data)
        elif action == "number" and isinstance(value[key], int) and value[key] is not True:
            spelling = data.draw(st.sampled_from([b"%d.0", b"%de0", b"-0", b"%d"]))
            number = value[key] if value[key] is not False else 0
            out[key] = Token(spelling % number if b"%" in spelling else spelling)
        elif action == "odd":
            out[key] = data.draw(st.sampled_from(ODD_VALUES))
        else:
            out[data.draw(st.sampled_from(["extra", "type", "id", "status"]))] = data.draw(
                st.sampled_from([1, "x", None, Token(data.draw(st.sampled_from(ODD_NUMBERS)))])
            )
        return out
    if isinstance(value, list) and value:
        index = data.draw(st.integers(0, len(value) - 1))
        return [mutate(v, data) if i == index else v for i, v in enumerate(value)]
    return value


def lines(data: st.DataObject) -> list[bytes]:
    values = data.draw(st.lists(st.sampled_from(corpus()), min_size=1, max_size=BATCH + 6))
    out = []
    for value in values:
        if data.draw(st.booleans()):
            value = mutate(value, data)
        out.append(write(value, spaced=data.draw(st.integers(0, 9)) == 0))
    return out


def _issues(result: Any) -> list[tuple[Any, ...]]:
    return [(i.line, i.pointer, i.message, i.kind, i.severity) for i in result.issues]


@SETTINGS
@given(data=st.data(), version=st.sampled_from(VERSIONS))
def test_a_batch_gets_the_issues_of_its_lines_one_by_one(data: st.DataObject, version: str) -> None:
    batch = lines(data)
    block = Checker(schema_version=version).check_lines(batch, 1)
    alone = Checker(schema_version=version)
    expected = [alone.check_line(raw, n) for n, raw in enumerate(batch, 1)]
    assert _issues(block) == [i for r in expected for i in _issues(r)]
    assert block.invalid == sum(not r.valid for r in expected)
    assert block.valid + block.invalid == block.lines == len(batch)


@SETTINGS
@given(data=st.data(), version=st.sampled_from(VERSIONS))
def test_a_line_msgspec_accepts_is_valid_without_issues(data: st.DataObject, version: str) -> None:
    for raw in lines(data):
        if structs.accepts([raw], version):
            result = Checker(schema_version=version).check_line(raw, 1)
            assert result.valid, raw
            assert not result.issues, raw


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("accent", [False, True])
def test_every_version_compiles_and_its_valid_lines_take_the_msgspec_path(
    version: str, accent: bool
) -> None:
    """``accent``: the text fields' strings get a non-ASCII letter, so the lines take the
    decoders that keep those fields raw (``raw_texts``)."""
    assert structs.compile_version(version) is not None
    assert structs.compile_version(version, raw_texts=True) is not None
    taken = 0
    checker = Checker(schema_version=version)
    for value in corpus():
        if accent:
            if _accented(value) == value:
                continue  # no text field: an ASCII line, as without accents
            value = _accented(value)
        raw = orjson.dumps(value)
        verdict = checker.check_line(raw, 1)
        accepted = structs.accepts([raw], version)
        if accepted:
            assert verdict.valid, raw
            assert not verdict.issues, raw
        taken += accepted
    assert taken > 20  # the fast path is really taken


def _accented(value: Any) -> Any:
    """``value`` with "é" appended to the strings of its text fields."""
    if isinstance(value, dict):
        return {
            k: v + "é" if k in structs.TEXT_FIELDS and isinstance(v, str) else _accented(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_accented(v) for v in value]
    return value


@pytest.mark.parametrize(
    "line",
    [
        b'{"type":"thread.started","thread_id":"a","thread_id":"b"}',
        b'{"type":"thread.started","type":"thread.started","thread_id":"a"}',
        b'{"type":"thread.started","thread_id":"a","extra":1}',
        b'{"type":"thread.started", "thread_id":"a"}',
        b'{"type":"thread.started","thread_id":"\\u0061"}',
        b'{"schema_version":"0.11.0","schema_version":"0.11.0","event":{"type":"turn.started"}}',
        b'{"type":"turn.completed","usage":{"input_tokens":-0,"cached_input_tokens":0,"cache_creation_tokens":0,'
        b'"output_tokens":0}}',
        b'{"type":"turn.completed","usage":{"input_tokens":1.0,"cached_input_tokens":0,"cache_creation_tokens":0,'
        b'"output_tokens":0}}',
        b'{"type":"item.completed","item":{"id":"i","type":"mcp_tool_call","tool_name":"t",'
        b'"arguments":{"q":1e400},"status":"completed"}}',
        b'{"type":"item.completed","item":{"id":"i","type":"mcp_tool_call","tool_name":"t",'
        b'"arguments":"\xff","status":"completed"}}',
        b'{"type":"future.event"}',
    ],
)
def test_msgspec_leaves_what_a_parse_hides_to_the_other_paths(line: bytes) -> None:
    assert not structs.accepts([line], registry.latest())
    assert not structs.accepts([b'{"type":"turn.started"}', line], registry.latest())


def test_a_batch_mixing_bare_lines_and_envelopes_of_every_version_is_taken_whole() -> None:
    envelopes = [
        orjson.dumps({"schema_version": v, "event": {"type": "turn.started"}}) for v in VERSIONS
    ]
    mixed = [b'{"type":"turn.started"}', *envelopes[-1:], b'{"type":"turn.started"}']
    assert structs.accepts(mixed, registry.latest())
    # Envelopes of several versions in one batch: not one msgspec call; still all valid.
    assert not structs.accepts(envelopes, registry.latest())
    result = Checker().check_lines(envelopes, 1)
    assert result.valid == len(envelopes)
    assert not result.issues


@pytest.mark.parametrize(
    "batch",
    [
        [b'{"type":"thread.started"', b'"thread_id":"t"},{"type":"turn.started"}'],
        [
            b'{"type":"item.completed","item":{"id":"i","type":"mcp_tool_call","tool_name":"t",'
            b'"status":"completed","arguments":[{}',
            b"{}]}}",
            b'{"type":"turn.started"},{"type":"turn.started"}',
        ],
        [b'{"type":"turn.started"},{"type":"turn.started"}', b'{"type":"turn.started"}'],
    ],
)
def test_broken_lines_never_make_valid_ones_together(batch: list[bytes]) -> None:
    assert not structs.accepts(batch, registry.latest())
    result = Checker().check_lines(batch, 1)
    alone = [Checker().check_line(raw, n) for n, raw in enumerate(batch, 1)]
    assert _issues(result) == [i for r in alone for i in _issues(r)]
    assert result.invalid == sum(not r.valid for r in alone) >= 1


@pytest.mark.parametrize(
    "value",
    [
        *(token.text for token in ODD_VALUES),
        *ODD_NUMBERS,
        b"1" * 400,
        b'"\\udc00"',
        b'"\\ud83d\\ude00"',
        b'{"a":[1e2,1.50,-0.0]}',
        b"[1, 2]",
        b'{"type":"x","type":"y"}',
        b"null",
        b"true",
        b"5",
        b"{}",
        b'"\\u0000\\""',
        b'"caf\xc3\xa9 \xe2\x9c\x93"',
        b'"\xc3"',
        b'"\xc0\xaf"',
        b'"\x01"',
        b'"a\\x"',
    ],
)
# arguments: free-form; tool_name: a string decoded by msgspec; result: a nullable text
# field kept raw (structs.TEXT_FIELDS).
@pytest.mark.parametrize("field", ["arguments", "tool_name", "result"])
def test_what_msgspec_takes_in_a_field_the_precise_path_takes_too(value: bytes, field: str) -> None:
    parts = {"arguments": b"{}", "tool_name": b'"t"', "result": b'"r"'} | {field: value}
    line = (
        b'{"type":"item.completed","item":{"id":"i","type":"mcp_tool_call","tool_name":'
        + parts["tool_name"]
        + b',"arguments":'
        + parts["arguments"]
        + b',"result":'
        + parts["result"]
        + b',"status":"completed"}}'
    )
    precise = Checker().check_line(line, 1)
    if structs.accepts([line], registry.latest()):
        assert precise.valid, line
        assert not precise.issues, line
    block = Checker().check_lines([line, b'{"type":"turn.started"}'], 1)
    assert _issues(block) == _issues(precise)


def test_after_batches_msgspec_refuses_the_verdicts_stay_those_of_each_line() -> None:
    newer = b'{"type":"thread.started","thread_id":"t","field_of_a_newer_vt_code":1}'
    bad = b'{"type":"thread.started","thread_id":5}'
    good = b'{"type":"turn.started"}'
    batch = [newer] * (BATCH * 8) + [good] * (BATCH * 8) + [bad] + [newer] * BATCH
    checker = Checker()
    result = checker.check_lines(batch, 1)
    alone = Checker()
    expected = [alone.check_line(raw, n) for n, raw in enumerate(batch, 1)]
    assert _issues(result) == [i for r in expected for i in _issues(r)]
    assert result.invalid == 1
    assert result.valid == len(batch) - 1
