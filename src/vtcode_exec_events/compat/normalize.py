"""Turns raw schema nodes of any draft into canonical 2020-12-style nodes, lazily and cycle-safe."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

from vtcode_exec_events.compat.algebra.merge import simplify
from vtcode_exec_events.compat.canonical import (
    ANNOTATIONS,
    IGNORED,
    KNOWN,
    NUMBER_KW,
    Node,
    canonical,
)
from vtcode_exec_events.compat.loader import LEGACY_DIALECTS, Location, SchemaSet
from vtcode_exec_events.errors import SchemaError, SchemaReferenceError

__all__ = ["MAX_DEPTH", "Normalizer"]

#: schemas nesting deeper than this are refused with a clear error (references chains and
#: recursive schemas are not nesting: they are followed in loops and compared as cycles)
MAX_DEPTH = 1_000
_REF_KEYS = ("$ref", "$dynamicRef", "$recursiveRef")


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
            if key not in KNOWN and not key.startswith("x-"):
                node.unknown[key] = value
        if ref_target is not None:
            node.allof.insert(0, ref_target)
        simplify(node)

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
