"""Oracle for the history tests: the verdict of a line under one schema version,
from the generated models and, independently, from jsonschema over the version's documents."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson
from jsonschema import Draft202012Validator
from pydantic import TypeAdapter, ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from vtcode_exec_events import registry, wire
from vtcode_exec_events.errors import WireFormatError

DATA = Path(__file__).resolve().parents[1] / "data" / "history"

#: Verdicts a case can expect: a known event (or a valid instance), the unknown-event
#: catch-all, a rejection; envelopes may also expect a schema-version error.
ACCEPT = frozenset({"valid", "unknown"})


def read_jsonl(name: str) -> list[dict[str, Any]]:
    path = DATA / name
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def expected(expect: Mapping[str, str], version: str) -> str:
    """The verdict a piecewise ``{from_version: verdict}`` table gives for ``version``."""
    key = registry.version_key
    starts = [v for v in expect if key(v) <= key(version)]
    assert starts, f"expectation {dict(expect)} does not cover {version}"
    return expect[max(starts, key=key)]


@functools.cache
def offline_registry(version: str) -> Registry[Any]:
    """A referencing registry holding exactly the documents of one version; nothing remote."""
    schema_set = registry.load(version)
    return Registry().with_resources(
        (uri, DRAFT202012.create_resource(doc)) for uri, doc in schema_set.resources()
    )


@functools.cache
def schema_validator(version: str, document: str, definition: str = "") -> Draft202012Validator:
    """A validator for one entry document, or one ``$defs`` entry of a document."""
    schema_set = registry.load(version)
    ref = schema_set.uri(document) + (f"#/$defs/{definition}" if definition else "")
    return Draft202012Validator({"$ref": ref}, registry=offline_registry(version))


def definition_document(version: str, name: str) -> str | None:
    """The document of ``version`` that defines ``name`` under ``$defs``, if any."""
    for file, doc in registry.load(version).documents.items():
        if name in doc.get("$defs", {}):
            return file
    return None


def schema_verdict(case: Mapping[str, Any], version: str) -> str:
    """``valid`` or ``invalid`` by jsonschema; it cannot tell a known event from an unknown one."""
    if "target" in case:
        document = definition_document(version, case["target"])
        if document is None:
            return "invalid"
        validator = schema_validator(version, document, case["target"])
        return "valid" if validator.is_valid(case["instance"]) else "invalid"
    validator = schema_validator(version, registry.THREAD_EVENT)
    return "valid" if validator.is_valid(case["line"]) else "invalid"


def model_verdict(case: Mapping[str, Any], version: str) -> str:
    """``valid``, ``unknown`` or ``invalid`` by the generated models of ``version``."""
    models = wire.models_for(version)
    if "target" in case:
        cls = getattr(models.module, case["target"], None)
        if cls is None:
            return "invalid"
        try:
            TypeAdapter(cls).validate_json(orjson.dumps(case["instance"]), strict=True)
        except ValidationError:
            return "invalid"
        return "valid"
    try:
        event = wire.parse_event(json.dumps(case["line"]), schema_version=version)
    except WireFormatError:
        return "invalid"
    if models.unknown is not None and isinstance(event, models.unknown):
        return "unknown"
    assert type(event) is models.events[case["line"]["type"]]
    return "valid"


def read_rows() -> list[dict[str, Any]]:
    """The rows of the reference's schema history table."""
    rows: list[dict[str, Any]] = json.loads((DATA / "rows.json").read_text(encoding="utf-8"))[
        "rows"
    ]
    return rows
