"""Every trajectory the default mode writes is valid ATIF, for events generated from the schema."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vtcode_exec_events as vee
from tests.foundation.strategies import from_schema
from vtcode_exec_events import registry
from vtcode_exec_events.atif import AtifBuilder, EmptyTrajectoryError, Trajectory, dumps, problems
from vtcode_exec_events.atif.inputs import rfc3339_now
from vtcode_exec_events.bundle import bundle

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
#: Item ids and call ids from a small pool, so invocations and outputs pair up often.
IDS = st.sampled_from(["a", "b", "a:output"])
CALLS = st.sampled_from(["a", "b"])


def _events(version: str) -> st.SearchStrategy[list[tuple[Any, str, str]]]:
    doc = bundle(registry.load(version), registry.THREAD_EVENT)
    return st.lists(st.tuples(from_schema(doc, doc), IDS, CALLS), max_size=14)


def _feed(builder: AtifBuilder, drawn: list[tuple[Any, str, str]], version: str) -> None:
    for value, item_id, call_id in drawn:
        item = value.get("item") if isinstance(value, dict) else None
        if isinstance(item, dict):
            item["id"] = item_id
            if "call_id" in item:
                item["call_id"] = call_id
        try:
            event = vee.parse_event(json.dumps(value), schema_version=version)
        except vee.WireFormatError:
            continue  # the models reject it (VT Code's decoder would): not an event
        builder(event)


@pytest.mark.parametrize("version", ["0.11.0", "0.4.0"])
def test_default_mode_output_is_valid_atif(version: str) -> None:
    upstream = pytest.importorskip("atif", reason="the upstream models need Python 3.11+")

    @SETTINGS
    @given(_events(version), st.booleans())
    def check(drawn: list[tuple[Any, str, str]], stamped: bool) -> None:
        builder = AtifBuilder(clock=rfc3339_now if stamped else None)
        _feed(builder, drawn, version)
        crate = builder.crate_document()
        try:
            trajectory = builder.finish()
        except EmptyTrajectoryError:
            assert crate["steps"] == []
            return
        data = dumps(trajectory)
        document = orjson.loads(data)
        upstream.Trajectory.model_validate(document)
        assert problems(document) == []
        assert Trajectory.model_validate_json(data) == trajectory
        assert len(document["steps"]) == len(crate["steps"])
        assert document["final_metrics"] == crate["final_metrics"]

    check()
