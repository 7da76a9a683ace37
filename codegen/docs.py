"""Write docs/vocabulary.md, the vocabulary reference, from the schema documents (`nox -s docs`).

Every event, item, object, field and enum value of the newest version, with the version it
arrived in (the ``x-vtcode-since`` / ``x-vtcode-enum-since`` annotations) and whether an enum
accepts unknown values (``x-vtcode-catch-all``), with an example line from examples/logs/
where one exists; an index of what each version added; and
anything an older version had that the newest no longer has. Standard library only, so it
runs anywhere. ``--check`` fails, naming the command to run, when the file is out of date.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "schema"
EXAMPLES = ROOT / "examples" / "logs"
OUTPUT = ROOT / "docs" / "vocabulary.md"
COMMAND = "nox -s docs"

Schema = dict[str, Any]

INTEGER_NAMES = {
    (0, 2**64 - 1): "u64",
    (0, 2**32 - 1): "u32",
    (0, 2**8 - 1): "u8",
    (-(2**31), 2**31 - 1): "i32",
}


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def released() -> list[str]:
    names = [p.name for p in SCHEMA.iterdir() if p.is_dir() and p.name.count(".") == 2]
    return sorted(names, key=version_key)


def load(version: str) -> dict[str, Schema]:
    folder = SCHEMA / version
    return {
        p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))
    }


def definitions(documents: dict[str, Schema]) -> dict[str, Schema]:
    """Every ``$defs`` entry of a version, by name (names are unique across a folder)."""
    out: dict[str, Schema] = {}
    for document in documents.values():
        out.update(document.get("$defs", {}))
    return out


def ref_name(ref: str) -> str:
    """``events.schema.json#/$defs/Foo`` -> ``Foo``; a whole document -> ``ThreadEvent``."""
    _, _, pointer = ref.partition("#")
    if pointer:
        return pointer.rsplit("/", 1)[-1]
    return "Events"


def anchor(name: str) -> str:
    return name.lower()


def link(name: str) -> str:
    return f"[{name}](#{anchor(name)})"


def type_of(node: Schema) -> str:
    """A short, readable type for a property schema."""
    if "$ref" in node:
        return link(ref_name(node["$ref"]))
    if "anyOf" in node:
        branches = node["anyOf"]
        refs = [b for b in branches if "$ref" in b]
        if refs and any(b.get("type") == "string" for b in branches):
            return f"{type_of(refs[0])} or any string"
        return " or ".join(type_of(b) for b in branches)
    if "const" in node:
        return f"`{json.dumps(node['const'])}`"
    types = node.get("type")
    if types is None:
        return "any JSON value"
    names = [t for t in (types if isinstance(types, list) else [types]) if t != "null"]
    if names == ["integer"] or names == ["integer", "number"]:
        bounds = (node.get("minimum"), node.get("maximum"))
        name = INTEGER_NAMES.get(bounds) if None not in bounds else None  # type: ignore[arg-type]
        base = "number" if "number" in names else "integer"
        return f"{base} ({name})" if name else base
    if names == ["array"]:
        return "array of " + type_of(node.get("items", {}))
    return " or ".join(names)


def presence(name: str, node: Schema, required: list[str]) -> str:
    if name in required:
        return "required"
    if "default" in node:
        return f"defaults to `{json.dumps(node['default'])}`; always written"
    return "optional; omitted when unset"


def cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def fields_table(definition: Schema) -> list[str]:
    required = definition.get("required", [])
    rows = [
        "| field | type | presence | since | description |",
        "|---|---|---|---|---|",
    ]
    for name, node in definition.get("properties", {}).items():
        rows.append(
            f"| `{name}` | {type_of(node)} | {presence(name, node, required)} "
            f"| {node.get('x-vtcode-since', '?')} | {cell(node.get('description', ''))} |"
        )
    return rows


def heading(level: int, name: str, label: str) -> list[str]:
    return [f'<a id="{anchor(name)}"></a>', "", f"{'#' * level} {label}", ""]


def tag_of(definition: Schema) -> str:
    return str(definition["properties"]["type"]["const"])


def branch_names(definition: Schema) -> list[str]:
    return [ref_name(branch["$ref"]) for branch in definition.get("oneOf", [])]


