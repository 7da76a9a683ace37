"""The registry of schema versions: list them, resolve one, load its documents offline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from vtcode_exec_events import EVENT_SCHEMA_VERSION, ContextResetEvent, Usage, registry, wire
from vtcode_exec_events.errors import SchemaError, UnknownSchemaVersion

HISTORY = ("0.1.0", "0.2.0", "0.3.0", "0.4.0", "0.7.0", "0.8.0", "0.9.0", "0.10.0", "0.11.0")
KNOWN = ", ".join(registry.versions())


def test_versions_are_every_release_oldest_first() -> None:
    assert registry.versions()[: len(HISTORY)] == HISTORY
    assert registry.latest() == registry.versions()[-1] == EVENT_SCHEMA_VERSION


def test_versions_sort_numerically_not_as_text() -> None:
    assert registry.versions().index("0.10.0") > registry.versions().index("0.9.0")


@pytest.mark.parametrize("version", ["0.5.0", "0.6.0", "0.0.1", "0.11", "v0.11.0", "0.11.0 ", ""])
def test_unknown_versions_name_the_known_ones(version: str) -> None:
    with pytest.raises(UnknownSchemaVersion) as info:
        registry.resolve_version(version)
    assert str(info.value) == f"unknown schema version {version!r} (known: {KNOWN})"
    assert info.value.known == registry.versions()
    assert not info.value.newer
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("version", ["99.0.0", "1.0.0", "0.99.1"])
def test_a_newer_version_is_reported_as_newer(version: str) -> None:
    with pytest.raises(UnknownSchemaVersion) as info:
        registry.resolve_version(version)
    assert info.value.newer
    assert str(info.value) == (
        f"schema version {version!r} is newer than the newest known version "
        f"{registry.latest()!r}; upgrade vtcode-exec-events (known: {KNOWN})"
    )


@pytest.mark.parametrize("version", HISTORY)
def test_load_gives_the_folder_documents_offline(version: str) -> None:
    schema_set = registry.load(version)
    folder = registry.schema_root() / version
    assert schema_set.version == version
    assert dict(schema_set.documents) == {
        p.name: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")
    }
    assert schema_set.thread_event is schema_set.documents[registry.THREAD_EVENT]
    uris = [uri for uri, _ in schema_set.resources()]
    assert all(
        uri.startswith(f"https://vtcode-exec-events.invalid/schema/{version}/") for uri in uris
    )
    assert registry.load(version) is schema_set  # cached


def test_load_of_an_unknown_version_is_the_same_clear_error() -> None:
    with pytest.raises(UnknownSchemaVersion, match=r"known: 0\.1\.0, 0\.2\.0"):
        registry.load("0.5.0")


@pytest.mark.parametrize(
    ("envelope", "version"),
    [
        ({"schema_version": "0.3.0", "event": {"type": "turn.started"}}, "0.3.0"),
        ({"schema_version": "0.11.0", "event": {}}, "0.11.0"),
    ],
)
def test_an_envelope_picks_its_schema_set(envelope: dict[str, object], version: str) -> None:
    assert registry.for_envelope(envelope) is registry.load(version)
    assert wire.models_for(version).version == version


@pytest.mark.parametrize(
    ("envelope", "message"),
    [
        ({"event": {}}, "unknown schema version '<missing>'"),
        ({"schema_version": 4, "event": {}}, "unknown schema version '4'"),
        ({"schema_version": "0.6.0", "event": {}}, "unknown schema version '0.6.0'"),
        ({"schema_version": "9.0.0", "event": {}}, "'9.0.0' is newer than the newest known"),
    ],
)
def test_an_envelope_with_a_bad_version_is_a_clear_error(
    envelope: dict[str, object], message: str
) -> None:
    with pytest.raises(UnknownSchemaVersion, match=re.escape(message)):
        registry.for_envelope(envelope)


def test_a_folder_without_its_entry_documents_is_refused(tmp_path: Path) -> None:
    (tmp_path / "usage.schema.json").write_text("{}")
    with pytest.raises(SchemaError, match="missing entry document"):
        registry.load_folder(tmp_path)


def test_a_folder_with_broken_json_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "thread-event.schema.json").write_text("{oops")
    with pytest.raises(SchemaError, match=re.escape("thread-event.schema.json: cannot load")):
        registry.load_folder(tmp_path)


@pytest.mark.parametrize("version", HISTORY)
def test_every_version_has_models(version: str) -> None:
    models = wire.models_for(version)
    assert models.module.__name__ == f"vtcode_exec_events.models.v{version.replace('.', '_')}"
    assert (models.unknown is None) == (registry.version_key(version) < (0, 4, 0))
    docs = registry.load(version).documents
    for union, document in (("KnownThreadEvent", "events"), ("ThreadItem", "items")):
        defs = docs[f"{document}.schema.json"]["$defs"]
        tags = [
            defs[ref["$ref"].rsplit("/", 1)[-1]]["properties"]["type"]["const"]
            for ref in defs[union]["oneOf"]
        ]
        by_models = models.events if union == "KnownThreadEvent" else models.items
        assert sorted(by_models) == sorted(tags), f"{version}: {union}"


def test_the_top_level_reexports_the_newest_models() -> None:
    newest = "vtcode_exec_events.models.v" + registry.latest().replace(".", "_")
    assert Usage.__module__ == newest
    assert ContextResetEvent.__module__ == newest
