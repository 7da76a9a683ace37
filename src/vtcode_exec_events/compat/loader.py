"""Loads schema documents (dicts, files or version folders) into an offline, indexed schema set."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urldefrag, urljoin

import referencing
import referencing.exceptions
import referencing.jsonschema
from jsonschema.protocols import Validator
from jsonschema_specifications import REGISTRY as SPECIFICATIONS  # type: ignore[import-untyped]

from vtcode_exec_events import pointer
from vtcode_exec_events.compat.validation import check_schema, validator_class
from vtcode_exec_events.errors import SchemaError, SchemaReferenceError

#: verdicts kept per schema set (cleared when full: memory stays bounded)
_MAX_VERDICTS = 100_000

__all__ = [
    "ENTRY_DOCUMENTS",
    "Location",
    "SchemaSet",
    "asserts_format",
    "escape_pointer",
    "load_document",
    "load_path",
]

#: The entry documents of a version folder, compared in this order.
ENTRY_DOCUMENTS = ("thread-event.schema.json", "versioned-thread-event.schema.json")

_DIALECTS: dict[str, tuple[str, Any]] = {
    "draft-03": ("draft3", referencing.jsonschema.DRAFT3),
    "draft-04": ("draft4", referencing.jsonschema.DRAFT4),
    "draft-06": ("draft6", referencing.jsonschema.DRAFT6),
    "draft-07": ("draft7", referencing.jsonschema.DRAFT7),
    "2019-09": ("draft2019-09", referencing.jsonschema.DRAFT201909),
    "2020-12": ("draft2020-12", referencing.jsonschema.DRAFT202012),
}
LEGACY_DIALECTS = frozenset({"draft3", "draft4", "draft6", "draft7"})


def escape_pointer(segment: str | int) -> str:
    """One RFC 6901 reference token, escaped."""
    return pointer.escape(segment)


def _unescape(token: str) -> str:
    return pointer.unescape(unquote(token))


@dataclass(frozen=True)
class Location:
    """Where a schema node lives: the document URI and the JSON pointer inside it."""

    uri: str
    pointer: str

    def child(self, *segments: str | int) -> Location:
        return Location(self.uri, self.pointer + "".join("/" + escape_pointer(s) for s in segments))


@dataclass
class Document:
    """One loaded JSON document."""

    uri: str
    contents: Any
    dialect: str
    path: Path | None = None
    text: str | None = None
    has_refs: bool | None = None  # computed when first needed


@dataclass
class SchemaSet:
    """Documents that may reference each other; nothing outside the set is ever fetched."""

    roots: list[str]
    documents: dict[str, Document]
    registry: referencing.Registry[Any]
    index: dict[int, tuple[Location, str]] = field(default_factory=dict)
    base_dir: Path | None = None
    _validators: dict[str, Validator] = field(default_factory=dict)
    #: the validator of each location with its ``$ref`` looked up once (see ``_is_valid``)
    _targets: dict[str, tuple[Any, Any] | None] = field(default_factory=dict)
    _lookups: Any = None
    #: verdicts of ``is_valid`` by (validator key, instance as canonical JSON)
    _verdicts: dict[tuple[str, str], bool] = field(default_factory=dict)

    # -- locations ---------------------------------------------------------------------------
    def locate(self, node: Any) -> tuple[Location, str] | None:
        """The location and base URI of a node object of one of the documents."""
        return self.index.get(id(node))

    def display(self, loc: Location, root_uri: str | None = None) -> str:
        """A pointer for people: ``#/a/b`` in the root document, ``file.json#/a/b`` elsewhere."""
        root = root_uri or self.roots[0]
        if loc.uri == root:
            return "#" + loc.pointer
        doc = self.documents.get(loc.uri)
        if doc is not None and doc.path is not None and self.base_dir is not None:
            try:
                name = doc.path.relative_to(self.base_dir).as_posix()
            except ValueError:
                name = doc.path.name
            return f"{name}#{loc.pointer}"
        return f"{loc.uri}#{loc.pointer}"

    # -- references --------------------------------------------------------------------------
    def resolve(self, ref: str, base_uri: str) -> tuple[Any, str]:
        """Resolve ``ref`` against ``base_uri``: the target node and its base URI."""
        target = urljoin(base_uri, ref) if base_uri else ref
        resolver = self.registry.resolver(base_uri=base_uri)
        try:
            resolved = resolver.lookup(ref)
        except referencing.exceptions.Unresolvable as err:
            raise SchemaReferenceError(
                f"cannot resolve $ref {ref!r} (from {base_uri or 'the document'}): "
                f"{_reason(err, target)}"
            ) from None
        located = self.locate(resolved.contents)
        if located is not None:
            return resolved.contents, located[1]
        # not an indexed object (a boolean schema): its base is the document it lives in
        return resolved.contents, urldefrag(target)[0]

    # -- validation --------------------------------------------------------------------------
    def validator(self, loc: Location, *, formats: bool = True) -> Validator:
        """A real validator (jsonschema) for the subschema at ``loc``, offline."""
        key = f"{loc.uri}#{loc.pointer}|{formats}"
        cached = self._validators.get(key)
        if cached is not None:
            return cached
        doc = self.documents[loc.uri]
        cls = validator_class(doc.dialect)
        fragment = "".join("/" + quote(_unescape(t), safe="") for t in loc.pointer.split("/")[1:])
        wrapper = {"$ref": f"{loc.uri}#{fragment}"}
        checker = cls.FORMAT_CHECKER if formats else None
        validator: Validator = cls(wrapper, registry=self.registry, format_checker=checker)
        self._validators[key] = validator
        return validator

    def is_valid(self, loc: Location, instance: Any, *, formats: bool = True) -> bool:
        """Whether the subschema at ``loc`` accepts ``instance`` (each verdict computed once:
        the engine asks the same question of the same candidates many times)."""
        try:
            key = (f"{loc.uri}#{loc.pointer}|{formats}", json.dumps(instance, sort_keys=True))
        except (TypeError, ValueError, RecursionError):
            return self._is_valid(loc, instance, formats)
        found = self._verdicts.get(key)
        if found is None:
            if len(self._verdicts) >= _MAX_VERDICTS:
                self._verdicts.clear()
            found = self._verdicts[key] = self._is_valid(loc, instance, formats)
        return found

    def _is_valid(self, loc: Location, instance: Any, formats: bool) -> bool:
        try:
            found = self._target(loc, formats)
            if found is None:  # the wrapper's reference does not resolve: never proven valid
                return False
            validator, target = found
            errors = validator.descend(instance, target.contents, resolver=target.resolver)
            return next(iter(errors), None) is None
        except (referencing.exceptions.Unresolvable, RecursionError):
            return False
        except Exception:  # a validator crash on odd input is "not proven valid"
            return False

    def _target(self, loc: Location, formats: bool) -> tuple[Any, Any] | None:
        """The validator of ``loc`` and the subschema its ``$ref`` wrapper leads to, looked up
        once (None when it does not resolve): validating against it is what the wrapper does
        after its own lookup (``descend`` with the resolved resolver), without walking the
        pointer again for every instance."""
        key = f"{loc.uri}#{loc.pointer}|{formats}"
        if key in self._targets:
            return self._targets[key]
        validator = self.validator(loc, formats=formats)
        if self._lookups is None:  # the registry a validator resolves in: ours + metaschemas
            self._lookups = SPECIFICATIONS.combine(self.registry).resolver()
        found: tuple[Any, Any] | None
        try:
            wrapper: dict[str, str] = validator.schema  # type: ignore[assignment]
            found = (validator, self._lookups.lookup(wrapper["$ref"]))
        except referencing.exceptions.Unresolvable:
            found = None
        self._targets[key] = found
        return found

    def errors(
        self, loc: Location, instance: Any, *, formats: bool = True, limit: int = 20
    ) -> list[tuple[str, ...]] | None:
        """The schema paths of the (first ``limit``) errors of ``instance`` at ``loc``; None
        when they are not absolute (the document has references) or cannot be had."""
        if loc.pointer or _has_refs(self.documents[loc.uri]):
            return None
        try:
            found: list[tuple[str, ...]] = []
            for error in self.validator(loc, formats=formats).iter_errors(instance):
                found.append(tuple(str(t) for t in error.absolute_schema_path))
                if len(found) >= limit:
                    break
            return found
        except Exception:  # a validator crash on odd input: no placement
            return None


