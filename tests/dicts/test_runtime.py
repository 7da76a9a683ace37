"""The TypedDicts describe what the schema allows: every schema-valid event fits them."""

from __future__ import annotations

import functools
import importlib
import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator
from pydantic import TypeAdapter
from vtcode_exec_events.dicts import LATEST, MODULES

from tests.foundation.strategies import from_schema
from vtcode_exec_events import registry
from vtcode_exec_events.bundle import bundle

DATA = Path(__file__).resolve().parents[1] / "data"
#: One line per event kind, exact VT Code output (the foundation's sample corpus).
SAMPLES = DATA / "foundation" / "samples.jsonl"
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))


@functools.cache
def adapter(version: str, entry: str) -> TypeAdapter[Any]:
    """pydantic's reading of one version's ThreadEvent or VersionedThreadEvent TypedDict."""
    module = importlib.import_module(f"vtcode_exec_events.dicts.{MODULES[version]}")
    name = "VersionedThreadEvent" if entry == registry.VERSIONED_THREAD_EVENT else "ThreadEvent"
    return TypeAdapter(getattr(module, name))


@functools.cache
def schema(version: str, entry: str) -> dict[str, Any]:
    return bundle(registry.load(version), entry)


def _entry(value: Any) -> str:
    """Route a line as the validator does: an envelope has `schema_version` and no `type`."""
    if isinstance(value, dict) and "type" not in value and "schema_version" in value:
        return registry.VERSIONED_THREAD_EVENT
    return registry.THREAD_EVENT


def test_one_module_per_released_version_and_the_newest_is_reexported() -> None:
    assert list(MODULES) == list(registry.versions())
    assert registry.latest() == LATEST
    import vtcode_exec_events.dicts as package

    newest = importlib.import_module(f"vtcode_exec_events.dicts.{MODULES[LATEST]}")
    for name in ("ItemCompletedEvent", "ThreadEvent", "ThreadItem", "VersionedThreadEvent"):
        assert getattr(package, name) is getattr(newest, name)


@pytest.mark.parametrize("line", [s for s in SAMPLES.read_text("utf-8").splitlines() if s.strip()])
def test_every_sample_line_fits_the_newest_dicts_unchanged(line: str) -> None:
    value = json.loads(line)
    entry = _entry(value)
    assert Draft202012Validator(schema(LATEST, entry)).is_valid(value)
    # strict: no coercion; equality: no key dropped (pydantic ignores keys a TypedDict lacks).
    validated = adapter(LATEST, entry).validate_json(line, strict=True)
    assert validated == value
    # pydantic returns the keys in the TypedDict's order: the declaration order is the wire's.
    assert orjson.dumps(validated) == line.encode()


@pytest.mark.parametrize("version", ["0.1.0", "0.4.0", "0.9.0", LATEST])
@pytest.mark.parametrize("entry", [registry.THREAD_EVENT, registry.VERSIONED_THREAD_EVENT])
def test_schema_valid_events_fit_their_versions_dicts(version: str, entry: str) -> None:
    doc = schema(version, entry)
    validator = Draft202012Validator(doc)
    fits = adapter(version, entry)

    @SETTINGS
    @given(from_schema(doc, doc))
    def check(value: Any) -> None:
        assert validator.is_valid(value)
        assert fits.validate_json(json.dumps(value), strict=True) == value

    check()


def _cases() -> list[Any]:
    lines = (DATA / "dicts" / "laxer.jsonl").read_text("utf-8").splitlines()
    return [pytest.param(c, id=c["why"][:40]) for c in map(json.loads, lines)]


@pytest.mark.parametrize("case", _cases())
def test_the_dicts_are_laxer_than_the_schema_where_documented(case: dict[str, Any]) -> None:
    """Typing, not validation: pydantic over the TypedDicts accepts these schema-invalid
    events (docs/dicts.md says so); validate with the models or the validator instead."""
    line = case["line"]
    assert not Draft202012Validator(schema(LATEST, registry.THREAD_EVENT)).is_valid(line)
    got = adapter(LATEST, registry.THREAD_EVENT).validate_python(line, strict=True)
    assert got == case["validated"]


def test_an_integral_float_is_no_integer_for_the_dicts_either() -> None:
    """JSON Schema calls 5.0 an integer; VT Code's decoder, the models and the TypedDicts
    (mypy: float is not int; strict pydantic) do not. Strict pydantic falls back to the
    unknown-event branch, keeping only the tag."""
    line = {"type": "permission.resolved", "tool_name": "x", "decision": "allow", "wait_ms": 5.0}
    assert Draft202012Validator(schema(LATEST, registry.THREAD_EVENT)).is_valid(line)
    fits = adapter(LATEST, registry.THREAD_EVENT)
    assert fits.validate_json(json.dumps(line), strict=True) == {"type": "permission.resolved"}
