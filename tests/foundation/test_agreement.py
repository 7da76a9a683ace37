"""Property tests: the schema (jsonschema) and the models (pydantic) always agree on a line."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vtcode_exec_events as vee
from vtcode_exec_events import registry
from vtcode_exec_events.bundle import bundle

from .conftest import schema_accepts
from .strategies import from_schema, mutated

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


def _has_integral_float(value: Any) -> bool:
    """JSON Schema calls 5.0 an integer; VT Code's decoder (and the models) do not."""
    if isinstance(value, float):
        return math.isfinite(value) and value.is_integer()
    if isinstance(value, dict):
        return any(_has_integral_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_integral_float(v) for v in value)
    return False


def _models_accept(value: Any, version: str) -> bool:
    try:
        vee.parse_line(json.dumps(value), schema_version=version)
    except vee.WireFormatError:
        return False
    return True


def _strategy(version: str) -> st.SearchStrategy[Any]:
    doc = bundle(registry.load(version), registry.THREAD_EVENT)
    return from_schema(doc, doc)


@pytest.mark.parametrize("version", ["0.1.0", "0.4.0", "0.11.0"])
def test_generated_events_are_valid_both_ways(version: str) -> None:
    @SETTINGS
    @given(_strategy(version))
    def check(value: Any) -> None:
        assert schema_accepts(value, version)
        assert _models_accept(value, version)

    check()


@pytest.mark.parametrize("version", ["0.3.0", "0.11.0"])
def test_schema_and_models_agree_on_near_misses(version: str) -> None:
    @SETTINGS
    @given(mutated(_strategy(version)))
    def check(value: Any) -> None:
        if _has_integral_float(value):
            return
        assert schema_accepts(value, version) is _models_accept(value, version), value

    check()


def test_the_one_documented_divergence() -> None:
    line = {"type": "permission.resolved", "tool_name": "x", "decision": "allow", "wait_ms": 5.0}
    assert schema_accepts(line)
    assert not _models_accept(line, "0.11.0")