def asserts_format(schemas: SchemaSet) -> bool:
    """Whether an entry document's dialect makes `format` an assertion: its ``$vocabulary``
    turns on a format-assertion vocabulary (2019-09 and later treat `format` as an
    annotation otherwise)."""
    for uri in schemas.roots:
        contents = schemas.documents[uri].contents
        vocab = contents.get("$vocabulary") if isinstance(contents, dict) else None
        if isinstance(vocab, dict) and any(
            "format-assertion" in str(k) and v is True for k, v in vocab.items()
        ):
            return True
    return False


def _has_refs(doc: Document) -> bool:
    """Whether a document holds a reference (validation error paths then restart there)."""
    if doc.has_refs is None:
        doc.has_refs = any(
            isinstance(node, dict)
            and any(k in node for k in ("$ref", "$dynamicRef", "$recursiveRef"))
            for node, _ in _walk(doc.contents, "")
        )
    return doc.has_refs


def _reason(err: Exception, target: str) -> str:
    if target.startswith(("http://", "https://")) and not target.startswith("urn:"):
        return "remote references are never fetched; add the document to the schema folder"
    # referencing's own messages for these two quote the whole document: name the part only
    if isinstance(err, referencing.exceptions.PointerToNowhere):
        return f"{err.ref!r} does not exist in the document"
    if isinstance(err, referencing.exceptions.NoSuchAnchor):
        return f"anchor {err.anchor!r} does not exist in the document"
    return str(err) or type(err).__name__


