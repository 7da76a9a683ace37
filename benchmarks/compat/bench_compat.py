"""Cost of ``compat`` as a ratio to loading and resolving both schema sets (the floor).

Run: ``python benchmarks/compat/bench_compat.py`` (``--quick`` for smaller inputs). Each
scenario builds an old and a new schema in memory or in a temporary folder, then times:

* the floor: load both sets (parse, metaschema check, index, registry) and resolve every
  ``$ref`` in them once with ``referencing``, which is the least any comparison must do;
* ``compare``: the same loading plus the semantic diff, without witnesses;
* ``compare`` with witnesses (each breaking change gets a verified instance).

Scenarios: thousands of object definitions with cross references (a few edits between the
versions); a deep graph of discriminated ``oneOf`` unions (recursive); and the real history,
every adjacent pair of folders in ``schema/`` (all versions, compared as the gate does).
Every figure is the best of several repeats, measured in the same run.
"""

from __future__ import annotations

import argparse
import copy
import itertools
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vtcode_exec_events.compat import Policy
from vtcode_exec_events.compat.api import compare_sets
from vtcode_exec_events.compat.loader import SchemaSet, load_document, load_path
from vtcode_exec_events.compat.versioning import versions

ROOT = Path(__file__).resolve().parents[2]


def many_definitions(n: int) -> tuple[dict[str, Any], dict[str, Any]]:
    defs: dict[str, Any] = {}
    for i in range(n):
        props: dict[str, Any] = {
            "id": {"type": "string", "minLength": 1},
            "count": {"type": "integer", "minimum": 0},
            "kind": {"enum": ["a", "b", "c"]},
            "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 10},
        }
        for k in range(1, 4):
            props[f"ref{k}"] = {"$ref": f"#/$defs/D{(i * 7 + k) % n}"}
        defs[f"D{i}"] = {
            "type": "object",
            "properties": props,
            "required": ["id", "kind"],
            "additionalProperties": False,
        }
    old = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": defs,
        "anyOf": [{"$ref": f"#/$defs/D{i}"} for i in range(0, n, max(1, n // 50))],
    }
    new = copy.deepcopy(old)
    for i in range(0, n, 97):
        new["$defs"][f"D{i}"]["properties"]["note"] = {"type": "string"}
    new["$defs"][f"D{5 % n}"]["required"].append("count")
    new["$defs"][f"D{11 % n}"]["properties"]["kind"]["enum"].append("d")
    return old, new


def deep_unions(depth: int, width: int) -> tuple[dict[str, Any], dict[str, Any]]:
    defs: dict[str, Any] = {}

    def build(level: int, prefix: str) -> str:
        name = f"U{prefix}"
        branches = []
        for b in range(width):
            props: dict[str, Any] = {"type": {"const": f"t{b}"}, "v": {"type": "integer"}}
            if level < depth:
                props["child"] = {"$ref": f"#/$defs/{build(level + 1, f'{prefix}_{b}')}"}
            else:
                props["child"] = {"$ref": "#/$defs/Uroot"}  # recursion back to the top
            branches.append({"type": "object", "properties": props, "required": ["type", "v"]})
        defs[name] = {"oneOf": branches}
        return name

    build(1, "root")
    old = {"$defs": defs, "$ref": "#/$defs/Uroot"}
    new = copy.deepcopy(old)
    leaf = f"Uroot{'_0' * (depth - 1)}"
    new["$defs"][leaf]["oneOf"].append(
        {"type": "object", "properties": {"type": {"const": "new"}}, "required": ["type"]}
    )
    new["$defs"][leaf]["oneOf"][0]["properties"]["v"]["minimum"] = 0
    return old, new


def _refs(node: Any, out: list[tuple[str, str]], base: str) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            out.append((base, ref))
        for key, value in node.items():
            if key not in ("enum", "const", "default", "examples"):
                _refs(value, out, base)
    elif isinstance(node, list):
        for value in node:
            _refs(value, out, base)


def resolve_all(schemas: SchemaSet) -> int:
    refs: list[tuple[str, str]] = []
    for uri, doc in schemas.documents.items():
        _refs(doc.contents, refs, uri)
    for base, ref in refs:
        schemas.registry.resolver(base_uri=base).lookup(ref)
    return len(refs)


def best(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def scenario_docs(name: str, old: Any, new: Any, repeats: int) -> dict[str, Any]:
    def floor() -> None:
        resolve_all(load_document(old, "urn:o"))
        resolve_all(load_document(new, "urn:n"))

    def diff(witnesses: bool) -> Callable[[], object]:
        def run() -> object:
            a, b = load_document(old, "urn:o"), load_document(new, "urn:n")
            return compare_sets(a, b, Policy(witnesses=witnesses))

        return run

    return _measure(name, floor, diff(False), diff(True), repeats)


def scenario_history(repeats: int) -> dict[str, Any] | None:
    folders = [p for _, p in versions(ROOT / "schema")]
    if len(folders) < 2:
        return None
    pairs = list(itertools.pairwise(folders))

    def floor() -> None:
        for a, b in pairs:
            resolve_all(load_path(a))
            resolve_all(load_path(b))

    def diff(witnesses: bool) -> Callable[[], object]:
        def run() -> object:
            for a, b in pairs:
                compare_sets(
                    load_path(a), load_path(b), Policy(name="lenient", witnesses=witnesses)
                )
            return None

        return run

    return _measure(
        f"history: {len(folders)} versions, {len(pairs)} adjacent pairs",
        floor,
        diff(False),
        diff(True),
        repeats,
    )


def _measure(
    name: str,
    floor: Callable[[], object],
    plain: Callable[[], object],
    witnessed: Callable[[], object],
    repeats: int,
) -> dict[str, Any]:
    f = best(floor, repeats)
    p = best(plain, repeats)
    w = best(witnessed, max(1, repeats // 2))
    return {
        "scenario": name,
        "floor_s": f,
        "compare_s": p,
        "witness_s": w,
        "ratio": p / f,
        "ratio_witness": w / f,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs, fewer repeats")
    parser.add_argument("--json", action="store_true", help="print JSON rows")
    args = parser.parse_args()
    n = 500 if args.quick else 3000
    depth, width = (3, 4) if args.quick else (4, 6)
    repeats = 2 if args.quick else 3
    rows = []
    old, new = many_definitions(n)
    rows.append(scenario_docs(f"{n} definitions, 3 cross refs each", old, new, repeats))
    old, new = deep_unions(depth, width)
    count = sum(width**k for k in range(depth))
    rows.append(
        scenario_docs(
            f"oneOf graph: depth {depth}, width {width} ({count} unions, recursive)",
            old,
            new,
            repeats,
        )
    )
    history = scenario_history(repeats)
    if history is not None:
        rows.append(history)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print("| scenario | floor (load + resolve) | compare | ratio | with witnesses | ratio |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['scenario']} | {r['floor_s'] * 1000:.0f} ms | {r['compare_s'] * 1000:.0f} ms "
            f"| {r['ratio']:.1f}× | {r['witness_s'] * 1000:.0f} ms | {r['ratio_witness']:.1f}× |"
        )


if __name__ == "__main__":
    with tempfile.TemporaryDirectory():
        main()