def samples() -> dict[str, tuple[str, str]]:
    """``event tag`` or ``item:kind`` -> (log file, the first such event in examples/logs)."""
    found: dict[str, tuple[str, str]] = {}
    for log in sorted(EXAMPLES.glob("*.jsonl")):
        for line in log.read_text(encoding="utf-8").splitlines():
            value = json.loads(line)
            event = value["event"] if "schema_version" in value else value
            text = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
            where = f"examples/logs/{log.name}"
            found.setdefault(str(event.get("type")), (where, text))
            item = event.get("item")
            if isinstance(item, dict) and event.get("type") == "item.completed":
                found.setdefault(f"item:{item.get('type')}", (where, text))
    return found


def object_section(
    name: str, definition: Schema, label: str, sample: tuple[str, str] | None = None
) -> list[str]:
    since = definition.get("x-vtcode-since", "?")
    example = []
    if sample is not None:
        example = [f"Example, from `{sample[0]}`:", "", "```json", sample[1], "```", ""]
    return [
        *heading(3, name, label),
        f"{cell(definition.get('description', ''))} Since **{since}**.",
        "",
        *fields_table(definition),
        "",
        *example,
    ]


def enum_section(name: str, definition: Schema) -> list[str]:
    catch_all = definition.get("x-vtcode-catch-all")
    since = definition.get("x-vtcode-enum-since", {})
    accepts = (
        f"**Open:** any other string is accepted and read as `{catch_all}`."
        if catch_all
        else "**Closed:** any other value makes the whole line invalid."
    )
    rows = [
        *heading(3, name, f"`{name}`"),
        f"{cell(definition.get('description', ''))} Since **{definition.get('x-vtcode-since')}**."
        f" {accepts}",
        "",
        "| value | since |",
        "|---|---|",
    ]
    rows += [f"| `{value}` | {since.get(value, '?')} |" for value in definition["enum"]]
    return [*rows, ""]


def inventory(version: str) -> set[str]:
    """Everything a version names: definitions, fields, enum values, event tags, item kinds."""
    defs = definitions(load(version))
    found: set[str] = set()
    for name, definition in defs.items():
        found.add(f"definition `{name}`")
        for field in definition.get("properties", {}):
            found.add(f"field `{name}.{field}`")
        for value in definition.get("enum", []):
            found.add(f"value `{name}.{value}`")
    return found


def arrivals(documents: dict[str, Schema]) -> dict[str, list[tuple[int, str]]]:
    """Version -> ``(order, text)`` of what the newest schema says arrived in it."""
    out: dict[str, list[tuple[int, str]]] = {}
    defs = definitions(documents)
    events = {n: tag_of(defs[n]) for n in branch_names(defs["KnownThreadEvent"])}
    items = {n: tag_of(defs[n]) for n in branch_names(defs["ThreadItem"])}
    for name, definition in defs.items():
        if name in ("KnownThreadEvent", "ThreadItem"):
            continue
        since = definition.get("x-vtcode-since")
        if name in events:
            what = (0, f"event `{events[name]}` ({link(name)})")
        elif name in items:
            what = (1, f"item `{items[name]}` ({link(name)})")
        elif name == "UnknownThreadEvent":
            what = (0, f"unknown event types are accepted ({link(name)})")
        elif "enum" in definition:
            what = (4, f"enum {link(name)}")
        else:
            what = (2, f"object {link(name)}")
        if since:
            out.setdefault(since, []).append(what)
        for field, node in definition.get("properties", {}).items():
            field_since = node.get("x-vtcode-since")
            if field_since and field_since != since and field != "type":
                out.setdefault(field_since, []).append(
                    (2, f"field [`{name}.{field}`](#{anchor(name)})")
                )
        for value, value_since in definition.get("x-vtcode-enum-since", {}).items():
            if value_since != since:
                out.setdefault(value_since, []).append(
                    (3, f"value [`{name}.{value}`](#{anchor(name)})")
                )
    return out