def _retrieve(uri: str) -> referencing.Resource[Any]:
    raise referencing.exceptions.NoSuchResource(ref=uri)  # type: ignore[call-arg]


def _walk(node: Any, pointer: str) -> Iterator[tuple[Any, str]]:
    """Every object and array of a document with its pointer (iterative: any depth)."""
    todo = [(node, pointer)]
    while todo:
        item, here = todo.pop()
        yield item, here
        if isinstance(item, dict):
            for key, value in reversed(item.items()):
                if key in ("enum", "const", "default", "examples") or not isinstance(
                    value, (dict, list)
                ):
                    continue
                todo.append((value, f"{here}/{escape_pointer(key)}"))
        elif isinstance(item, list):
            for i in reversed(range(len(item))):
                if isinstance(item[i], (dict, list)):
                    todo.append((item[i], f"{here}/{i}"))


def guess_dialect(doc: Any) -> str:
    """The dialect a document declares, or the one its syntax implies."""
    if isinstance(doc, dict):
        declared = doc.get("$schema")
        if isinstance(declared, str):
            for marker, (name, _) in _DIALECTS.items():
                if marker in declared:
                    return name
    legacy = False
    draft4 = False
    for node, _ in _walk(doc, ""):
        if isinstance(node, dict):
            if isinstance(node.get("items"), list) or "additionalItems" in node:
                legacy = True
            if "dependencies" in node or "definitions" in node:
                legacy = True
            if isinstance(node.get("exclusiveMinimum"), bool) or isinstance(
                node.get("exclusiveMaximum"), bool
            ):
                draft4 = True
    if draft4:
        return "draft4"
    return "draft7" if legacy else "draft2020-12"


def _where(doc: Document) -> str:
    """The document as its user named it: the path typed, else its URI."""
    return str(doc.path) if doc.path is not None else doc.uri


def _spec(dialect: str) -> Any:
    for name, spec in _DIALECTS.values():
        if name == dialect:
            return spec
    return referencing.jsonschema.DRAFT202012


