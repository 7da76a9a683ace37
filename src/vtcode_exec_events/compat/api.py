"""The public entry points: compare two schema documents, files or version folders."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from vtcode_exec_events.compat.config import Policy
from vtcode_exec_events.compat.diff import Change, Differ
from vtcode_exec_events.compat.loader import SchemaSet, load_document, load_path
from vtcode_exec_events.compat.report import Report
from vtcode_exec_events.compat.witness import attach_witnesses

__all__ = ["compare", "compare_paths", "compare_sets"]


def _policy(policy: str | Policy) -> Policy:
    return policy if isinstance(policy, Policy) else Policy(name=policy)


def compare(
    old: Mapping[str, Any] | bool,
    new: Mapping[str, Any] | bool,
    policy: str | Policy = "strict",
) -> Report:
    """Compare two schema documents (``$ref`` within each) and classify every change."""
    old_set = load_document(old, "urn:vtcode-compat:old")
    new_set = load_document(new, "urn:vtcode-compat:new")
    return compare_sets(old_set, new_set, policy)


def compare_paths(old: str | Path, new: str | Path, policy: str | Policy = "strict") -> Report:
    """Compare two schema files or version folders (entry documents paired by name)."""
    old_set = load_path(old)
    new_set = load_path(new)
    report = compare_sets(old_set, new_set, policy)
    report.old_name, report.new_name = str(old), str(new)
    return report


def compare_sets(old_set: SchemaSet, new_set: SchemaSet, policy: str | Policy = "strict") -> Report:
    """Compare two loaded schema sets (entry documents paired by file name)."""
    return run_deep(lambda: _compare_sets(old_set, new_set, _policy(policy)))


_T = TypeVar("_T")
_STACK = 512 * 1024 * 1024


def run_deep(fn: Callable[[], _T]) -> _T:
    """Run ``fn`` on a thread with a large stack: schema graphs can be thousands of refs deep."""
    if threading.current_thread().name == "vtcode-compat":
        return fn()
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as err:  # re-raised in the caller's thread
            box["error"] = err

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 400_000))
    try:
        previous = threading.stack_size(_STACK)
    except (ValueError, RuntimeError):  # a platform that refuses large thread stacks
        sys.setrecursionlimit(limit)
        return fn()
    try:
        worker = threading.Thread(target=target, name="vtcode-compat")
        worker.start()
        worker.join()
    finally:
        threading.stack_size(previous)
        sys.setrecursionlimit(limit)
    if "error" in box:
        raise box["error"]
    value: _T = box["value"]
    return value


def _compare_sets(old_set: SchemaSet, new_set: SchemaSet, pol: Policy) -> Report:
    differ = Differ(
        old_set,
        new_set,
        lenient=pol.lenient,
        format_assertion=pol.format_assertion,
        required_default_ok=pol.required_with_default_ok,
    )
    pairs = _pair_roots(old_set, new_set)
    changes: list[Change] = []
    seen: set[tuple[str, str, str, bool, bool, str]] = set()
    for old_uri, new_uri in pairs:
        for c in differ.compare_roots(old_uri, new_uri):
            if c.key in seen:
                continue
            seen.add(c.key)
            changes.append(c)
    if pol.witnesses:
        attach_witnesses(differ, changes, pairs)
    report = Report(changes=[], policy=pol.name)
    forced = []
    for c in changes:
        level = pol.severity.get(c.id)
        if level is None:
            c.severity = "error" if c.breaking else "info"
        else:
            c.severity = level
            if level == "error":
                forced.append(c.id)
        if c.severity == "off":
            continue
        entry = next((e for e in pol.ignore if e.matches(c.id, c.old_pointer, c.new_pointer)), None)
        if entry is not None:
            report.ignored.append((c, entry.reason))
            continue
        report.changes.append(c)
    report.sources["forced_errors"] = forced
    report.sources["old_set"] = old_set
    report.sources["new_set"] = new_set
    return report


def _pair_roots(old_set: SchemaSet, new_set: SchemaSet) -> list[tuple[str, str]]:
    def name(uri: str) -> str:
        return uri.rsplit("/", 1)[-1]

    if len(old_set.roots) == 1 and len(new_set.roots) == 1:
        return [(old_set.roots[0], new_set.roots[0])]
    new_by_name = {name(u): u for u in new_set.roots}
    pairs = [(u, new_by_name[name(u)]) for u in old_set.roots if name(u) in new_by_name]
    if not pairs:
        return [(old_set.roots[0], new_set.roots[0])]
    return pairs