def sections(versions: list[str]) -> Iterator[str]:
    newest = versions[-1]
    documents = load(newest)
    defs = definitions(documents)
    events = branch_names(defs["KnownThreadEvent"])
    items = branch_names(defs["ThreadItem"])
    enums = [n for n, d in defs.items() if "enum" in d]
    listed = {*events, *items, *enums, "KnownThreadEvent", "UnknownThreadEvent", "ThreadItem"}
    objects = [n for n, d in defs.items() if n not in listed and "properties" in d]
    envelope = documents["versioned-thread-event.schema.json"]

    yield f"""# Vocabulary reference (schema {newest})

<!-- Generated by `{COMMAND}` (codegen/docs.py) from schema/{newest}/ and the older folders.
     Do not edit by hand: CI fails when this file differs from what the command writes. -->

Every event, item, object, field and enum value of schema **{newest}**, and the version each
arrived in (the `x-vtcode-since` annotations of the schema documents). Released versions:
{", ".join(versions)} (0.5.0 and 0.6.0 were never released).

How to read a line:

- A line is one JSON object: a bare [event](#events), or the
  [envelope](#versionedthreadevent) `{{"schema_version": "…", "event": {{…}}}}`.
- Events are tagged on `type` (`thread.started`, `item.completed`, …). An event type this
  version does not know is accepted as an *unknown event* (from 0.4.0 on); a known type with
  a bad payload is an error, never an unknown event.
- Items are tagged on their own `type` (`command_execution`, …) next to their `id`. An
  unknown item kind makes the line invalid.
- *optional* fields are omitted when unset (`null` is accepted on input);
  *defaults* are written even when empty.
- Unknown fields are accepted everywhere and ignored.
- Open enums accept any string (readers must cope with values added later); closed enums
  reject unknown values.

Contents: [versions](#what-each-version-added) · [envelope](#envelope) ·
[events](#events) · [items](#items) · [objects](#objects) · [enums](#enums)

## What each version added
"""
    added = arrivals(documents)
    for version in versions:
        things = [text for _, text in sorted(added.get(version, []), key=lambda t: t[0])]
        yield f"- **{version}**" + ("" if things else ": no vocabulary change")
        yield from (f"  - {text}" for text in things)
    removed = sorted(set().union(*(inventory(v) for v in versions[:-1])) - inventory(newest))
    yield ""
    if removed:
        yield "Named by an older version but gone from " + newest + ": " + ", ".join(removed)
        yield ""
    yield "## Envelope\n"
    yield from object_section("VersionedThreadEvent", envelope, "`VersionedThreadEvent`")
    yield "## Events\n"
    yield (
        "| `type` | model | since |\n|---|---|---|\n"
        + "\n".join(
            f"| `{tag_of(defs[n])}` | {link(n)} | {defs[n].get('x-vtcode-since')} |" for n in events
        )
        + f"\n| any other string | {link('UnknownThreadEvent')} "
        f"| {defs['UnknownThreadEvent'].get('x-vtcode-since')} |\n"
    )
    examples = samples()
    for name in events:
        tag = tag_of(defs[name])
        yield from object_section(name, defs[name], f"`{tag}`: {name}", examples.get(tag))
    unknown = defs["UnknownThreadEvent"]
    yield from heading(3, "UnknownThreadEvent", "Unknown events: UnknownThreadEvent")
    yield (
        f"{cell(unknown.get('description', ''))} Since **{unknown.get('x-vtcode-since')}**; "
        "before that an unknown `type` makes the line invalid. The models keep the `type`.\n"
    )
    yield from heading(2, "ThreadItem", "Items")
    yield (
        f"{cell(defs['ThreadItem'].get('description', ''))} Every item has `id` and `type`.\n\n"
        "| `type` | model | since |\n|---|---|---|\n"
        + "\n".join(
            f"| `{tag_of(defs[n])}` | {link(n)} | {defs[n].get('x-vtcode-since')} |" for n in items
        )
        + "\n"
    )
    for name in items:
        kind = tag_of(defs[name])
        yield from object_section(
            name, defs[name], f"`{kind}`: {name}", examples.get(f"item:{kind}")
        )
    yield "## Objects\n"
    for name in objects:
        yield from object_section(name, defs[name], f"`{name}`")
    yield "## Enums\n"
    for name in enums:
        yield from enum_section(name, defs[name])


def render() -> str:
    text = "\n".join(sections(released()))
    return text.rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
        if current != text:
            shown = os.path.relpath(args.output, ROOT)
            print(
                f"{shown} is out of date with schema/ and examples/logs/: "
                f"run `{COMMAND}` and commit the result",
                file=sys.stderr,
            )
            return 1
        print(f"{args.output.name} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