def build_set(
    docs: list[Document], roots: list[str], base_dir: Path | None = None, *, check: bool = True
) -> SchemaSet:
    """Index the documents and build an offline registry over them."""
    resources: list[tuple[str, referencing.Resource[Any]]] = []
    index: dict[int, tuple[Location, str]] = {}
    kept: list[Document] = []
    for doc in docs:
        if check:
            try:
                check_schema(_where(doc), doc.contents, doc.dialect)
            except SchemaError:
                if doc.uri in roots:
                    raise
                continue  # a sibling that is not a schema: not part of the set
        kept.append(doc)
    docs = kept
    for doc in docs:
        spec = _spec(doc.dialect)
        resource = spec.create_resource(doc.contents)
        resources.append((doc.uri, resource))
        _index(doc, index)
    registry: referencing.Registry[Any] = referencing.Registry(retrieve=_retrieve)  # type: ignore[call-arg]
    registry = registry.with_resources(resources)
    try:
        registry = registry.crawl()
    except (TimeoutError, MemoryError):
        raise  # the caller's deadline or memory limit, not a property of the schema
    except Exception as err:  # pragma: no cover - referencing rejects odd $id values
        raise SchemaError(f"cannot index the schema documents: {err}") from None
    return SchemaSet(
        roots=roots,
        documents={d.uri: d for d in docs},
        registry=registry,
        index=index,
        base_dir=base_dir,
    )


def _index(doc: Document, index: dict[int, tuple[Location, str]]) -> None:
    id_key = "id" if doc.dialect in ("draft3", "draft4") else "$id"

    def visit(node: Any, pointer: str, base: str) -> None:
        if isinstance(node, dict):
            ident = node.get(id_key)
            if isinstance(ident, str) and not ident.startswith("#"):
                base = urljoin(base, ident)
            index.setdefault(id(node), (Location(doc.uri, pointer), base))
            for key, value in node.items():
                if key in ("enum", "const", "default", "examples"):
                    continue
                if isinstance(value, (dict, list)):
                    visit(value, f"{pointer}/{escape_pointer(key)}", base)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                if isinstance(value, (dict, list, bool)):
                    visit(value, f"{pointer}/{i}", base)

    visit(doc.contents, "", doc.uri)


def load_document(contents: Any, uri: str = "urn:vtcode-compat:schema") -> SchemaSet:
    """A schema set holding one in-memory document (``$ref`` inside it only)."""
    if isinstance(contents, Mapping):
        contents = dict(contents)
    dialect = guess_dialect(contents)
    doc = Document(uri=uri, contents=contents, dialect=dialect)
    return build_set([doc], [uri])


def _read_json(path: Path) -> tuple[Any, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise SchemaError(f"{path}: cannot read: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise SchemaError(f"{path}: not UTF-8 text") from None
    try:
        return json.loads(text), text
    except json.JSONDecodeError as err:
        raise SchemaError(f"{path}:{err.lineno}:{err.colno}: invalid JSON: {err.msg}") from None


def load_path(path: str | Path) -> SchemaSet:
    """Load a schema file (plus its siblings, for relative refs) or a version folder."""
    p = Path(path)
    if not p.exists():
        raise SchemaError(f"{p}: no such file or folder")
    if p.is_dir():
        folder = p
        roots = [folder / name for name in ENTRY_DOCUMENTS if (folder / name).is_file()]
        if not roots:
            raise SchemaError(
                f"{p}: not a schema version folder (expected {' and '.join(ENTRY_DOCUMENTS)})"
            )
    else:
        folder = p.parent
        roots = [p]
    files = (
        sorted({*folder.rglob("*.json"), *roots})
        if p.is_dir()
        else sorted({*(f for f in folder.glob("*.json") if f.name.endswith(".schema.json")), p})
    )
    docs: list[Document] = []
    for f in files:
        contents, text = _read_json(f)
        if f not in roots and not isinstance(contents, (dict, bool)):
            continue
        uri = f.resolve().as_uri()
        docs.append(
            Document(uri=uri, contents=contents, dialect=guess_dialect(contents), path=f, text=text)
        )
    root_uris = [r.resolve().as_uri() for r in roots]
    return build_set(docs, root_uris, base_dir=folder)


def fragment_of(uri: str) -> str:
    return urldefrag(uri)[1]
