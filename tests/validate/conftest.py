"""Shared helpers for the validate tests: data paths, the reference validator, the CLI."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from vtcode_exec_events import registry
from vtcode_exec_events.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "validate"


@functools.cache
def reference(version: str, entry: str) -> Draft202012Validator:
    """Python jsonschema on a released entry document, every $ref resolved offline."""
    schemas = registry.load(version)
    resources = [(uri, Resource.from_contents(doc)) for uri, doc in schemas.resources()]
    reg: Registry[Any] = Registry().with_resources(resources)
    return Draft202012Validator({"$ref": schemas.uri(entry)}, registry=reg)


def reference_accepts(value: Any, version: str) -> bool:
    """The reference verdict on one line's value, routed as the validator routes it:
    an envelope against its own version (an unknown version is invalid, a well-formed one
    newer than the newest is read with the newest), else ``version``."""
    if (
        isinstance(value, dict)
        and "type" not in value
        and ("event" in value or "schema_version" in value)
    ):
        own = value.get("schema_version")
        if isinstance(own, str) and _newer(own):
            own = registry.latest()
        if own not in registry.versions():
            return False
        return reference(own, registry.VERSIONED_THREAD_EVENT).is_valid(value)
    return reference(version, registry.THREAD_EVENT).is_valid(value)


def _newer(version: str) -> bool:
    try:
        return registry.version_key(version) > registry.version_key(registry.latest())
    except ValueError:
        return False


def run_cli(*args: str, input: bytes | None = None) -> tuple[int, str]:
    """Run ``vtcode-exec-events validate ARGS``; return the exit code and stdout."""
    result = CliRunner().invoke(main, ["validate", *args], input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout


def run_json(*args: str, input: bytes | None = None) -> tuple[int, dict[str, Any]]:
    code, out = run_cli("--format", "json", *args, input=input)
    return code, json.loads(out)


@pytest.fixture
def write(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write bytes to a file under tmp_path and return its path as a string."""

    def _write(name: str, data: bytes) -> str:
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return _write
