"""Compiled jsonschema-rs validators per schema version, offline, with tag dispatch tables.

Two views of the same released documents live in one offline registry:

- the documents as released (``registry.load(v).resources()``), which decide every
  verdict and explain every failure (per event tag and per item kind, so a bad field is
  reported where it is, never as "not valid under any of the given schemas");
- a *strict* copy used only as the fast path: the unknown-event catch-all and the
  ``anyOf [catch-all enum, string]`` escapes are removed, and the tagged ``oneOf``s become
  ``anyOf`` (their branches have distinct ``const`` tags, so the two are equivalent and
  ``anyOf`` stops at the first match). The strict copy accepts a subset of what the
  released documents accept: a line it accepts is valid and carries no warning.

Both views carry serde's two rules as custom keywords (see :mod:`.serde`): integers
written as floats everywhere, repeated declared fields in the released view.

Remote references are never fetched: validators are built with ``offline=True`` and a
registry holding only local documents.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vtcode_exec_events import registry
from vtcode_exec_events.errors import SchemaError
from vtcode_exec_events.validate import serde

if TYPE_CHECKING:  # imported where first used: a log of clean lines never needs it
    import jsonschema_rs

__all__ = [
    "Branch",
    "VersionSchemas",
    "covering",
    "fast_batch_validator",
    "fast_line_validator",
    "for_version",
    "known_versions",
    "strict_base_uri",
    "strict_documents",
]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
CATCH_ALL = "x-vtcode-catch-all"
UNKNOWN_EVENT_DEF = "UnknownThreadEvent"
STRICT_BASE_URI = "https://vtcode-exec-events.invalid/strict/{version}/"
#: Tags VT Code writes most often, tried first in the strict copy's ``anyOf`` (only the
#: speed of the fast path depends on this order, never a verdict).
HOT_TAGS = (
    "item.completed",
    "item.started",
    "item.updated",
    "reasoning",
    "command_execution",
    "tool_invocation",
    "tool_output",
    "file_change",
    "agent_message",
)

Schema = dict[str, Any]


@functools.cache
def known_versions() -> frozenset[str]:
    """The released versions (cached: the registry looks at the disk each time)."""
    return frozenset(registry.versions())


def strict_base_uri(version: str) -> str:
    """Where the strict copy of a version's documents is registered."""
    return STRICT_BASE_URI.format(version=version)


@dataclass(frozen=True)
class Branch:
    """One tagged definition (an event type or an item kind) and how to check it."""

    tag: str
    definition: str
    validator: jsonschema_rs.Validator
    #: ``(property, known values)`` for properties typed ``anyOf [catch-all enum, string]``.
    catch_alls: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Whether the definition holds a ``ThreadItem`` under ``item``.
    has_item: bool = False


@dataclass(frozen=True)
class VersionSchemas:
    """Everything the checker needs for one schema version."""

    version: str
    #: The released entry documents: a bare line and an enveloped line.
    bare: jsonschema_rs.Validator
    envelope: jsonschema_rs.Validator
    events: Mapping[str, Branch]
    items: Mapping[str, Branch]
    #: Whether unknown event types are accepted (``UnknownThreadEvent``, from 0.4.0 on).
    unknown_events: bool


def _split_ref(ref: str, here: str) -> tuple[str, str]:
    doc, _, pointer = ref.partition("#")
    return (doc or here), pointer


def _resolve(schema_set: registry.SchemaSet, ref: str, here: str) -> tuple[str, str, Schema]:
    doc, pointer = _split_ref(ref, here)
    node = schema_set.resolve_pointer(doc, pointer)
    if not isinstance(node, dict):
        raise SchemaError(f"{schema_set.version}: {ref} is not a schema object")
    return doc, pointer, node


def _catch_all_values(schema_set: registry.SchemaSet, prop: Any, here: str) -> tuple[str, ...]:
    """The known values if ``prop`` is ``anyOf [ref to a catch-all enum, {type: string}]``."""
    if not isinstance(prop, dict) or not isinstance(prop.get("anyOf"), list):
        return ()
    branches = prop["anyOf"]
    if {"type": "string"} not in branches:
        return ()
    for branch in branches:
        if isinstance(branch, dict) and isinstance(branch.get("$ref"), str):
            _, _, target = _resolve(schema_set, branch["$ref"], here)
            if CATCH_ALL in target and isinstance(target.get("enum"), list):
                return tuple(str(v) for v in target["enum"])
    return ()


