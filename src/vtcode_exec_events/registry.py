"""The released schema versions: list them, load a version's documents offline, pick one."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vtcode_exec_events import pointer as jp
from vtcode_exec_events.errors import SchemaError, SchemaReferenceError, UnknownSchemaVersion

__all__ = [
    "BASE_URI",
    "ENTRY_DOCUMENTS",
    "THREAD_EVENT",
    "VERSIONED_THREAD_EVENT",
    "SchemaSet",
    "for_envelope",
    "latest",
    "load",
    "resolve_version",
    "schema_root",
    "version_key",
    "versions",
]

THREAD_EVENT = "thread-event.schema.json"
VERSIONED_THREAD_EVENT = "versioned-thread-event.schema.json"
ENTRY_DOCUMENTS = (THREAD_EVENT, VERSIONED_THREAD_EVENT)

#: Documents carry no ``$id``; each is registered under this base (a reserved, never
#: resolvable host) so relative ``$ref``s resolve inside the version folder and nowhere else.
BASE_URI = "https://vtcode-exec-events.invalid/schema/{version}/"

Schema = dict[str, Any]


@functools.lru_cache(maxsize=1)  # asked once per invalid bare line (the older-version hint)
def schema_root() -> Path:
    """The folder holding one sub-folder per version: package data, or ``schema/`` in a checkout."""
    here = Path(__file__).resolve().parent
    # Package data in a wheel; the checkout's schema/ for an editable install (src/ layout).
    for candidate in (here / "schema", here.parents[1] / "schema"):
        if candidate.is_dir() and _versions(candidate):
            return candidate
    raise SchemaError(f"no schema version folders found next to {here} (broken installation?)")


def version_key(version: str) -> tuple[int, ...]:
    """Sort key for a ``MAJOR.MINOR.PATCH`` version; ``ValueError`` for anything else."""
    parts = version.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"not a MAJOR.MINOR.PATCH version: {version!r}")
    return tuple(int(p) for p in parts)


def _is_version(name: str) -> bool:
    try:
        version_key(name)
    except ValueError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def _versions(root: Path) -> tuple[str, ...]:
    names = [p.name for p in root.iterdir() if p.is_dir() and _is_version(p.name)]
    return tuple(sorted(names, key=version_key))


def versions() -> tuple[str, ...]:
    """Every released schema version, oldest first (0.5.0 and 0.6.0 never existed)."""
    return _versions(schema_root())


def latest() -> str:
    """The newest released schema version."""
    return versions()[-1]


def resolve_version(version: str) -> str:
    """Return ``version`` if it is released; raise :class:`UnknownSchemaVersion` otherwise.

    The error names every known version. A well-formed version newer than the newest known
    is reported as such, so a user knows to upgrade rather than to suspect the log. Only an
    exact match counts: ``"0.11"`` or ``"v0.11.0"`` is unknown, not guessed at.
    """
    known = versions()
    if version in known:
        return version
    newer = (
        isinstance(version, str)
        and _is_version(version)
        and version_key(version) > version_key(known[-1])
    )
    raise UnknownSchemaVersion(str(version), known, newer=newer)


def for_envelope(envelope: Mapping[str, Any]) -> SchemaSet:
    """The schema set that an envelope's ``schema_version`` names.

    :class:`UnknownSchemaVersion` if the version is missing, not a string or not released.
    """
    version = envelope.get("schema_version") if isinstance(envelope, Mapping) else None
    if not isinstance(version, str):
        raise UnknownSchemaVersion(
            "<missing>" if version is None else json.dumps(version), versions()
        )
    return load(version)


@dataclass(frozen=True)
class SchemaSet:
    """The documents of one schema version, keyed by file name, all loaded in memory."""

    version: str
    documents: Mapping[str, Schema]
    path: Path | None = None
    base_uri: str = field(default="")

    def __post_init__(self) -> None:
        if not self.base_uri:
            object.__setattr__(self, "base_uri", BASE_URI.format(version=self.version))

    @property
    def thread_event(self) -> Schema:
        """The entry document for a bare event line."""
        return self.documents[THREAD_EVENT]

    @property
    def versioned_thread_event(self) -> Schema:
        """The entry document for an enveloped line."""
        return self.documents[VERSIONED_THREAD_EVENT]

    def uri(self, name: str) -> str:
        """The URI a document is registered under."""
        return self.base_uri + name

    def resources(self) -> Iterator[tuple[str, Schema]]:
        """``(uri, document)`` pairs, for building an offline reference registry."""
        for name, doc in self.documents.items():
            yield self.uri(name), doc

    def resolve_pointer(self, name: str, pointer: str) -> Any:
        """The node at a JSON pointer inside one document (``SchemaReferenceError`` if absent)."""
        node: Any = self.documents.get(name)
        if node is None:
            raise SchemaReferenceError(f"{self.version}: no document {name!r}")
        for token in jp.split("/" + pointer.lstrip("/")) if pointer.strip("/") else []:
            try:
                node = node[int(token)] if isinstance(node, list) else node[token]
            except (KeyError, IndexError, ValueError, TypeError):
                raise SchemaReferenceError(
                    f"{self.version}: {name}#{pointer} does not exist"
                ) from None
        return node


def load_folder(path: Path, version: str | None = None) -> SchemaSet:
    """Load every ``*.json`` document of a folder (any folder, released or not)."""
    documents: dict[str, Schema] = {}
    for file in sorted(path.glob("*.json")):
        try:
            doc = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SchemaError(f"{file}: cannot load schema document: {exc}") from None
        if not isinstance(doc, dict):
            raise SchemaError(f"{file}: a schema document must be a JSON object")
        documents[file.name] = doc
    if not documents:
        raise SchemaError(f"{path}: no schema documents (*.json) found")
    missing = [name for name in ENTRY_DOCUMENTS if name not in documents]
    if missing:
        raise SchemaError(f"{path}: missing entry document(s): {', '.join(missing)}")
    return SchemaSet(version=version or path.name, documents=documents, path=path)


@functools.cache
def load(version: str) -> SchemaSet:
    """The schema documents of a released version, loaded offline and cached."""
    version = resolve_version(version)
    return load_folder(schema_root() / version, version)
