"""Shared helpers for the foundation tests: offline jsonschema validators per version."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from vtcode_exec_events import registry

DATA = Path(__file__).resolve().parents[1] / "data" / "foundation"


@functools.cache
def validator(version: str, entry: str) -> Draft202012Validator:
    """A jsonschema validator for one entry document, resolving $refs offline."""
    schemas = registry.load(version)
    resources = [(uri, Resource.from_contents(doc)) for uri, doc in schemas.resources()]
    reg: Registry[Any] = Registry().with_resources(resources)
    return Draft202012Validator({"$ref": schemas.uri(entry)}, registry=reg)


def schema_accepts(value: Any, version: str | None = None) -> bool:
    """The schema's verdict on one line's value, routed as the validator routes it."""
    if isinstance(value, dict) and "type" not in value and "schema_version" in value:
        v = value["schema_version"]
        if not isinstance(v, str) or v not in registry.versions():
            return False
        return validator(v, registry.VERSIONED_THREAD_EVENT).is_valid(value)
    return validator(version or registry.latest(), registry.THREAD_EVENT).is_valid(value)


def load_json(name: str) -> Any:
    return json.loads((DATA / name).read_text("utf-8"))