def _branches(
    schema_set: registry.SchemaSet, union_ref: str, here: str, reg: jsonschema_rs.Registry
) -> dict[str, Branch]:
    """``tag -> Branch`` for a tagged ``oneOf`` (``KnownThreadEvent`` or ``ThreadItem``)."""
    import jsonschema_rs

    doc, _, union = _resolve(schema_set, union_ref, here)
    maps: dict[str, Any] = {}
    out: dict[str, Branch] = {}
    for entry in union.get("oneOf", []):
        bdoc, pointer, node = _resolve(schema_set, entry["$ref"], doc)
        tag = node.get("properties", {}).get("type", {}).get("const")
        if not isinstance(tag, str):
            raise SchemaError(f"{schema_set.version}: {entry['$ref']} has no const 'type' tag")
        if bdoc not in maps:
            maps[bdoc] = jsonschema_rs.validator_map_for(
                _released(schema_set.version)[bdoc],
                registry=reg,
                base_uri=schema_set.uri(bdoc),
                offline=True,
                keywords=serde.KEYWORDS,
            )
        validator = maps[bdoc].get("#" + pointer)
        props = node.get("properties", {})
        catch_alls = tuple(
            (name, values)
            for name, prop in props.items()
            if (values := _catch_all_values(schema_set, prop, bdoc))
        )
        item_ref = (
            props.get("item", {}).get("$ref") if isinstance(props.get("item"), dict) else None
        )
        out[tag] = Branch(
            tag=tag,
            definition=pointer.rsplit("/", 1)[-1],
            validator=validator,
            catch_alls=catch_alls,
            has_item=isinstance(item_ref, str),
        )
    return out


def _item_union_ref(schema_set: registry.SchemaSet, events_doc: str) -> tuple[str, str]:
    """Find the ``ThreadItem`` union through the first event definition holding an item."""
    for node in schema_set.documents[events_doc].get("$defs", {}).values():
        item = node.get("properties", {}).get("item") if isinstance(node, dict) else None
        if isinstance(item, dict) and isinstance(item.get("$ref"), str):
            return item["$ref"], events_doc
    raise SchemaError(f"{schema_set.version}: no event definition holds an 'item'")


def _known_union_ref(schema_set: registry.SchemaSet) -> tuple[str, bool]:
    """The ``KnownThreadEvent`` reference of the bare entry, and whether unknowns are allowed."""
    entry = schema_set.thread_event
    if isinstance(entry.get("$ref"), str):
        return entry["$ref"], False
    refs = [b["$ref"] for b in entry.get("anyOf", []) if isinstance(b, dict) and "$ref" in b]
    known = [r for r in refs if not r.endswith("/" + UNKNOWN_EVENT_DEF)]
    if len(known) != 1:
        raise SchemaError(f"{schema_set.version}: cannot find the known-event union")
    return known[0], len(refs) > 1


def _entry(uri: str, reg: jsonschema_rs.Registry) -> jsonschema_rs.Validator:
    import jsonschema_rs

    return jsonschema_rs.validator_for(
        {"$schema": DRAFT, "$ref": uri}, registry=reg, offline=True, keywords=serde.KEYWORDS
    )


@functools.cache
def for_version(version: str) -> VersionSchemas:
    """The compiled validators and dispatch tables of a released version (cached)."""
    schema_set = registry.load(version)
    reg = _registry(frozenset((version,)))
    known_ref, unknown_events = _known_union_ref(schema_set)
    events = _branches(schema_set, known_ref, registry.THREAD_EVENT, reg)
    events_doc = _split_ref(known_ref, registry.THREAD_EVENT)[0]
    item_ref, item_here = _item_union_ref(schema_set, events_doc)
    items = _branches(schema_set, item_ref, item_here, reg)
    return VersionSchemas(
        version=schema_set.version,
        bare=_entry(schema_set.uri(registry.THREAD_EVENT), reg),
        envelope=_entry(schema_set.uri(registry.VERSIONED_THREAD_EVENT), reg),
        events=events,
        items=items,
        unknown_events=unknown_events,
    )


def _strict(node: Any, schema_set: registry.SchemaSet, here: str) -> Any:
    """The strict copy of a schema node (see the module docstring)."""
    if isinstance(node, list):
        return [_strict(v, schema_set, here) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _strict(v, schema_set, here) for k, v in node.items()}
    if _catch_all_values(schema_set, node, here):
        refs = [b for b in node["anyOf"] if isinstance(b, dict) and "$ref" in b]
        del out["anyOf"]
        out["$ref"] = refs[0]["$ref"]
    elif isinstance(out.get("anyOf"), list):
        kept = [
            b
            for b in out["anyOf"]
            if not (
                isinstance(b, dict) and str(b.get("$ref", "")).endswith("/" + UNKNOWN_EVENT_DEF)
            )
        ]
        if len(kept) != len(out["anyOf"]):
            out["anyOf"] = kept
    if "discriminator" in out and isinstance(out.get("oneOf"), list):
        out["anyOf"] = sorted(out.pop("oneOf"), key=lambda b: _heat(b, schema_set, here))
    return out


