"""Differential test against the crate itself, when its oracle is built (skipped otherwise).

``tests/atif/oracle/build.sh VTCODE_CHECKOUT`` builds VT Code's own builder behind a small
CLI; ``VTCODE_ATIF_ORACLE=<its path>`` runs this test: events generated from the schema go to
both, and the crate-compatible bytes must be identical.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vtcode_exec_events as vee
from tests.foundation.strategies import from_schema
from vtcode_exec_events import registry
from vtcode_exec_events.atif import dumps_crate
from vtcode_exec_events.bundle import bundle

from .conftest import UUID4, build

ORACLE = os.environ.get("VTCODE_ATIF_ORACLE")
pytestmark = pytest.mark.skipif(
    not ORACLE, reason="VTCODE_ATIF_ORACLE is not set (tests/atif/oracle/build.sh builds it)"
)
DOC = bundle(registry.load("0.11.0"), registry.THREAD_EVENT)
IDS = st.sampled_from(["a", "b", "a:output"])
CALLS = st.sampled_from(["a", "b"])


def _random_id(text: bytes) -> bytes:
    return re.sub(f'"session_id":"{UUID4}"'.encode(), b'"session_id":"R"', text)


@settings(
    max_examples=int(os.environ.get("ATIF_EXAMPLES", "500")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(st.lists(st.tuples(from_schema(DOC, DOC), IDS, CALLS), max_size=14))
def test_crate_mode_matches_the_crate(drawn: list[tuple[Any, str, str]]) -> None:
    lines = []
    for value, item_id, call_id in drawn:
        item = value.get("item") if isinstance(value, dict) else None
        if isinstance(item, dict):
            item["id"] = item_id
            if "call_id" in item:
                item["call_id"] = call_id
        try:
            lines.append(vee.dumps(vee.parse_event(json.dumps(value))))
        except vee.WireFormatError:
            continue
    assert ORACLE is not None
    crate = subprocess.run(
        [ORACLE, "fixed"],
        input="".join(line + "\n" for line in lines).encode(),
        capture_output=True,
        check=True,
        timeout=30,
    )
    assert crate.stderr == b""  # the crate decoded every line we consider valid
    ours = dumps_crate(build(vee.parse_event(line) for line in lines).crate_document())
    assert _random_id(ours) == _random_id(crate.stdout.rstrip(b"\n"))
