"""jsonschema-rs (the fast path and the precise path) agrees with Python jsonschema.

Every version, on valid and invalid lines: the lines of tests/data/validate, a generated
realistic log, and hypothesis mutations of them. The validator's verdict (warnings aside)
must be the reference verdict on the released documents, and a line the fast path accepts
must be valid and free of warnings.
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

from tests.validate.conftest import DATA, reference, reference_accepts
from vtcode_exec_events import pointer, registry
from vtcode_exec_events.validate import schemas, validate_lines

VERSIONS = registry.versions()
ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def corpus() -> tuple[bytes, ...]:
    """Lines from the data files and a slice of the benchmark's generated log."""
    lines = [c["line"].encode() for c in json.loads((DATA / "lines.json").read_text())]
    sys.path.insert(0, str(ROOT / "benchmarks" / "validate"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    for n, line in enumerate(generate.generate(150, seed=3)):
        lines.append(line)
        if n >= 150:
            break
    return tuple(lines)


def _verdict(line: bytes, version: str) -> bool:
    (result,) = validate_lines([line], schema_version=version)
    return result.valid


@pytest.mark.parametrize("version", VERSIONS)
def test_verdicts_match_python_jsonschema(version: str) -> None:
    disagree = 0
    for line in corpus():
        value = orjson.loads(line)
        want = reference_accepts(value, version)
        assert _verdict(line, version) is want, (version, line)
        disagree += not want
    assert disagree > 10  # the corpus holds invalid lines for every version


@pytest.mark.parametrize("version", VERSIONS)
def test_entry_validators_match_python_jsonschema(version: str) -> None:
    compiled = schemas.for_version(version)
    for line in corpus():
        value = orjson.loads(line)
        if isinstance(value, dict) and "schema_version" in value:
            assert compiled.envelope.is_valid(value) is reference(
                version, registry.VERSIONED_THREAD_EVENT
            ).is_valid(value)
        else:
            assert compiled.bare.is_valid(value) is reference(
                version, registry.THREAD_EVENT
            ).is_valid(value)


def _mutate(value: Any, data: st.DataObject) -> Any:
    """Change one spot of a JSON value: drop or add a key, or replace a value."""
    if isinstance(value, dict) and value:
        key = data.draw(st.sampled_from(sorted(value)))
        action = data.draw(st.sampled_from(["drop", "replace", "recurse", "add"]))
        out = dict(value)
        if action == "drop":
            del out[key]
        elif action == "add":
            out[data.draw(st.sampled_from(["extra", "type", "status", "item"]))] = data.draw(LEAVES)
        elif action == "recurse":
            out[key] = _mutate(value[key], data)
        else:
            out[key] = data.draw(LEAVES)
        return out
    if isinstance(value, list) and value:
        index = data.draw(st.integers(0, len(value) - 1))
        out_list = list(value)
        out_list[index] = _mutate(value[index], data)
        return out_list
    return data.draw(LEAVES)


LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(
        [
            "",
            "completed",
            "COMPLETED",
            "unknown",
            "item.completed",
            "turn.started",
            "x.y",
            *VERSIONS,
        ]
    ),
    st.just({}),
    st.just([]),
)


def _serde_integer(result: Any, value: Any) -> bool:
    """Where the reference and VT Code's decoder differ by design: JSON Schema's "integer"
    takes 5.0, serde reads it as a float and rejects it (docs/wire.md). True when the one
    error is that, at a number written with a fraction that the line really holds."""
    errors = [i for i in result.issues if i.severity == "error"]
    if result.valid or len(errors) != 1 or not errors[0].message.startswith("expected an integer"):
        return False
    node = value
    for token in pointer.split(errors[0].pointer):
        node = node[int(token)] if isinstance(node, list) else node[token]
    return isinstance(node, float)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data(), version=st.sampled_from(VERSIONS))
def test_mutated_lines_agree(data: st.DataObject, version: str) -> None:
    line = data.draw(st.sampled_from(corpus()))
    value = _mutate(orjson.loads(line), data)
    raw = orjson.dumps(value)
    (result,) = validate_lines([raw], schema_version=version)
    assert result.valid is reference_accepts(value, version) or _serde_integer(result, value)
    errors = [i for i in result.issues if i.severity == "error"]
    assert len(errors) == (0 if result.valid else 1)
    if schemas.fast_line_validator(version).is_valid(value):
        assert result.valid
        assert not result.issues
