"""Hostile schema pairs (hang, blow-up, traceback): run one in a fresh process, print a summary.

``python -m tests.compat.hostile CASE`` prints one JSON line: the verdicts, the changes (id,
decided, witness shown or why not) and the time taken, or the one-line error.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any

Pair = tuple[Any, Any]


def _enum(n: int) -> Pair:
    values = [f"v{i}" for i in range(n)]
    return {"enum": values}, {"enum": [*values, "extra"]}


def _properties(n: int) -> Pair:
    props = {f"p{i}": {"type": "string"} for i in range(n)}
    changed = dict(props)
    changed["p7"] = {"type": "string", "maxLength": 3}
    return {"type": "object", "properties": props}, {"type": "object", "properties": changed}


def _deep(levels: int) -> Pair:
    def build(leaf: Any) -> Any:
        node = leaf
        for _ in range(levels):
            node = {"type": "object", "properties": {"a": node}}
        return node

    return build({"type": "string"}), build({"type": "string", "maxLength": 3})


def _ref_chain(n: int) -> Pair:
    def build(leaf: Any) -> Any:
        defs = {f"d{i}": {"$ref": f"#/$defs/d{i + 1}"} for i in range(n)}
        defs[f"d{n}"] = leaf
        return {"$defs": defs, "$ref": "#/$defs/d0"}

    return build({"type": "string"}), build({"type": "integer"})


def _remote(old_uri: str, new_uri: str) -> Pair:
    def build(uri: str) -> Any:
        return {"type": "object", "properties": {"a": {"$ref": uri}, "b": {"type": "string"}}}

    return build(old_uri), build(new_uri)


_CATASTROPHIC = "^(a+)+b$"


def _pattern(old: str, new: str) -> Pair:
    return {"type": "string", "pattern": old}, {"type": "string", "pattern": new}


def _nth_from_end(n: int) -> str:
    """The n-th character from the end is an a: the smallest DFA has 2^n states."""
    return f"(a|b)*a(a|b){{{n}}}"


def _alternation(chars: int) -> str:
    """Distinct literals joined by ``|``, about ``chars`` characters long."""
    words: list[str] = []
    size, i = 0, 0
    while size < chars:
        words.append(f"w{i:05d}")
        size += len(words[-1]) + 1
        i += 1
    return "^(" + "|".join(words) + ")$"


def _code_points(n: int) -> str:
    """``n`` distinct single characters above U+0100 joined by ``|`` (2n characters): as many
    character classes as a pattern can cut the alphabet into."""
    return "^(" + "|".join(chr(0x100 + 2 * i) for i in range(n)) + ")+$"


def _ranges(n: int, step: int) -> str:
    """A class of ``n`` disjoint Unicode ranges above U+0100 (each 8 code points wide)."""
    return (
        "^["
        + "".join(f"\\u{0x100 + i * step:04x}-\\u{0x100 + i * step + 7:04x}" for i in range(n))
        + "]+$"
    )


def _any_of_patterns(n: int) -> Pair:
    def build(extra: list[str]) -> Any:
        patterns = [f"^p{i}x[a-z]{{{i % 7 + 1}}}$" for i in range(n)] + extra
        return {"anyOf": [{"type": "string", "pattern": p} for p in patterns]}

    return build([]), build(["^q$"])


def _missing_refs(n: int) -> Pair:
    props = {f"p{i}": {"$ref": "#/$defs/missing"} for i in range(n)}
    old = {"type": "object", "properties": props, "$defs": {"there": {"type": "string"}}}
    return old, {**old, "required": ["p0"]}


#: name → the (old, new) pair.
CASES: dict[str, Callable[[], Pair]] = {
    "enum_10000": lambda: _enum(10_000),
    "properties_50000": lambda: _properties(50_000),
    "min_items_huge": lambda: ({"type": "array"}, {"type": "array", "minItems": 100_000_000}),
    "max_items_huge": lambda: (
        {"type": "array", "maxItems": 100_000_000},
        {"type": "array", "maxItems": 99_999_999},
    ),
    "catastrophic_pattern": lambda: (
        {"type": "string", "minLength": 40, "pattern": _CATASTROPHIC},
        {"type": "string", "minLength": 41, "pattern": _CATASTROPHIC},
    ),
    "catastrophic_pattern_changed": lambda: (
        {"type": "string", "minLength": 40, "pattern": _CATASTROPHIC},
        {"type": "string", "minLength": 40, "pattern": "^(a+)+c$"},
    ),
    "multiple_of_tiny": lambda: (
        {"type": "number", "maximum": 1e10},
        {"type": "number", "maximum": 1e10, "multipleOf": 1e-300},
    ),
    "ref_root_cycle": lambda: ({"$ref": "#"}, {"$ref": "#"}),
    "allof_cycle": lambda: (
        {"type": "object", "allOf": [{"$ref": "#"}]},
        {"type": "object", "allOf": [{"$ref": "#"}], "required": ["a"]},
    ),
    "recursive_tree": lambda: (
        {"type": "object", "properties": {"child": {"$ref": "#"}, "v": {"type": "string"}}},
        {"type": "object", "properties": {"child": {"$ref": "#"}, "v": {"type": "integer"}}},
    ),
    "deep_properties_300": lambda: _deep(300),
    "ref_chain_2000": lambda: _ref_chain(2_000),
    "remote_ref_same": lambda: _remote("https://example.com/a.json", "https://example.com/a.json"),
    "remote_ref_changed": lambda: _remote(
        "https://example.com/a.json", "https://example.com/b.json"
    ),
    "ecma_patterns": lambda: (
        {"type": "string", "pattern": "^\\p{L}+$"},
        {"type": "string", "pattern": "^\\p{L}+$", "maxLength": 5},
    ),
    "ecma_control_escape": lambda: (
        {"type": "string", "pattern": "\\cC"},
        {"type": "string", "pattern": "\\cC", "minLength": 2},
    ),
    "regex_nth_from_end_20": lambda: _pattern(_nth_from_end(20), _nth_from_end(19)),
    "regex_nth_from_end_30": lambda: _pattern(_nth_from_end(30), _nth_from_end(29)),
    "regex_plus_alternatives": lambda: _pattern("^(a|aa)+$", "^(a|aa|aaa)+$"),
    "regex_alternation_5000": lambda: _pattern(
        _alternation(5_000), _alternation(5_000)[:-2] + "|extra)$"
    ),
    "regex_code_points_2500": lambda: _pattern(_code_points(2_500), _code_points(2_499)),
    "regex_unicode_ranges_200": lambda: _pattern(_ranges(200, 16), _ranges(199, 16)),
    "regex_letter_property": lambda: _pattern("^\\p{L}+$", "^\\p{Lu}+$"),
    "regex_any_of_300": lambda: _any_of_patterns(300),
    "regex_any_of_2000": lambda: _any_of_patterns(2_000),
    "ref_chain_5000": lambda: _ref_chain(5_000),
    "ref_missing_1000": lambda: _missing_refs(1_000),
    "invalid_pattern": lambda: (
        {"type": "object", "properties": {"a": {"type": "string", "pattern": "[a-"}}},
        {"type": "object", "properties": {"a": {"type": "string"}}},
    ),
}


def run(name: str) -> dict[str, Any]:
    """Compare one case's pair; what happened, as JSON-ready data."""
    from vtcode_exec_events.compat import compare
    from vtcode_exec_events.errors import SchemaError

    old, new = CASES[name]()
    start = time.perf_counter()
    try:
        report = compare(old, new)
    except SchemaError as err:
        return {"error": str(err), "seconds": time.perf_counter() - start}
    changes = [
        {
            "id": c.id,
            "backward": c.backward,
            "forward": c.forward,
            "decided": getattr(c, "decided", getattr(c, "proven", True)),
            "witness": c.witness is not None,
            "witness_note": getattr(c, "witness_note", None),
            "message": c.message,
        }
        for c in report.changes
    ]
    return {
        "backward": report.backward,
        "forward": report.forward,
        "changes": changes,
        "seconds": time.perf_counter() - start,
    }


def _expired(signum: int, frame: Any) -> None:
    raise TimeoutError


def main(names: list[str], seconds: float) -> None:
    """Run each case under a hard time limit of ``seconds`` (SIGALRM interrupts it)."""
    import signal

    signal.signal(signal.SIGALRM, _expired)
    for name in names:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            result = run(name)
        except TimeoutError:
            result = {"timeout": seconds}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        print(json.dumps({"case": name, **result}), flush=True)


if __name__ == "__main__":
    limit = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
    main(sys.argv[1].split(","), limit)
