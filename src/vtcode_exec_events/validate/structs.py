"""The fastest path: a batch of lines decoded by msgspec into types compiled from the schema.

The strict copy of a version's documents (see :mod:`.schemas`) is compiled mechanically
into msgspec types: an object with ``properties`` becomes a ``Struct`` (a field not
required defaults to ``UNSET``), the tagged unions become msgspec tagged unions on
``type``, ``const`` and ``enum`` become ``Literal``, integers keep their bounds (within
64 bits), a free-form value stays raw (``msgspec.Raw``) and a ``number`` too; both are read
by orjson once decoded, so they hold exactly what the precise path accepts. A plain string
field that holds free text (:data:`TEXT_FIELDS`) stays raw as well: msgspec checks its
escapes while skipping it, and its ``__post_init__`` checks that it is a string of valid
UTF-8 (the encoding below then copies its bytes instead of encoding it again). Anything else
in a document makes the version uncompiled (fail closed): its lines take the other path.
So a batch msgspec accepts is one the strict copy accepts (valid, no warning), and an
integer written ``5.0`` or ``1e2`` is refused as serde refuses it.

msgspec keeps the last of repeated keys, reads ``-0`` as ``0`` and skips unknown fields, so a
decoded batch is also encoded again and the lengths compared: every value is written back
in its shortest form (strings with the same escapes as orjson and serde, integers, the
raw parts byte for byte), never longer than the line had it. Equal lengths leave no room
for a repeated key, a ``-0``, an unknown field or a space: such a batch takes the other
path, which finds and explains them.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from itertools import compress, repeat
from operator import attrgetter, not_, or_
from typing import Annotated, Any, Literal

import msgspec
import orjson

from vtcode_exec_events import registry
from vtcode_exec_events.pointer import split
from vtcode_exec_events.validate import schemas

__all__ = ["Unsupported", "accepts", "compile_version"]

#: Keywords that only annotate (JSON Schema ignores them when validating).
ANNOTATIONS = frozenset(
    {"description", "title", "default", "examples", "deprecated", "$comment", "$schema", "$defs"}
)
#: The integer range msgspec can bound (a wider bound is narrowed: the fast path takes less).
INT64 = (-(1 << 63), (1 << 63) - 1)
ENVELOPE = b'{"schema_version":"'
_NONE = type(None)
_UNSET = msgspec.UNSET
#: The validation keywords translated, by the instance type they apply to.
APPLIES: dict[str, set[str]] = {
    "integer": {"minimum", "maximum"},
    "array": {"items"},
    "object": {"properties", "required"},
}
APPLIES["any"] = set().union(*APPLIES.values())
#: Fields that hold free text, often long and not ASCII: kept raw (``msgspec.Raw``) when
#: their schema is a plain string, so the encoding that checks a batch copies their bytes
#: instead of encoding each string to UTF-8 again (only the speed depends on this list).
TEXT_FIELDS = frozenset(
    {"text", "aggregated_output", "output", "delta", "result", "message", "command", "query"}
)
_loads = orjson.loads
_encode_into = msgspec.json.Encoder().encode_into
#: Each thread's buffer for the encoding that checks a batch (reused: no allocation, no
#: growth by copies once it has the size of a batch).
_local = threading.local()
_Errors = (msgspec.ValidationError, msgspec.DecodeError, RecursionError, ValueError, TypeError)


class Unsupported(ValueError):
    """A schema construct this compiler does not translate (the version is not compiled)."""


def _keywords(node: dict[str, Any]) -> set[str]:
    return {k for k in node if not k.startswith("x-")} - ANNOTATIONS


def _text(value: Any, nullable: bool) -> None:
    """A text field kept raw must hold a JSON string (or ``null`` where allowed) of valid
    UTF-8; msgspec skipping it checked its escapes and control characters already."""
    if value is _UNSET:
        return
    text = str(value, "utf-8")  # raises UnicodeDecodeError (a ValueError) if it is not
    if text[0] != '"' and not (nullable and text == "null"):
        raise ValueError("expected a string")


def _reader(
    raw: Sequence[tuple[str, tuple[type, ...] | None]], texts: Sequence[tuple[str, bool]] = ()
) -> Callable[[Any], None]:
    """The ``__post_init__`` of a struct with raw fields: orjson reads each free-form or
    ``number`` one (valid UTF-8, numbers in range; a ``number`` field must hold a number),
    and each text field is checked by :func:`_text`."""
    if not texts and len(raw) == 1 and raw[0][1] is None:  # the usual: one free-form field
        get = attrgetter(raw[0][0])

        def read_one(self: Any) -> None:
            value = get(self)
            if value is not _UNSET:
                _loads(memoryview(value))

        return read_one
    if not raw and len(texts) == 1:  # a text field alone (an agent message, a reasoning)
        get_text = attrgetter(texts[0][0])
        nullable = texts[0][1]

        def text_one(self: Any) -> None:
            _text(get_text(self), nullable)

        return text_one

    def read(self: Any) -> None:
        for name, allowed in raw:
            value = getattr(self, name)
            if value is not _UNSET:
                parsed = _loads(memoryview(value))
                if allowed is not None and parsed.__class__ not in allowed:
                    raise ValueError(f"expected a number, found {parsed.__class__.__name__}")
        for name, nullable in texts:
            _text(getattr(self, name), nullable)

    return read


def _union(kinds: Sequence[Any]) -> Any:
    """``A | B | ...`` of msgspec types (``None`` for JSON null)."""
    return functools.reduce(or_, [_NONE if kind is None else kind for kind in kinds])


class _Compiler:
    """Compiles one version's strict documents; raises :class:`Unsupported`."""

    def __init__(self, version: str, raw_texts: bool = False) -> None:
        self.version = version
        self.raw_texts = raw_texts
        self.documents = schemas.strict_documents(version)
        self.done: dict[tuple[str, str], Any] = {}
        self.count = 0

    def resolve(self, ref: str, here: str) -> tuple[str, str, Any]:
        doc, _, pointer = ref.partition("#")
        doc = doc or here
        if doc not in self.documents:
            raise Unsupported(f"reference outside the version: {ref}")
        node: Any = self.documents[doc]
        for token in split(pointer):
            node = node[int(token)] if isinstance(node, list) else node[token]
        return doc, pointer, node

    def ref(self, ref: str, here: str) -> Any:
        doc, pointer, node = self.resolve(ref, here)
        key = (doc, pointer)
        if key not in self.done:
            self.done[key] = None  # a recursive definition is not compiled
            self.done[key] = self.type(node, doc)
        found = self.done[key]
        if found is None:
            raise Unsupported(f"recursive definition: {ref}")
        return found

    def tag(self, branch: Any, here: str) -> tuple[str, Any] | None:
        """``(tag, definition's document and node)`` of a tagged union branch, if it is one."""
        if not isinstance(branch, dict) or set(branch) != {"$ref"}:
            return None
        doc, _, node = self.resolve(branch["$ref"], here)
        prop = node.get("properties", {}).get("type") if isinstance(node, dict) else None
        const = prop.get("const") if isinstance(prop, dict) else None
        return (const, (doc, node)) if isinstance(const, str) else None

    def type(self, node: Any, here: str) -> Any:
        if node is True or node == {}:
            return ("raw", None)
        if not isinstance(node, dict):
            raise Unsupported(f"schema {node!r}")
        keys = _keywords(node) - {"discriminator"}
        if "$ref" in node:
            if keys != {"$ref"}:
                raise Unsupported(f"$ref beside {sorted(keys)}")
            return self.ref(node["$ref"], here)
        if "anyOf" in node:
            return self.any_of(node, keys, here)
        if not keys:
            return ("raw", None)  # free-form: any JSON value
        if "const" in node or "enum" in node:
            values = [node["const"]] if "const" in node else node["enum"]
            if keys - {"const", "enum", "type"} or node.get("type", "string") != "string":
                raise Unsupported(f"const or enum with {sorted(keys)}")
            if not values or not all(isinstance(v, str) for v in values):
                raise Unsupported("a const or enum that is not strings")
            return Literal[tuple(values)]
        kinds = node.get("type")
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not isinstance(kinds, list) or not kinds:
            raise Unsupported(f"type {kinds!r}")
        if "number" in kinds:
            if keys != {"type"} or not set(kinds) <= {"number", "integer", "null"}:
                raise Unsupported(f"number with {sorted(keys)}")
            return ("raw", (int, float, *((_NONE,) if "null" in kinds else ())))
        out = [self.kind(kind, node, keys, here) for kind in kinds]
        return _union(out)

    def any_of(self, node: dict[str, Any], keys: set[str], here: str) -> Any:
        branches = node["anyOf"]
        if keys != {"anyOf"} or not isinstance(branches, list) or not branches:
            raise Unsupported(f"anyOf beside {sorted(keys - {'anyOf'})}")
        if len(branches) == 1:
            return self.type(branches[0], here)
        tags = [self.tag(b, here) for b in branches]
        if all(t is not None for t in tags):
            names = [t[0] for t in tags if t is not None]
            if len(set(names)) != len(names):
                raise Unsupported("a tag used twice")
            members = [self.struct(n, d, tag=t) for t, (d, n) in (x for x in tags if x)]
            return _union(members)
        if len(branches) == 2 and {"type": "null"} in branches:
            other = branches[1 - branches.index({"type": "null"})]
            inner = self.type(other, here)
            if isinstance(inner, tuple):
                raise Unsupported("nullable raw value")
            return _union([inner, None])
        raise Unsupported("an anyOf that is not a tagged union")

    def kind(self, kind: str, node: dict[str, Any], keys: set[str], here: str) -> Any:
        """One type of a ``type`` list; a keyword of another type does not apply to it."""
        if keys - APPLIES["any"] - {"type"}:
            raise Unsupported(f"keywords {sorted(keys - APPLIES['any'] - {'type'})}")
        own = keys & APPLIES.get(kind, set())
        if kind in ("string", "boolean", "null"):
            return {"string": str, "boolean": bool, "null": None}[kind]
        if kind == "integer":
            low = node.get("minimum", INT64[0])
            high = node.get("maximum", INT64[1])
            if low.__class__ is not int or high.__class__ is not int:
                raise Unsupported("integer bounds that are not integers")
            return Annotated[int, msgspec.Meta(ge=max(low, INT64[0]), le=min(high, INT64[1]))]
        if kind == "array" and own == {"items"}:
            item = self.type(node["items"], here)
            if isinstance(item, tuple):
                raise Unsupported("an array of raw values")
            return list[item]  # type: ignore[valid-type]
        if kind == "object" and "properties" in own:
            return self.struct({k: node[k] for k in ("properties", "required") if k in node}, here)
        raise Unsupported(f"type {kind} with {sorted(own)}")

    def struct(self, node: Any, here: str, tag: str | None = None) -> Any:
        if not isinstance(node, dict):
            raise Unsupported("an object schema that is not an object")
        keys = _keywords(node)
        properties = node.get("properties")
        if keys - {"type", "properties", "required"} or node.get("type", "object") != "object":
            raise Unsupported(f"object with {sorted(keys)}")
        if not isinstance(properties, dict):
            raise Unsupported("properties that are not an object")
        required = set(node.get("required", []))
        if not required <= set(properties):
            raise Unsupported("a required field that is not a property")
        fields: list[tuple[Any, ...]] = []
        rename: dict[str, str] = {}
        raw: list[tuple[str, Any]] = []
        texts: list[tuple[str, bool]] = []
        for index, (name, schema) in enumerate(properties.items()):
            if tag is not None and name == "type":
                if schema.get("const") != tag or name not in required:
                    raise Unsupported("a tag that is not a required const")
                continue
            field = f"f{index}"
            rename[field] = name
            kind = self.type(schema, here)
            if isinstance(kind, tuple):  # read by orjson after decoding (_reader)
                raw.append((field, kind[1]))
                kind = msgspec.Raw
            elif self.raw_texts and name in TEXT_FIELDS and kind in (str, str | None):
                texts.append((field, kind is not str))
                kind = msgspec.Raw
            if name in required:
                fields.append((field, kind))
            else:
                fields.append((field, _union([kind, msgspec.UnsetType]), msgspec.UNSET))
        fields.sort(key=len)  # msgspec wants the fields without a default first
        self.count += 1
        namespace: dict[str, Any] = {}
        if raw or texts:
            namespace = {"__post_init__": _reader(raw, texts)}
        # Decoded values are trees, never cycles: the garbage collector need not track them.
        options: dict[str, Any] = {"rename": rename, "gc": False}
        if tag is not None:
            options.update(tag_field="type", tag=tag)
        name = f"{node.get('title', 'Object')}_{self.count}"
        return msgspec.defstruct(name, fields, namespace=namespace, **options)