def _heat(branch: Any, schema_set: registry.SchemaSet, here: str) -> int:
    """Sort key of a tagged branch: hot tags first, the rest in schema order."""
    if isinstance(branch, dict) and isinstance(branch.get("$ref"), str):
        _, _, node = _resolve(schema_set, branch["$ref"], here)
        tag = node.get("properties", {}).get("type", {}).get("const")
        if tag in HOT_TAGS:
            return HOT_TAGS.index(tag)
    return len(HOT_TAGS)


@functools.cache
def strict_documents(version: str) -> dict[str, Schema]:
    """The strict copy of a version's documents (with serde's integer keyword)."""
    schema_set = registry.load(version)
    # _strict builds new nodes and never changes the released ones: no copy needed.
    return {
        name: serde.with_keywords(_strict(doc, schema_set, name), fields=False)
        for name, doc in schema_set.documents.items()
    }


@functools.cache
def _released(version: str) -> dict[str, Schema]:
    """A version's documents as released, plus serde's keywords (see :mod:`.serde`)."""
    return {
        name: serde.with_keywords(doc) for name, doc in registry.load(version).documents.items()
    }


@functools.cache
def _resources(version: str) -> tuple[tuple[str, Schema], ...]:
    """A version's documents as released and in their strict copy, under their URIs."""
    schema_set = registry.load(version)
    base = strict_base_uri(version)
    return (
        *((schema_set.uri(name), doc) for name, doc in _released(version).items()),
        *((base + name, doc) for name, doc in strict_documents(version).items()),
    )


@functools.cache
def _registry(versions: frozenset[str]) -> jsonschema_rs.Registry:
    """An offline registry of the given versions, as released and in their strict copy.

    Built per set of versions, never for every release at once: the documents of a
    version only refer to each other, and transforming them is most of a start-up.
    """
    import jsonschema_rs

    return jsonschema_rs.Registry(
        [resource for version in sorted(versions) for resource in _resources(version)]
    )


def _fast_line_schema(default_version: str, versions: frozenset[str]) -> Schema:
    """A line: bare (it has ``type``) against the default version, else an envelope whose
    ``schema_version`` is one of ``versions`` (newest first: ``anyOf`` stops at the first
    match); strict copies throughout. An envelope of another version fails this schema
    and is left to the caller (see :func:`covering`)."""
    envelope: Schema = {
        "type": "object",
        "required": ["schema_version", "event"],
        "anyOf": [
            {
                "properties": {"schema_version": {"const": v}},
                "$ref": strict_base_uri(v) + registry.VERSIONED_THREAD_EVENT,
            }
            for v in sorted(versions, key=registry.version_key, reverse=True)
        ],
    }
    return {
        "if": {"type": "object", "required": ["type"]},
        "then": {"$ref": strict_base_uri(default_version) + registry.THREAD_EVENT},
        "else": envelope,
    }


def covering(default_version: str, versions: frozenset[str], obj: Any) -> frozenset[str] | None:
    """The versions the fast validators must cover to take ``obj`` too, or ``None`` when
    they already do (or no version would help: it is not an envelope of a released one).

    The fast validators start with the default version only (a start-up compiles one
    version, not every release) and grow as envelopes of other versions turn up.
    """
    if not isinstance(obj, dict) or "type" in obj:
        return None
    version = obj.get("schema_version")
    if version.__class__ is not str or version in versions or version not in known_versions():
        return None
    return versions | {version, default_version}


@functools.cache
def fast_line_validator(
    default_version: str, versions: frozenset[str] | None = None
) -> jsonschema_rs.Validator:
    """Accepts a parsed line only if it is valid and warning-free (one call per line);
    envelopes of ``versions`` (default: the default version) only."""
    import jsonschema_rs

    versions = versions or frozenset((default_version,))
    schema = {"$schema": DRAFT, **_fast_line_schema(default_version, versions)}
    return jsonschema_rs.validator_for(
        schema,
        registry=_registry(versions | {default_version}),
        offline=True,
        keywords=serde.KEYWORDS,
    )


@functools.cache
def fast_batch_validator(
    default_version: str, versions: frozenset[str] | None = None
) -> jsonschema_rs.Validator:
    """The same as :func:`fast_line_validator` over a list of parsed lines (one call per batch)."""
    import jsonschema_rs

    versions = versions or frozenset((default_version,))
    schema = {
        "$schema": DRAFT,
        "type": "array",
        "items": _fast_line_schema(default_version, versions),
    }
    return jsonschema_rs.validator_for(
        schema,
        registry=_registry(versions | {default_version}),
        offline=True,
        keywords=serde.KEYWORDS,
    )
