"""serde's strictness: repeated declared fields and integers written as floats are errors,
exactly where VT Code's decoder rejects them, and nowhere else (free-form values)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import vtcode_exec_events as vee
from vtcode_exec_events.validate import validate_lines

KEYS = st.text("abcxyz", min_size=1, max_size=3)
SCALARS = st.one_of(
    st.integers(-(2**63), 2**64 - 1).map(str),
    st.sampled_from(["5.0", "1e2", "-0", "-0.0", "0.5", "1E+3", "true", "null", '"s"']),
)


@st.composite
def free_form(draw: st.DrawFn, depth: int = 0) -> str:
    """Any JSON text, objects with repeated keys and floats of every spelling included."""
    if depth > 2 or draw(st.booleans()):
        return draw(SCALARS)
    if draw(st.booleans()):
        items = draw(st.lists(st.deferred(lambda: free_form(depth + 1)), max_size=3))
        return "[" + ",".join(items) + "]"
    keys = draw(st.lists(KEYS, max_size=4))
    keys += keys[: draw(st.integers(0, len(keys)))]  # some keys twice
    values = [draw(free_form(depth + 1)) for _ in keys]
    return "{" + ",".join(f'"{k}" : {v}' for k, v in zip(keys, values, strict=True)) + "}"


def _mcp(arguments: str) -> str:
    return (
        '{"type":"item.completed","item":{"id":"i","type":"mcp_tool_call","tool_name":"t",'
        f'"arguments":{arguments},"status":"completed"}}}}'
    )


def _one(line: str) -> tuple[bool, list[tuple[str, str]]]:
    (result,) = validate_lines([line])
    return result.valid, [(i.pointer, i.message) for i in result.errors]


@settings(max_examples=150, deadline=None)
@given(free_form())
def test_anything_goes_inside_a_free_form_value(arguments: str) -> None:
    line = _mcp(arguments)
    assert _one(line) == (True, [])
    vee.parse_line(line)


USAGE = ("input_tokens", "cached_input_tokens", "cache_creation_tokens", "output_tokens")


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(USAGE), st.integers(0, 10**6), st.sampled_from(["{}.0", "{}e0", "{}.00"]))
def test_an_integer_written_as_a_float_is_an_error_at_its_pointer(
    field: str, value: int, spelling: str
) -> None:
    numbers = dict.fromkeys(USAGE, "1") | {field: spelling.format(value)}
    usage = ",".join(f'"{k}":{v}' for k, v in numbers.items())
    line = '{"type":"turn.completed","usage":{' + usage + "}}"
    valid, errors = _one(line)
    assert not valid
    assert errors[0][0] == f"/usage/{field}"
    assert errors[0][1].startswith("expected an integer, found ")
    with pytest.raises(vee.WireFormatError) as info:
        vee.parse_line(line)
    assert (info.value.pointer, info.value.message) == errors[0]


DECLARED = [
    ('{"type":"turn.failed","message":"a","message":"a"}', "/message"),
    ('{"type":"turn.started","type":"turn.started"}', "/type"),
    ('{"type":"x.new","type":"x.new"}', "/type"),
    ('{"type":"item.started","item":{"id":"a","id":"a","type":"plan","text":"t"}}', "/item/id"),
    ('{"type":"item.started","item":{"id":"a","type":"plan","text":"t","text":"t"}}', "/item/text"),
    (
        '{"schema_version":"0.11.0","event":{"type":"turn.started"},"schema_version":"0.11.0"}',
        "/schema_version",
    ),
    (
        '{"type":"turn.completed","usage":{"input_tokens":1,"cached_input_tokens":1,'
        '"cache_creation_tokens":1,"output_tokens":1,"output_tokens":1}}',
        "/usage/output_tokens",
    ),
]


@pytest.mark.parametrize(("line", "pointer"), DECLARED)
@pytest.mark.parametrize("spaced", [False, True])
def test_a_repeated_declared_field_is_an_error_naming_it(
    line: str, pointer: str, spaced: bool
) -> None:
    if spaced:
        line = line.replace('":', '" : ')
    key = pointer.rsplit("/", 1)[-1]
    valid, errors = _one(line)
    assert (valid, errors[:1]) == (
        False,
        [(pointer, f'duplicate field "{key}": VT Code\'s decoder rejects the line')],
    )
    with pytest.raises(vee.WireFormatError) as info:
        vee.parse_line(line)
    assert (info.value.pointer, info.value.message) == errors[0]


def test_a_repeated_unknown_field_keeps_its_last_value() -> None:
    assert _one('{"type":"turn.started","extra":1,"extra":2}') == (True, [])
    assert _one('{"type":"x.new","extra":1,"extra":2}')[0]
