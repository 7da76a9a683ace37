"""Every released schema folder: valid JSON Schema, the same entry documents, and annotations
(``x-vtcode-since``) that agree with the folder's place in the history."""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from vtcode_exec_events import registry

VERSIONS = registry.versions()
KEY = registry.version_key
#: The versions the reference's history table covers; later folders may also remove things.
HISTORY = [v for v in VERSIONS if KEY(v) <= KEY("0.11.0")]


def test_released_versions_are_the_known_history() -> None:
    assert HISTORY == [
        "0.1.0",
        "0.2.0",
        "0.3.0",
        "0.4.0",
        "0.7.0",
        "0.8.0",
        "0.9.0",
        "0.10.0",
        "0.11.0",
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_every_document_passes_the_metaschema(version: str) -> None:
    schema_set = registry.load(version)
    assert set(registry.ENTRY_DOCUMENTS) <= set(schema_set.documents)
    for name, doc in schema_set.documents.items():
        assert doc.get("$schema") == "https://json-schema.org/draft/2020-12/schema", name
        Draft202012Validator.check_schema(doc)


@pytest.mark.parametrize("version", VERSIONS)
def test_same_documents_as_the_newest(version: str) -> None:
    assert set(registry.load(version).documents) == set(registry.load(VERSIONS[-1]).documents)


def _annotations(node: Any, path: str = "") -> list[tuple[str, str]]:
    """Every ``(pointer, since)``: the ``x-vtcode-since`` of nodes and of enum values."""
    out: list[tuple[str, str]] = []
    if isinstance(node, dict):
        if "x-vtcode-since" in node:
            out.append((path, node["x-vtcode-since"]))
        for value, since in node.get("x-vtcode-enum-since", {}).items():
            out.append((f"{path}/enum:{value}", since))
        for key, value in node.items():
            out.extend(_annotations(value, f"{path}/{key}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out.extend(_annotations(value, f"{path}/{index}"))
    return out


@pytest.mark.parametrize("version", VERSIONS)
def test_nothing_arrives_after_its_folder(version: str) -> None:
    for name, doc in registry.load(version).documents.items():
        late = [(p, s) for p, s in _annotations(doc) if KEY(s) > KEY(version)]
        assert not late, f"{version}/{name}: {late}"
        for node_path, since in _annotations(doc):
            assert since in VERSIONS, f"{version}/{name}{node_path}: unreleased {since}"


@pytest.mark.parametrize("version", VERSIONS)
def test_every_enum_value_is_annotated(version: str) -> None:
    for name, doc in registry.load(version).documents.items():
        for def_name, definition in doc.get("$defs", {}).items():
            if "enum" in definition:
                assert list(definition["x-vtcode-enum-since"]) == definition["enum"], (
                    f"{version}/{name}#/$defs/{def_name}"
                )


@pytest.mark.parametrize("version", HISTORY)
def test_each_folder_marks_what_arrived_in_it(version: str) -> None:
    arrived = [
        p
        for doc in registry.load(version).documents.values()
        for p, s in _annotations(doc)
        if s == version
    ]
    assert arrived


@pytest.mark.parametrize("version", VERSIONS)
def test_documents_name_their_version(version: str) -> None:
    for name, doc in registry.load(version).documents.items():
        assert f"schema {version}" in doc["description"], f"{version}/{name}"
        others = set(re.findall(r"schema (\d+\.\d+\.\d+)", doc["description"])) - {version}
        assert not others, f"{version}/{name}"


def _restrict(node: Any, version: str, since_of: dict[str, str]) -> Any:
    """``node`` of a later folder cut down to what had arrived by ``version``."""
    if isinstance(node, list):
        return [_restrict(x, version, since_of) for x in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "description":
            continue
        if key in ("properties", "$defs"):
            out[key] = {
                n: _restrict(s, version, since_of)
                for n, s in value.items()
                if KEY(s["x-vtcode-since"]) <= KEY(version)
            }
        elif key == "x-vtcode-enum-since":
            out[key] = {n: s for n, s in value.items() if KEY(s) <= KEY(version)}
        elif key == "enum" and "x-vtcode-enum-since" in node:
            since = node["x-vtcode-enum-since"]
            out[key] = [e for e in value if KEY(since[e]) <= KEY(version)]
        elif key == "oneOf":
            out[key] = [
                r
                for r in value
                if KEY(since_of.get(r.get("$ref", "").rsplit("/", 1)[-1], version)) <= KEY(version)
            ]
        elif key == "pattern":
            out[key] = None  # the unknown-event pattern lists the known tags: checked apart
        else:
            out[key] = _restrict(value, version, since_of)
    if "required" in out and "properties" in out:
        out["required"] = [r for r in out["required"] if r in out["properties"]]
    return out


def _strip(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: (None if k == "pattern" else _strip(v))
            for k, v in node.items()
            if k != "description"
        }
    if isinstance(node, list):
        return [_strip(x) for x in node]
    return node


@pytest.mark.parametrize(
    ("older", "newer"), list(itertools.pairwise(HISTORY)), ids=lambda v: str(v)
)
def test_older_folder_is_the_newer_one_before_its_additions(older: str, newer: str) -> None:
    """Within the history (additions only), folder N is folder N+1 minus what N+1 added,
    with the same key order: one consistent set of ``x-vtcode-since`` annotations."""
    old_docs = registry.load(older).documents
    new_docs = registry.load(newer).documents
    since_of = {
        name: definition["x-vtcode-since"]
        for doc in new_docs.values()
        for name, definition in doc.get("$defs", {}).items()
    }
    for name, new_doc in new_docs.items():
        derived = _restrict(new_doc, older, since_of)
        actual = _strip(old_docs[name])
        if name == registry.THREAD_EVENT and "$ref" in actual:
            # Before the unknown-event catch-all the entry is the known union alone.
            assert KEY(older) < KEY("0.4.0")
            assert actual["$ref"].endswith("/KnownThreadEvent")
            continue
        # Compared as text, so key order (Rust declaration order) must agree as well.
        assert json.dumps(derived) == json.dumps(actual), (
            f"{older}/{name} differs from {newer}/{name} cut down to {older}"
        )


@pytest.mark.parametrize("version", VERSIONS)
def test_unknown_event_pattern_excludes_exactly_the_known_tags(version: str) -> None:
    events = registry.load(version).documents["events.schema.json"]["$defs"]
    tags = [
        events[ref["$ref"].rsplit("/", 1)[-1]]["properties"]["type"]["const"]
        for ref in events["KnownThreadEvent"]["oneOf"]
    ]
    if KEY(version) < KEY("0.4.0"):
        assert "UnknownThreadEvent" not in events
        return
    pattern = re.compile(events["UnknownThreadEvent"]["properties"]["type"]["pattern"])
    for tag in tags:
        assert not pattern.search(tag), tag
    for other in ("Unknown", "future.event", "thread.started.v2", "xerror", "", "error\n"):
        assert pattern.search(other), other
