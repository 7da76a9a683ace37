"""Schema lint: reject what datamodel-code-generator would silently get wrong, before it runs.

Run as ``python -m vtcode_exec_events.lint [FOLDER...]`` (default: every folder under
``schema/``); ``nox -s lint`` does. Each problem names the file and the JSON pointer.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator

from vtcode_exec_events import pointer as jp
from vtcode_exec_events.errors import SchemaError
from vtcode_exec_events.registry import (
    ENTRY_DOCUMENTS,
    SchemaSet,
    load_folder,
    schema_root,
    version_key,
)

__all__ = ["Problem", "lint_folder", "lint_set", "main"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SINCE = "x-vtcode-since"
ENUM_SINCE = "x-vtcode-enum-since"


@dataclass(frozen=True)
class Problem:
    """One lint finding: where it is and what is wrong."""

    file: str
    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}#{self.pointer}: {self.message}"


def _walk(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Every schema object below ``node`` (inclusive), with its pointer."""
    if isinstance(node, dict):
        yield pointer, node
        for key, value in node.items():
            if key in ("const", "enum", "default", "examples", ENUM_SINCE):
                continue
            yield from _walk(value, f"{pointer}/{jp.escape(key)}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{pointer}/{index}")


def _resolve(schemas: SchemaSet, current: str, ref: str) -> tuple[str, str, Any] | None:
    name, _, pointer = ref.partition("#")
    name = name or current
    try:
        return name, pointer, schemas.resolve_pointer(name, pointer)
    except SchemaError:
        return None


def _check_ref(schemas: SchemaSet, file: str, pointer: str, ref: Any) -> Iterator[Problem]:
    if not isinstance(ref, str):
        yield Problem(file, pointer, "$ref must be a string")
        return
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or ref.startswith("/"):
        yield Problem(file, pointer, f"$ref {ref!r} is not relative: only refs inside the folder")
    elif _resolve(schemas, file, ref) is None:
        yield Problem(file, pointer, f"$ref {ref!r} does not resolve inside the folder")


def _branch_tag(
    schemas: SchemaSet, file: str, branch: Any, prop: str
) -> tuple[str | None, str | None]:
    """``(tag, error)`` for one discriminated branch."""
    target: Any = branch
    where = file
    if isinstance(branch, dict) and "$ref" in branch:
        found = _resolve(schemas, file, branch["$ref"])
        if found is None:
            return None, f"branch $ref {branch['$ref']!r} does not resolve"
        where, _, target = found
    if not isinstance(target, dict):
        return None, "branch is not a schema object"
    required = target.get("required", [])
    spec = target.get("properties", {}).get(prop)
    if prop not in required or not isinstance(spec, dict) or not isinstance(spec.get("const"), str):
        title = target.get("title", where)
        return None, (
            f"branch {title!r} must require {prop!r} with a string const "
            "(the generator writes a corrupt Literal otherwise)"
        )
    return spec["const"], None


def _check_union(
    schemas: SchemaSet, file: str, pointer: str, node: dict[str, Any]
) -> Iterator[Problem]:
    disc = node.get("discriminator")
    if disc is None:
        return
    prop = disc.get("propertyName") if isinstance(disc, dict) else None
    if not isinstance(prop, str):
        yield Problem(file, pointer + "/discriminator", "needs a string propertyName")
        return
    branches = node.get("oneOf")
    if not isinstance(branches, list) or not branches:
        yield Problem(file, pointer, "a discriminator must sit next to a non-empty oneOf")
        return
    seen: dict[str, int] = {}
    for index, branch in enumerate(branches):
        tag, error = _branch_tag(schemas, file, branch, prop)
        if error:
            yield Problem(file, f"{pointer}/oneOf/{index}", error)
        elif tag in seen:
            yield Problem(
                file, f"{pointer}/oneOf/{index}", f"tag {tag!r} repeats branch {seen[tag]}"
            )
        elif tag is not None:
            seen[tag] = index


def _check_since(version: str, file: str, pointer: str, node: dict[str, Any]) -> Iterator[Problem]:
    since = node.get(SINCE)
    if not isinstance(since, str):
        yield Problem(file, pointer, f"missing {SINCE!r} (the version it arrived in)")
        return
    try:
        if version_key(since) > version_key(version):
            yield Problem(file, pointer, f"{SINCE} {since} is newer than the folder {version}")
    except ValueError:
        yield Problem(file, pointer, f"{SINCE} {since!r} is not a version")


def lint_set(schemas: SchemaSet) -> list[Problem]:
    """Every problem in one version's documents."""
    problems: list[Problem] = []
    add = problems.append
    for entry in ENTRY_DOCUMENTS:
        if entry not in schemas.documents:
            add(Problem(entry, "", "entry document is missing"))
    owner: dict[str, str] = {}
    for file, doc in schemas.documents.items():
        if doc.get("$schema") != DRAFT:
            add(Problem(file, "/$schema", f"must be {DRAFT!r}"))
        for error in Draft202012Validator(Draft202012Validator.META_SCHEMA).iter_errors(doc):
            where = jp.join(error.absolute_path)
            add(Problem(file, where, f"metaschema: {error.message}"))
        if "$id" in doc:
            add(Problem(file, "/$id", "no $id: documents resolve relative to their folder"))
        for key in ("title", "description"):
            if not isinstance(doc.get(key), str) or not doc[key]:
                add(Problem(file, "", f"document needs a {key}"))
        for name, definition in doc.get("$defs", {}).items():
            pointer = f"/$defs/{jp.escape(name)}"
            if name in owner:
                add(Problem(file, pointer, f"$defs name {name!r} also in {owner[name]}"))
            owner[name] = file
            if not isinstance(definition, dict):
                continue
            if definition.get("title") != name:
                add(Problem(file, pointer, f"title must equal the $defs name {name!r}"))
            if not definition.get("description"):
                add(Problem(file, pointer, "definition needs a description"))
            problems.extend(_check_since(schemas.version, file, pointer, definition))
            values = definition.get("enum")
            if isinstance(values, list):
                stamped = definition.get(ENUM_SINCE, {})
                missing = [v for v in values if v not in stamped]
                if missing:
                    add(Problem(file, pointer, f"{ENUM_SINCE} lacks {missing}"))
        for pointer, node in _walk(doc):
            if "$ref" in node:
                problems.extend(_check_ref(schemas, file, pointer + "/$ref", node["$ref"]))
            problems.extend(_check_union(schemas, file, pointer, node))
            for prop, spec in node.get("properties", {}).items():
                where = f"{pointer}/properties/{jp.escape(prop)}"
                if not isinstance(spec, dict):
                    continue
                if not spec.get("description"):
                    add(Problem(file, where, "property needs a description"))
                problems.extend(_check_since(schemas.version, file, where, spec))
    return problems


def lint_folder(path: Path) -> list[Problem]:
    """Lint one version folder; an unloadable folder is one problem, not an exception."""
    try:
        schemas = load_folder(path)
    except SchemaError as exc:
        return [Problem(str(path), "", str(exc))]
    return [Problem(f"{path.name}/{p.file}", p.pointer, p.message) for p in lint_set(schemas)]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = schema_root()
    folders = [Path(a) for a in args] or sorted(
        (p for p in root.iterdir() if p.is_dir()), key=lambda p: p.name
    )
    problems = [p for folder in folders for p in lint_folder(folder)]
    for problem in problems:
        print(f"schema lint: {problem}", file=sys.stderr)
    if problems:
        print(f"schema lint: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"schema lint: {len(folders)} folder(s) clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
