"""The generator: schema text stays inert in generated code, and drift in generated/ is caught."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.foundation.codegen_project import copy_project, run_generate

ROOT = Path(__file__).resolve().parents[2]
DRAFT = "https://json-schema.org/draft/2020-12/schema"
NASTY = "quote \" apostrophe ' backslash \\ triple \"\"\" and ''' newline\n{braces} %s $x"
INJECTION = '"""\nimport os\nos.environ["VTCODE_PWNED"] = "1"\n"""'


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


GENERATE = _load(ROOT / "codegen" / "generate.py", "vtcode_codegen_generate")


def _nasty_folder(folder: Path) -> None:
    since = {"x-vtcode-since": "0.1.0"}
    enums = {
        "$schema": DRAFT,
        "title": "Enums",
        "description": NASTY,
        "$defs": {
            "Mood": {
                "title": "Mood",
                "description": INJECTION,
                "type": "string",
                "enum": ['it\'s "fine"', "back\\slash", "new\nline", '"""'],
                **since,
            }
        },
    }
    events = {
        "$schema": DRAFT,
        "title": "Events",
        "description": NASTY,
        "$defs": {
            "KnownThreadEvent": {
                "title": "KnownThreadEvent",
                "description": NASTY,
                "oneOf": [{"$ref": "#/$defs/MoodEvent"}],
                "discriminator": {"propertyName": "type"},
                **since,
            },
            "MoodEvent": {
                "title": "MoodEvent",
                "description": INJECTION,
                "type": "object",
                "properties": {
                    "type": {"const": "mood.changed", "type": "string", "description": NASTY},
                    "mood": {"$ref": "enums.schema.json#/$defs/Mood", "description": INJECTION},
                },
                "required": ["type", "mood"],
                **since,
            },
        },
    }
    entry = {
        "$schema": DRAFT,
        "title": "ThreadEvent",
        "description": NASTY,
        "$ref": "events.schema.json#/$defs/KnownThreadEvent",
    }
    envelope = {
        "$schema": DRAFT,
        "title": "VersionedThreadEvent",
        "description": INJECTION,
        "type": "object",
        "properties": {
            "schema_version": {"type": "string", "description": NASTY},
            "event": {"$ref": "thread-event.schema.json", "description": NASTY},
        },
        "required": ["schema_version", "event"],
    }
    folder.mkdir()
    for name, doc in {
        "enums.schema.json": enums,
        "events.schema.json": events,
        "thread-event.schema.json": entry,
        "versioned-thread-event.schema.json": envelope,
    }.items():
        (folder / name).write_text(json.dumps(doc), "utf-8")


def test_schema_text_stays_inert_in_generated_code(tmp_path: Path) -> None:
    _nasty_folder(tmp_path / "9.9.9")
    target = tmp_path / "out" / "nasty_models.py"
    target.parent.mkdir()
    assert GENERATE.generate_module(tmp_path / "9.9.9", "9.9.9", target)
    os.environ.pop("VTCODE_PWNED", None)
    module = _load(target, "vtcode_nasty_models")
    assert "VTCODE_PWNED" not in os.environ
    assert [m.value for m in module.Mood] == ['it\'s "fine"', "back\\slash", "new\nline", '"""']
    event = module.MoodEvent.model_validate({"type": "mood.changed", "mood": "new\nline"})
    assert event.mood is module.Mood("new\nline")
    # The text survives as documentation, not as code.
    source = target.read_text("utf-8")
    assert "os.environ" in source
    compile(source, str(target), "exec")


def test_check_generated_fails_after_a_hand_edit(tmp_path: Path) -> None:
    # One version: each run generates every version of the copy (several seconds each).
    project = copy_project(tmp_path / "p", ["0.2.0"])
    assert run_generate(project).returncode == 0
    assert run_generate(project, "--check").returncode == 0
    models = project / "generated" / "vtcode_exec_events" / "models"
    module = models / "v0_2_0.py"
    module.write_text(module.read_text("utf-8").replace("class PlanItem", "class PlanItemX"))
    (models / "stale.py").write_text("x = 1\n")
    result = run_generate(project, "--check")
    assert result.returncode == 1
    assert "generated/vtcode_exec_events/models/v0_2_0.py" in result.stderr
    assert "stale.py (stale)" in result.stderr
    assert "Run `nox -s generate`" in result.stderr
    assert run_generate(project).returncode == 0
    assert run_generate(project, "--check").returncode == 0
    assert not (models / "stale.py").exists()


def test_generation_is_deterministic(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", ["0.4.0"])
    assert run_generate(project).returncode == 0
    module = project / "generated" / "vtcode_exec_events" / "models" / "v0_4_0.py"
    first = module.read_bytes()
    assert run_generate(project).returncode == 0
    assert module.read_bytes() == first
    assert (
        first == (ROOT / "generated" / "vtcode_exec_events" / "models" / "v0_4_0.py").read_bytes()
    )


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["$defs"]["ThreadItem"]["oneOf"].append({"type": "object"}),
            "must require 'type' with a string const",
        ),
        (lambda d: d["$defs"]["PlanItem"].__setitem__("title", "Plan"), "title must equal"),
        (
            lambda d: d["$defs"].__setitem__("Usage", {"title": "Usage", "description": "x"}),
            "$defs name 'Usage' also in",
        ),
        (
            lambda d: d["$defs"]["PlanItem"]["properties"]["text"].pop("description"),
            "property needs a description",
        ),
        (
            lambda d: d["$defs"]["PlanItem"].__setitem__("$ref", "https://example.com/x.json"),
            "is not relative",
        ),
    ],
)
def test_schema_lint_rejects_generator_traps(tmp_path: Path, mutate: Any, message: str) -> None:
    from vtcode_exec_events.lint import lint_folder

    folder = tmp_path / "0.11.0"
    shutil.copytree(ROOT / "schema" / "0.11.0", folder)
    assert lint_folder(folder) == []
    items = folder / "items.schema.json"
    doc = json.loads(items.read_text("utf-8"))
    mutate(doc)
    items.write_text(json.dumps(doc), "utf-8")
    problems = [str(p) for p in lint_folder(folder)]
    assert any(message in p for p in problems), problems
    assert all(p.startswith("0.11.0/") and ".schema.json#" in p for p in problems)


def test_every_released_folder_passes_the_metaschema_and_the_lint() -> None:
    from vtcode_exec_events import registry
    from vtcode_exec_events.lint import lint_folder

    for version in registry.versions():
        assert lint_folder(registry.schema_root() / version) == [], version


def test_event_is_every_tag_of_the_newest_schema_and_the_unknown_event() -> None:
    """``vtcode_exec_events.Event`` comes from the generated newest.py: one member per tag."""
    import typing

    import vtcode_exec_events

    members = typing.get_args(vtcode_exec_events.Event)
    tags = [m.model_fields["type"].default for m in members[:-1]]
    folder = ROOT / "schema" / vtcode_exec_events.EVENT_SCHEMA_VERSION
    known = "".join(p.read_text("utf-8") for p in folder.glob("*.json"))
    assert members[-1].__name__ == "UnknownThreadEvent"
    assert len(set(tags)) == len(tags) == 17
    assert all(f'"{tag}"' in known for tag in tags)
