"""The timeline's text comes from tables: one function per event type and per item kind,
for every type and kind any released schema knows; and it does not lean on ``stats``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from vtcode_exec_events import registry
from vtcode_exec_events.consumers import timeline
from vtcode_exec_events.validate import schemas

SOURCE = Path(timeline.__file__)


@pytest.mark.parametrize("version", registry.versions())
def test_every_event_type_and_item_kind_has_a_row(version: str) -> None:
    known = schemas.for_version(version)
    assert set(known.events) <= set(timeline.EVENT_ENTRIES)
    assert set(known.items) <= set(timeline.ITEM_SUMMARIES)


def test_the_timeline_does_not_import_from_stats() -> None:
    tree = ast.parse(SOURCE.read_text("utf-8"))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "vtcode_exec_events.consumers.stats" not in imported
