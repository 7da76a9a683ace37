"""Turns raw schema nodes of any draft into canonical 2020-12-style nodes, lazily and cycle-safe."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from json.encoder import encode_basestring_ascii
from typing import Any
from urllib.parse import urljoin, urlsplit

from vtcode_exec_events.compat.loader import LEGACY_DIALECTS, Location, SchemaSet
from vtcode_exec_events.errors import SchemaError, SchemaReferenceError

__all__ = ["ALL_TYPES", "Node", "Normalizer", "canonical", "merge_into", "type_of_kw"]

#: schemas nesting deeper than this are refused with a clear error (references chains and
#: recursive schemas are not nesting: they are followed in loops and compared as cycles)
MAX_DEPTH = 1_000
_REF_KEYS = ("$ref", "$dynamicRef", "$recursiveRef")
ALL_TYPES = frozenset({"null", "boolean", "object", "array", "string", "number", "integer"})

ANNOTATIONS = (
    "title",
    "description",
    "default",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
)
IGNORED = frozenset(
    {
        "$schema",
        "$id",
        "id",
        "$anchor",
        "$dynamicAnchor",
        "$recursiveAnchor",
        "$defs",
        "definitions",
        "$vocabulary",
    }
)
STRING_KW = ("minLength", "maxLength", "pattern", "format")
NUMBER_KW = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
OBJECT_KW = (
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedProperties",
)
ARRAY_KW = (
    "prefixItems",
    "items",
    "contains",
    "minContains",
    "maxContains",
    "minItems",
    "maxItems",
    "uniqueItems",
    "unevaluatedItems",
)
_KNOWN = frozenset(
    {*ANNOTATIONS, *IGNORED, *STRING_KW, *NUMBER_KW, *OBJECT_KW, *ARRAY_KW}
    | {"type", "enum", "const", "dependencies", "additionalItems", "anyOf", "oneOf", "allOf"}
    | {"not", "if", "then", "else", "$ref", "$dynamicRef", "$recursiveRef"}
)


def canonical(value: Any) -> str:
    """A canonical text for a JSON value (numbers compared by value, keys sorted)."""
    if isinstance(value, str):
        return encode_basestring_ascii(value)
    if value is None or isinstance(value, bool):
        return "null" if value is None else ("true" if value else "false")
    if isinstance(value, int):
        return str(value)

    def norm(v: Any) -> Any:
        if isinstance(v, bool) or v is None or isinstance(v, str):
            return v
        if isinstance(v, (int, float)):
            return float(v) if isinstance(v, float) and not v.is_integer() else int(v)
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items()}
        if isinstance(v, list):
            return [norm(x) for x in v]
        return v

    return json.dumps(norm(value), sort_keys=True, separators=(",", ":"))


@dataclass(eq=False)
class Node:
    """A canonical schema node. Sub-schemas are ``Node`` objects; identity is the node itself."""

    loc: Location
    display: str = ""
    false: bool = False
    types: frozenset[str] | None = None  # None: any type
    enum: list[Any] | None = None
    enum_key: str = "enum"
    kw: dict[str, Any] = field(default_factory=dict)
    unions: list[tuple[str, list[Node]]] = field(
        default_factory=list
    )  # ("anyOf"|"oneOf", branches)
    allof: list[Node] = field(default_factory=list)
    not_: Node | None = None
    cond: tuple[Node, Node | None, Node | None] | None = None  # if, then, else
    annotations: dict[str, Any] = field(default_factory=dict)
    unknown: dict[str, Any] = field(default_factory=dict)
    dynamic: bool = False  # carries $dynamicRef/$recursiveRef: resolved statically
    also: list[Location] = field(default_factory=list)  # further raw nodes this one conjoins
    remote: str | None = None  # an opaque reference to a document outside the set
    ready: bool = False
    copied: bool = False  # made by the engine (copy_node), not read from a document

    @property
    def is_true(self) -> bool:
        return (
            not self.false
            and self.types is None
            and self.enum is None
            and not self.kw
            and not self.unions
            and not self.allof
            and self.not_ is None
            and self.cond is None
            and self.remote is None
        )

    def fingerprint(self) -> str:
        return f"{self.loc.uri}#{self.loc.pointer}"


class Normalizer:
    """Builds canonical nodes for one schema set; every raw node is normalised once."""

    def __init__(self, schemas: SchemaSet) -> None:
        self.schemas = schemas
        self._cache: dict[tuple[int, str], Node] = {}
        self._keep: list[Any] = []

    def root(self, uri: str) -> Node:
        doc = self.schemas.documents[uri]
        return self.node(doc.contents, Location(uri, ""), uri)

    def node(self, raw: Any, loc: Location, base: str, depth: int = 0) -> Node:
        """The canonical node of ``raw``. Chains of pure references are followed in a loop
        (any length); a chain that returns to itself is a cycle and an error."""
        chain: list[Node] = []
        while True:
            located = self.schemas.locate(raw) if isinstance(raw, (dict, list)) else None
            if located is not None:
                loc, base = located
            key = (id(raw), base) if isinstance(raw, dict) else (id(raw), f"{base}#{loc.pointer}")
            cached = self._cache.get(key)
            if cached is not None:
                if any(n is cached for n in chain):
                    hops = " -> ".join(n.display for n in chain[chain.index(cached) :])
                    raise SchemaError(f"{cached.display}: $ref cycle ({hops} -> {cached.display})")
                target = cached
                break
            self._keep.append(raw)
            node = Node(loc=loc)
            node.display = self.schemas.display(loc)
            self._cache[key] = node
            hop = self._hop(node, raw, base)
            if hop is None:
                if node.remote is None:
                    self._fill(node, raw, base, depth)
                node.ready = True
                target = node
                break
            chain.append(node)
            raw, loc, base = hop
        for n in reversed(chain):
            self._adopt(n, target)
            n.ready = True
        return chain[0] if chain else target

    def _hop(self, node: Node, raw: Any, base: str) -> tuple[Any, Location, str] | None:
        """Where a pure reference leads (None for anything else; a remote one makes ``node``
        opaque)."""
        if not isinstance(raw, dict):
            return None
        ref_key = next((k for k in _REF_KEYS if isinstance(raw.get(k), str)), None)
        if ref_key is None:
            return None
        dialect = self._dialect(node.loc.uri)
        pure = dialect in LEGACY_DIALECTS or all(
            k in _REF_KEYS or k in IGNORED or k in ANNOTATIONS for k in raw
        )
        if not pure:
            return None
        ident = raw.get("id" if dialect in ("draft3", "draft4") else "$id")
        if isinstance(ident, str) and not ident.startswith("#"):
            base = urljoin(base, ident)
        resolved = self._resolve(node, raw[ref_key], base)
        if isinstance(resolved, str):
            node.remote = resolved
            return None
        target, target_base = resolved
        located = self.schemas.locate(target)
        return target, (located[0] if located else node.loc.child(ref_key)), target_base

    def _resolve(self, node: Node, ref: str, base: str) -> tuple[Any, str] | str:
        """The target of ``ref`` and its base, or the absolute URI of a remote document."""
        try:
            return self.schemas.resolve(ref, base)
        except SchemaReferenceError as err:
            target = urljoin(base, ref) if base else ref
            if urlsplit(target).scheme in ("http", "https"):
                return target  # never fetched: compared as an opaque reference
            raise SchemaReferenceError(f"{node.display}: {err}") from None

    # ------------------------------------------------------------------------------------------
    def _dialect(self, uri: str) -> str:
        doc = self.schemas.documents.get(uri)
        return doc.dialect if doc is not None else "draft2020-12"

    def _sub(self, raw: Any, loc: Location, base: str, depth: int) -> Node:
        if depth > MAX_DEPTH:
            where = self.schemas.display(loc)
            raise SchemaError(f"{where}: schemas nest deeper than {MAX_DEPTH} levels")
        return self.node(raw, loc, base, depth + 1)

    def _fill(self, node: Node, raw: Any, base: str, depth: int) -> None:
        if raw is True:
            return
        if raw is False:
            node.false = True
            return
        if not isinstance(raw, dict):
            raise SchemaError(f"{node.display}: a schema must be an object or a boolean")
        dialect = self._dialect(node.loc.uri)
        loc = node.loc
        ident_key = "id" if dialect in ("draft3", "draft4") else "$id"
        ident = raw.get(ident_key)
        if isinstance(ident, str) and not ident.startswith("#"):
            base = urljoin(base, ident)

        ref_target: Node | None = None
        for ref_key in _REF_KEYS:
            ref = raw.get(ref_key)
            if not isinstance(ref, str):
                continue
            if ref_key != "$ref":
                node.dynamic = True
            resolved = self._resolve(node, ref, base)
            if isinstance(resolved, str):
                ref_target = Node(loc=loc.child(ref_key), remote=resolved, ready=True)
                ref_target.display = self.schemas.display(ref_target.loc)
                break
            target, target_base = resolved
            located = self.schemas.locate(target)
            tloc = located[0] if located else loc.child(ref_key)
            ref_target = self._sub(target, tloc, target_base, depth)
            break
        for key in ANNOTATIONS:
            if key in raw:
                node.annotations[key] = raw[key]

        # ---- type / enum / const -------------------------------------------------------------
        t = raw.get("type")
        if isinstance(t, str):
            node.types = _types([t])
        elif isinstance(t, list):
            node.types = _types(t)
        enum: list[Any] | None = None
        if "enum" in raw and isinstance(raw["enum"], list):
            enum = _dedupe(raw["enum"])
        if "const" in raw:
            node.enum_key = "const" if enum is None else "enum"
            const = [raw["const"]]
            enum = (
                const
                if enum is None
                else [v for v in enum if canonical(v) == canonical(raw["const"])]
            )
        node.enum = enum

        # ---- numbers (draft-04 booleans folded into numeric exclusives) -------------------------
        for key in NUMBER_KW:
            if key in raw and not isinstance(raw[key], bool):
                node.kw[key] = raw[key]
        if raw.get("exclusiveMinimum") is True and "minimum" in raw:
            node.kw["exclusiveMinimum"] = node.kw.pop("minimum")
        if raw.get("exclusiveMaximum") is True and "maximum" in raw:
            node.kw["exclusiveMaximum"] = node.kw.pop("maximum")

        for key in ("minLength", "maxLength", "pattern", "format"):
            if key in raw:
                node.kw[key] = raw[key]
        for key in (
            "minProperties",
            "maxProperties",
            "minItems",
            "maxItems",
            "minContains",
            "maxContains",
        ):
            if key in raw:
                node.kw[key] = raw[key]
        if raw.get("uniqueItems") is True:
            node.kw["uniqueItems"] = True

        # ---- objects ---------------------------------------------------------------------------
        if isinstance(raw.get("properties"), dict):
            props_loc = loc.child("properties")
            node.kw["properties"] = {
                name: self._sub(s, props_loc.child(name), base, depth)
                for name, s in raw["properties"].items()
            }
        req = raw.get("required")
        if isinstance(req, list) and req:
            node.kw["required"] = sorted(set(req))
        for key in ("additionalProperties", "propertyNames", "unevaluatedProperties"):
            if key in raw:
                node.kw[key] = self._sub(raw[key], loc.child(key), base, depth)
        if isinstance(raw.get("patternProperties"), dict) and raw["patternProperties"]:
            pl = loc.child("patternProperties")
            node.kw["patternProperties"] = {
                pat: self._sub(s, pl.child(pat), base, depth)
                for pat, s in raw["patternProperties"].items()
            }
        dep_req: dict[str, list[str]] = {}
        dep_schemas: dict[str, Node] = {}
        for key in ("dependencies", "dependentRequired", "dependentSchemas"):
            value = raw.get(key)
            if not isinstance(value, dict):
                continue
            for name, dep in value.items():
                if isinstance(dep, list):
                    if dep:
                        dep_req[name] = sorted(set(dep) | set(dep_req.get(name, [])))
                else:
                    dep_schemas[name] = self._sub(dep, loc.child(key, name), base, depth)
        if dep_req:
            node.kw["dependentRequired"] = dep_req
        if dep_schemas:
            node.kw["dependentSchemas"] = dep_schemas

        # ---- arrays (draft-07 tuples become prefixItems) ------------------------------------
        items = raw.get("items")
        if isinstance(items, list):
            node.kw["prefixItems"] = [
                self._sub(s, loc.child("items", i), base, depth) for i, s in enumerate(items)
            ]
            if "additionalItems" in raw:
                node.kw["items"] = self._sub(
                    raw["additionalItems"], loc.child("additionalItems"), base, depth
                )
        elif items is not None:
            node.kw["items"] = self._sub(items, loc.child("items"), base, depth)
        if isinstance(raw.get("prefixItems"), list):
            node.kw["prefixItems"] = [
                self._sub(s, loc.child("prefixItems", i), base, depth)
                for i, s in enumerate(raw["prefixItems"])
            ]
        for key in ("contains", "unevaluatedItems"):
            if key in raw:
                node.kw[key] = self._sub(raw[key], loc.child(key), base, depth)

        # ---- combinators -------------------------------------------------------------------
        for key in ("anyOf", "oneOf"):
            if isinstance(raw.get(key), list):
                branches = [
                    self._sub(s, loc.child(key, i), base, depth) for i, s in enumerate(raw[key])
                ]
                node.unions.append((key, branches))
        if isinstance(raw.get("allOf"), list):
            node.allof = [
                self._sub(s, loc.child("allOf", i), base, depth) for i, s in enumerate(raw["allOf"])
            ]
        if "not" in raw:
            node.not_ = self._sub(raw["not"], loc.child("not"), base, depth)
        if "if" in raw:
            node.cond = (
                self._sub(raw["if"], loc.child("if"), base, depth),
                self._sub(raw["then"], loc.child("then"), base, depth) if "then" in raw else None,
                self._sub(raw["else"], loc.child("else"), base, depth) if "else" in raw else None,
            )
        for key, value in raw.items():
            if key not in _KNOWN and not key.startswith("x-"):
                node.unknown[key] = value
        if ref_target is not None:
            node.allof.insert(0, ref_target)
        self._simplify(node)

    def _adopt(self, node: Node, target: Node) -> None:
        """Make ``node`` a copy of ``target`` (a pure reference): same meaning, same location."""
        if not target.ready:
            node.allof = [target]
            return
        for f in (
            "false",
            "types",
            "enum",
            "kw",
            "unions",
            "allof",
            "not_",
            "cond",
            "annotations",
            "unknown",
            "dynamic",
            "remote",
        ):
            setattr(node, f, getattr(target, f))
        node.loc = target.loc
        node.display = target.display

    def _simplify(self, node: Node) -> None:
        """Fold equivalent shapes into one: single-branch unions, plain allOf, type unions."""
        # single-branch anyOf/oneOf is its branch
        keep_unions: list[tuple[str, list[Node]]] = []
        for kind, branches in node.unions:
            # duplicates are harmless in anyOf; in oneOf they make the value match twice
            uniq = _unique_nodes(branches) if kind == "anyOf" else branches
            if len(uniq) == 1:
                node.allof.append(uniq[0])
            elif not uniq:
                node.false = True
            else:
                keep_unions.append((kind, branches))
        node.unions = keep_unions
        # merge allOf members that are ready and plain
        remaining: list[Node] = []
        for member in node.allof:
            if member.ready and merge_into(node, member):
                continue
            remaining.append(member)
        node.allof = remaining
        # a union of single-type branches with disjoint types is a typed node
        if len(node.unions) == 1 and node.types is None and node.enum is None:
            kind, branches = node.unions[0]
            merged = _type_union(branches)
            if merged is not None and not (set(node.kw) & set(merged[1])):
                node.types, kw = merged
                node.kw.update(kw)
                node.unions = []
        if node.types is not None and not node.types:
            node.false = True
        if node.enum is not None and not node.enum:
            node.false = True


def _types(values: list[Any]) -> frozenset[str]:
    out = {v for v in values if isinstance(v, str)}
    if "number" in out:
        out.discard("integer")
    return frozenset(out)


def _dedupe(values: list[Any]) -> list[Any]:
    seen: set[str] = set()
    out = []
    for v in values:
        c = canonical(v)
        if c not in seen:
            seen.add(c)
            out.append(v)
    return out


def _unique_nodes(nodes: list[Node]) -> list[Node]:
    seen: set[int] = set()
    out = []
    for n in nodes:
        if id(n) not in seen:
            seen.add(id(n))
            out.append(n)
    return out


def type_of_kw(key: str) -> str | None:
    if key in STRING_KW:
        return "string"
    if key in NUMBER_KW:
        return "number"
    if key in OBJECT_KW:
        return "object"
    if key in ARRAY_KW:
        return "array"
    return None


def _type_union(branches: list[Node]) -> tuple[frozenset[str], dict[str, Any]] | None:
    """Branches each of one distinct JSON type (and only that type's keywords) → one typed node."""
    types: set[str] = set()
    kw: dict[str, Any] = {}
    families: set[str] = set()
    for b in branches:
        if (
            b.false
            or b.types is None
            or b.enum is not None
            or b.unions
            or b.allof
            or b.not_ is not None
            or b.cond is not None
            or b.unknown
            or b.dynamic
            or b.remote is not None
        ):
            return None
        fams = {"number" if t == "integer" else t for t in b.types}
        if fams & families:
            return None
        for key in b.kw:
            fam = type_of_kw(key)
            if fam is None or fam not in fams:
                return None
        families |= fams
        types |= b.types
        kw.update(b.kw)
    return frozenset(types), kw


_BOUND_MIN = (
    "minimum",
    "exclusiveMinimum",
    "minLength",
    "minItems",
    "minProperties",
    "minContains",
)
_BOUND_MAX = (
    "maximum",
    "exclusiveMaximum",
    "maxLength",
    "maxItems",
    "maxProperties",
    "maxContains",
)


def _holds_nodes(value: Any) -> bool:
    return isinstance(value, list) and any(isinstance(x, Node) for x in value)


def merge_into(node: Node, member: Node) -> bool:
    """Conjoin ``member`` into ``node`` when the result is exactly expressible; else False."""
    if member.dynamic or member.unknown or member.remote is not None:
        return False
    if member.false:
        node.false = True
        return True
    if member.allof or member.cond is not None:
        return False
    if member.not_ is not None and node.not_ is not None:
        return False
    if member.unions and node.unions:
        return False
    # keywords: equal values, or bounds we can tighten; anything else stays unmerged
    for key, value in member.kw.items():
        if key not in node.kw:
            continue
        mine = node.kw[key]
        if key in _BOUND_MIN or key in _BOUND_MAX:
            continue
        if key == "required":
            continue
        if isinstance(value, Node) or isinstance(mine, Node):
            if value is not mine:
                return False
        elif _holds_nodes(value) or _holds_nodes(mine):  # prefixItems: the same nodes only
            if not (
                isinstance(value, list)
                and isinstance(mine, list)
                and len(value) == len(mine)
                and all(x is y for x, y in zip(value, mine, strict=True))
            ):
                return False
        elif isinstance(value, dict) or isinstance(mine, dict):
            if isinstance(value, dict) and isinstance(mine, dict):
                for k in set(value) & set(mine):
                    if value[k] is not mine[k] and value[k] != mine[k]:
                        return False
            else:
                return False
        elif canonical(value) != canonical(mine):
            return False
    for key, value in member.kw.items():
        if key not in node.kw:
            node.kw[key] = value
        elif key in _BOUND_MIN:
            node.kw[key] = max(node.kw[key], value)
        elif key in _BOUND_MAX:
            node.kw[key] = min(node.kw[key], value)
        elif key == "required":
            node.kw[key] = sorted(set(node.kw[key]) | set(value))
        elif isinstance(value, dict):
            node.kw[key] = {**value, **node.kw[key]}
    if member.types is not None:
        if node.types is None:
            node.types = member.types
        else:
            node.types = _intersect_types(node.types, member.types)
    if member.enum is not None:
        if node.enum is None:
            node.enum = list(member.enum)
        else:
            allowed = {canonical(v) for v in member.enum}
            node.enum = [v for v in node.enum if canonical(v) in allowed]
    if member.not_ is not None:
        node.not_ = member.not_
    node.unions.extend(member.unions)
    for k, v in member.annotations.items():
        node.annotations.setdefault(k, v)
    return True


def _intersect_types(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    out = set(a & b)
    if "number" in a and "integer" in b:
        out.add("integer")
    if "integer" in a and "number" in b:
        out.add("integer")
    if "integer" in out and "number" in out:
        out.discard("integer")
    return frozenset(out)
