"""jsonschema validators with ECMA-262 patterns, and metaschema checks that depth cannot break."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
from jsonschema import FormatChecker, ValidationError, validators
from jsonschema.protocols import Validator

from vtcode_exec_events.compat.algebra.regex import regex_error, search
from vtcode_exec_events.errors import SchemaError
from vtcode_exec_events.pointer import join

__all__ = ["check_schema", "validator_class"]

_BASE = {
    "draft3": validators.Draft3Validator,
    "draft4": validators.Draft4Validator,
    "draft6": validators.Draft6Validator,
    "draft7": validators.Draft7Validator,
    "draft2019-09": validators.Draft201909Validator,
    "draft2020-12": validators.Draft202012Validator,
}

#: schema nesting handled in one piece by the metaschema validator (deeper parts are cut off
#: and checked on their own, so no recursion limit is ever approached)
_CHUNK = 40
_SINGLE = (
    "additionalProperties",
    "propertyNames",
    "unevaluatedProperties",
    "additionalItems",
    "contains",
    "unevaluatedItems",
    "not",
    "if",
    "then",
    "else",
    "contentSchema",
    "items",
)
_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems", "items")


class _Undecided(Exception):
    """A pattern this process cannot match safely on this string."""


def _matches(pattern: str, text: str) -> bool:
    found = search(pattern, text)
    if found is None:
        raise _Undecided(pattern)
    return found


def _pattern(validator: Any, patrn: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _matches(patrn, instance):
        yield ValidationError(f"{instance!r} does not match {patrn!r}")


def _pattern_properties(
    validator: Any, patterns: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for k, v in instance.items():
            if _matches(pattern, k):
                yield from validator.descend(v, subschema, path=k, schema_path=pattern)


def _additional_properties(
    validator: Any, extra_schema: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    declared = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    extras = [
        k for k in instance if k not in declared and not any(_matches(p, k) for p in patterns)
    ]
    if validator.is_type(extra_schema, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], extra_schema, path=extra)
    elif not extra_schema and extras:
        yield ValidationError(f"additional properties are not allowed: {sorted(extras)!r}")


_CLASSES: dict[str, Any] = {}


def validator_class(dialect: str) -> Any:
    """The jsonschema validator class of ``dialect``, matching patterns as ECMA-262."""
    cls = _CLASSES.get(dialect)
    if cls is None:
        cls = validators.extend(  # type: ignore[no-untyped-call]
            _BASE[dialect],
            {
                "pattern": _pattern,
                "patternProperties": _pattern_properties,
                "additionalProperties": _additional_properties,
            },
        )
        _CLASSES[dialect] = cls
    return cls


def _regex_format(value: object) -> bool:
    return not isinstance(value, str) or regex_error(value) is None


_META: dict[str, Validator] = {}


def _meta(dialect: str) -> Validator:
    meta = _META.get(dialect)
    if meta is None:
        base = _BASE[dialect]
        checker = FormatChecker()
        checker.checkers = dict(base.FORMAT_CHECKER.checkers)
        checker.checkers["regex"] = (_regex_format, ())
        meta_cls = validators.validator_for(base.META_SCHEMA, default=base)
        meta = meta_cls(base.META_SCHEMA, format_checker=checker)
        _META[dialect] = meta
    return meta


#: the metaschema each dialect is checked against (jsonschema-rs picks it from ``$schema``)
_META_URI = {
    "draft4": "http://json-schema.org/draft-04/schema#",
    "draft6": "http://json-schema.org/draft-06/schema#",
    "draft7": "http://json-schema.org/draft-07/schema#",
    "draft2019-09": "https://json-schema.org/draft/2019-09/schema",
    "draft2020-12": "https://json-schema.org/draft/2020-12/schema",
}


def check_schema(where: str, contents: Any, dialect: str) -> None:
    """Raise a one-line ``SchemaError`` naming the place when ``contents`` is not a valid
    ``dialect`` schema, or holds a pattern that is not ECMA-262. Any depth: deep parts are
    checked piece by piece, each against the metaschema (by jsonschema-rs: linear time)."""
    if not isinstance(contents, (dict, bool)):
        raise SchemaError(f"{where}: a schema must be a JSON object or a boolean")
    todo: list[tuple[Any, str]] = [(contents, "")]
    while todo:
        node, pointer = todo.pop()
        piece = _cut(node, pointer, 0, todo, where)
        if not isinstance(piece, dict):
            continue
        uri = _META_URI.get(dialect)
        if uri is None:  # draft-03: jsonschema's own metaschema check
            error = next(iter(_meta(dialect).iter_errors(piece)), None)
            if error is not None:
                place = join(_deepest(error).absolute_path, pointer)
                raise SchemaError(f"{where}#{place}: {_message(_deepest(error), dialect)}")
            continue
        err = _meta_error({**piece, "$schema": uri})
        if err is not None:
            place = join([str(p) for p in err.instance_path], pointer)
            first = str(err).splitlines()[0] if str(err) else "invalid"
            raise SchemaError(
                f"{where}#{place}: not a valid {dialect} schema: {_short(first, 160)}"
            ) from None


def _meta_error(piece: dict[str, Any]) -> jsonschema_rs.ValidationError | None:
    """The first metaschema error of ``piece`` by jsonschema-rs, but for its "regex" format:
    a pattern ECMA-262 accepts without the ``u`` flag (Annex B: a lone ``]`` or ``{``, an
    identity escape such as ``\\@``) is valid; ``regex_error`` (regress) decides, and such a
    pattern is set aside (on a copy) so the rest of the piece is still checked."""
    copied = False
    while True:
        try:
            jsonschema_rs.meta.validate(piece)
        except jsonschema_rs.ValidationError as err:
            kind = err.kind
            is_regex = isinstance(kind, jsonschema_rs.ValidationErrorKind.Format) and (
                kind.format == "regex"
            )
            if not (is_regex and isinstance(err.instance, str)):
                return err
            if regex_error(err.instance) is not None:
                return err
            if not copied:
                piece, copied = copy.deepcopy(piece), True
            if not _set_aside(piece, list(err.instance_path), err.instance):
                return err
            continue
        return None


def _set_aside(piece: Any, path: list[str | int], pattern: str) -> bool:
    """Replace the pattern at ``path`` (a value, or a key of the object there) by one every
    engine accepts; False when it is not found (nothing changed)."""
    parent: Any = None
    node: Any = piece
    for step in path:
        try:
            parent, node = node, node[step]
        except (KeyError, IndexError, TypeError):
            return False
    if node == pattern and parent is not None:
        parent[path[-1]] = "a"
        return True
    if isinstance(node, dict) and pattern in node:
        fresh = next(f"a{i}" for i in range(len(node) + 1) if f"a{i}" not in node)
        node[fresh] = node.pop(pattern)
        return True
    return False


def _check_patterns(node: dict[str, Any], pointer: str, where: str) -> None:
    found: list[tuple[str, str]] = []
    if isinstance(node.get("pattern"), str):
        found.append((node["pattern"], join(["pattern"], pointer)))
    if isinstance(node.get("patternProperties"), dict):
        base = join(["patternProperties"], pointer)
        found += [(p, join([p], base)) for p in node["patternProperties"]]
    for pattern, place in found:
        reason = regex_error(pattern)
        if reason is not None:
            raise SchemaError(
                f"{where}#{place}: pattern {_short(pattern)} is not a valid ECMA-262 regular "
                f"expression ({reason})"
            )


def _deepest(error: ValidationError) -> ValidationError:
    while error.context:
        error = min(error.context, key=lambda e: -len(e.absolute_path))
    return error


def _message(error: ValidationError, dialect: str) -> str:
    if error.validator == "format" and error.validator_value == "regex":
        reason = regex_error(error.instance) if isinstance(error.instance, str) else None
        return f"pattern {_short(error.instance)} is not a valid ECMA-262 regular expression" + (
            f" ({reason})" if reason else ""
        )
    return f"not a valid {dialect} schema: {_short(error.message, 160)}"


def _short(value: Any, limit: int = 80) -> str:
    text = value if isinstance(value, str) and limit > 80 else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _cut(node: Any, pointer: str, depth: int, todo: list[tuple[Any, str]], where: str) -> Any:
    """A copy of schema ``node`` whose sub-schemas deeper than the chunk are ``True`` (and
    queued in ``todo`` to be checked on their own); its patterns are checked on the way."""
    if not isinstance(node, dict):
        return node
    if depth >= _CHUNK:
        todo.append((node, pointer))
        return True
    _check_patterns(node, pointer, where)
    out: dict[str, Any] = {}
    for key, value in node.items():
        here = join([key], pointer)
        if key in _SINGLE and isinstance(value, (dict, bool)):
            out[key] = _cut(value, here, depth + 1, todo, where)
        elif key in _LISTS and isinstance(value, list):
            out[key] = [
                _cut(v, join([i], here), depth + 1, todo, where) for i, v in enumerate(value)
            ]
        elif (key in _MAPS or key == "dependencies") and isinstance(value, dict):
            out[key] = {
                k: _cut(v, join([k], here), depth + 1, todo, where)
                if not isinstance(v, list)
                else v
                for k, v in value.items()
            }
        else:
            out[key] = value
    return out
