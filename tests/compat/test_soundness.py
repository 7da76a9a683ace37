"""Soundness: when the checker calls a direction compatible, no instance tells the schemas apart."""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from tests.compat.strategies import SMALL_VALUES, catch_all_pairs, json_values, related_pairs
from vtcode_exec_events.compat import Policy, compare
from vtcode_exec_events.compat.api import compare_sets
from vtcode_exec_events.compat.diff import Differ
from vtcode_exec_events.compat.loader import load_document
from vtcode_exec_events.compat.witness import candidates
from vtcode_exec_events.errors import SchemaError

EXAMPLES = int(os.environ.get("COMPAT_FUZZ_EXAMPLES", "150"))
#: the engine's default: these schemas declare no $vocabulary, so `format` is an annotation
FORMATS = None


def _valid(schema: Any, value: Any) -> bool:
    return bool(Draft202012Validator(schema, format_checker=FORMATS).is_valid(value))


def _probe_values(old: Any, new: Any, extra: list[Any]) -> list[Any]:
    differ = Differ(load_document(old, "urn:o"), load_document(new, "urn:n"))
    values = list(extra) + list(SMALL_VALUES)
    values += candidates(differ, differ.old_norm.root("urn:o"))
    values += candidates(differ, differ.new_norm.root("urn:n"))
    return values


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(pair=related_pairs(), extra=st.lists(json_values, max_size=20))
# Found by this test: a property required but undeclared, then declared with a type.
@example(
    pair=({"required": ["a"]}, {"required": ["a"], "properties": {"a": {"type": "string"}}}),
    extra=[],
)
def test_compatible_directions_are_never_contradicted(
    pair: tuple[Any, Any], extra: list[Any]
) -> None:
    old, new = pair
    try:
        report = compare(old, new, Policy(name="strict", witnesses=False))
    except SchemaError:
        assume(False)
        raise
    if not (report.backward or report.forward):
        return
    for value in _probe_values(old, new, extra):
        in_old, in_new = _valid(old, value), _valid(new, value)
        if report.backward:
            assert not (in_old and not in_new), (
                f"called backward-compatible, but {value!r} is valid under old and not new"
            )
        if report.forward:
            assert not (in_new and not in_old), (
                f"called forward-compatible, but {value!r} is valid under new and not old"
            )


@settings(
    max_examples=max(EXAMPLES // 3, 40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(pair=related_pairs())
def test_every_witness_is_real(pair: tuple[Any, Any]) -> None:
    old, new = pair
    try:
        report = compare_sets(load_document(old, "urn:o"), load_document(new, "urn:n"), "strict")
    except SchemaError:
        assume(False)
        raise
    for change in report.changes:
        if change.witness is None:
            continue
        w = change.witness
        schemas = {"old": old, "new": new}
        assert _valid(schemas[w["accepted_by"]], w["instance"])
        assert not _valid(schemas[w["rejected_by"]], w["instance"])
        assert not getattr(change, w["direction"])


@pytest.mark.parametrize(
    "schema",
    [True, False, {}, {"type": "string"}, {"oneOf": [{"type": "integer"}, {"minimum": 2}]}],
)
def test_a_schema_is_compatible_with_itself(schema: Any) -> None:
    report = compare(schema, schema)
    assert report.backward
    assert report.forward


@settings(
    max_examples=max(EXAMPLES // 2, 60),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(pair=catch_all_pairs(), extra=st.lists(json_values, max_size=10))
def test_unions_beside_a_catch_all_are_never_contradicted(
    pair: tuple[Any, Any], extra: list[Any]
) -> None:
    """A changed branch counts as compatible when the other side's branches contain it: check
    that against the validator, on the value itself and inside the property that holds it."""
    old, new = pair
    try:
        report = compare(old, new, Policy(name="strict", witnesses=False))
    except SchemaError:
        assume(False)
        raise
    if not (report.backward or report.forward):
        return
    values = _probe_values(old, new, extra)
    for value in [*values, *({"p": v} for v in values)]:
        in_old, in_new = _valid(old, value), _valid(new, value)
        if report.backward:
            assert not (in_old and not in_new), f"backward contradicted by {value!r}"
        if report.forward:
            assert not (in_new and not in_old), f"forward contradicted by {value!r}"