@functools.cache
def compile_version(version: str, raw_texts: bool = False) -> tuple[Any, Any] | None:
    """Decoders for a bare line and an envelope of ``version``, or
    ``None`` when its documents hold something :class:`_Compiler` does not translate.

    ``raw_texts``: the :data:`TEXT_FIELDS` stay raw, checked by :func:`_text` (for lines
    that are not ASCII, whose strings cost most to decode and to encode again).
    """
    try:
        compiler = _Compiler(version, raw_texts)
        entry = registry.VERSIONED_THREAD_EVENT
        event = compiler.type(compiler.documents[registry.THREAD_EVENT], registry.THREAD_EVENT)
        envelope = compiler.documents[entry]
        fields = envelope["properties"]
        if (
            _keywords(envelope) != {"type", "properties", "required"}
            or not set(fields) == set(envelope["required"]) == {"schema_version", "event"}
            or compiler.type(fields["schema_version"], entry) is not str
        ):
            raise Unsupported("an envelope that is not {schema_version: string, event}")
        wrapped = msgspec.defstruct(
            "Envelope",
            [
                ("schema_version", Literal[version]),
                ("event", compiler.type(fields["event"], entry)),
            ],
            gc=False,
        )
    except (Unsupported, KeyError, IndexError, TypeError, ValueError):
        return None
    return msgspec.json.Decoder(event), msgspec.json.Decoder(wrapped)


