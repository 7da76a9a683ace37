"""Bundle a version's documents into one self-contained schema with internal ``$ref``s only."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import urlsplit

from vtcode_exec_events.errors import SchemaReferenceError
from vtcode_exec_events.registry import SchemaSet

__all__ = ["bundle"]

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"


def _split(ref: str, current: str) -> tuple[str, str]:
    """``(document name, pointer)`` of a local ``$ref`` seen in ``current``."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or ref.startswith("/"):
        raise SchemaReferenceError(
            f"{current}: remote or absolute $ref {ref!r} is not allowed (no network access)"
        )
    name, _, pointer = ref.partition("#")
    return (name or current), pointer


def bundle(schemas: SchemaSet, entry: str) -> dict[str, Any]:
    """One document equivalent to ``entry``: every referenced definition moves to ``$defs``.

    ``file#/$defs/Name`` becomes ``#/$defs/Name``; a reference to a whole document becomes
    ``#/$defs/<its title>``. Definition names must be unique across the folder (the schema
    lint enforces it); a clash, a missing target or a remote reference raises
    :class:`SchemaReferenceError`.
    """
    if entry not in schemas.documents:
        raise SchemaReferenceError(f"{schemas.version}: no entry document {entry!r}")
    defs: dict[str, Any] = {}
    origin: dict[str, tuple[str, str]] = {}
    pending: list[tuple[str, str, str]] = []  # (def name, document, pointer)

    def target_name(doc: str, pointer: str) -> str:
        if pointer in ("", "/"):
            title = schemas.documents.get(doc, {}).get("title")
            if not isinstance(title, str) or not title:
                raise SchemaReferenceError(f"{schemas.version}: {doc} has no title to bundle by")
            return title
        segments = pointer.strip("/").split("/")
        if len(segments) != 2 or segments[0] not in ("$defs", "definitions"):
            raise SchemaReferenceError(
                f"{schemas.version}: {doc}#{pointer}: only whole documents and $defs "
                "entries can be bundled"
            )
        return segments[1]

    def rewrite(node: Any, doc: str) -> Any:
        if isinstance(node, list):
            return [rewrite(item, doc) for item in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                ref_doc, pointer = _split(value, doc)
                if ref_doc == entry and pointer in ("", "/"):
                    out[key] = "#"
                    continue
                name = target_name(ref_doc, pointer)
                seen = origin.get(name)
                if seen is None:
                    origin[name] = (ref_doc, pointer)
                    pending.append((name, ref_doc, pointer))
                elif seen != (ref_doc, pointer):
                    raise SchemaReferenceError(
                        f"{schemas.version}: definition name {name!r} is used by both "
                        f"{seen[0]}#{seen[1]} and {ref_doc}#{pointer}"
                    )
                out[key] = f"#/$defs/{name}"
            elif key in ("$defs", "definitions") and node is schemas.documents.get(doc):
                continue  # definitions are pulled in on demand, by reference
            else:
                out[key] = rewrite(value, doc)
        return out

    root: dict[str, Any] = rewrite(copy.deepcopy(schemas.documents[entry]), entry)
    while pending:
        name, doc, pointer = pending.pop(0)
        node = schemas.resolve_pointer(doc, pointer)
        if pointer in ("", "/"):
            node = {k: v for k, v in node.items() if k not in ("$schema", "$defs", "definitions")}
        defs[name] = rewrite(node, doc)
    root["$schema"] = schemas.documents[entry].get("$schema", DRAFT_2020_12)
    if defs:
        root["$defs"] = dict(sorted(defs.items()))
    return root