def _group(lines: Sequence[bytes], envelopes: bool, version: str) -> bool:
    """Lines all bare (checked against ``version``) or all envelopes (against the version
    of the first: a line of another version fails): each decoded alone, so each is exactly
    one JSON value (joined, two broken lines could make one), then encoded in one call."""
    if envelopes:
        first = lines[0]
        version = first[len(ENVELOPE) : first.find(b'"', len(ENVELOPE))].decode("ascii", "replace")
        if version not in schemas.known_versions():
            return False
    plain = compile_version(version)
    if plain is None:
        return False
    ascii = list(map(bytes.isascii, lines))
    try:
        if all(ascii):
            values = list(map(plain[envelopes].decode, lines))
        else:
            # Compiled when a line that is not ASCII first needs them (start-up stays short).
            raw = compile_version(version, raw_texts=True)
            if raw is None:
                return False
            if not any(ascii):
                values = list(map(raw[envelopes].decode, lines))
            else:
                decode = (raw[envelopes].decode, plain[envelopes].decode)
                values = [decode[a](line) for line, a in zip(lines, ascii, strict=True)]
        buffer = getattr(_local, "buffer", None)
        if buffer is None:
            buffer = _local.buffer = bytearray()
        _encode_into(values, buffer)
        written = len(buffer)
    except _Errors:
        return False
    # "[" + the values joined by "," + "]", as long as the lines without the newline that
    # ends them: nothing was dropped. (A newline elsewhere in a line is not taken off: such
    # a line looks longer than its encoding and goes the other way.)
    ends = sum(map(bytes.endswith, lines, repeat(b"\n")))
    return written == sum(map(len, lines)) - ends + len(lines) + 1


def accepts(lines: Sequence[bytes], version: str) -> bool:
    """Whether every line is valid and warning-free with nothing serde would refuse that
    a parse hides (bare lines against ``version``, envelopes against their own)."""
    envelopes = lines[0].startswith(ENVELOPE)
    if envelopes is lines[-1].startswith(ENVELOPE) and _group(lines, envelopes, version):
        return True
    flags = list(map(bytes.startswith, lines, repeat(ENVELOPE)))
    if all(flags) or not any(flags):
        return False  # one kind of line, and it failed
    return _group(list(compress(lines, map(not_, flags))), False, version) and _group(
        list(compress(lines, flags)), True, version
    )
