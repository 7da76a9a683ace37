"""The public entry points: compare two schema documents, files or version folders."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from vtcode_exec_events.compat.config import Policy
from vtcode_exec_events.compat.diff import Change, Differ
from vtcode_exec_events.compat.loader import SchemaSet, load_document, load_path
from vtcode_exec_events.compat.normalize import MAX_DEPTH
from vtcode_exec_events.compat.report import UNDECIDED, Report
from vtcode_exec_events.compat.witness import attach_witnesses
from vtcode_exec_events.errors import SchemaError

__all__ = ["compare", "compare_paths", "compare_sets"]


def _policy(policy: str | Policy) -> Policy:
    return policy if isinstance(policy, Policy) else Policy(name=policy)


def compare(
    old: Mapping[str, Any] | bool,
    new: Mapping[str, Any] | bool,
    policy: str | Policy = "strict",
    undecided: str = "breaking",
) -> Report:
    """Compare two schema documents (``$ref`` within each) and classify every change.
    ``undecided`` says how changes the checker cannot decide count: "breaking" (the
    default) or "compatible"."""
    with _deep_enough():
        old_set = load_document(old, "urn:vtcode-compat:old")
        new_set = load_document(new, "urn:vtcode-compat:new")
    return compare_sets(old_set, new_set, policy, undecided)


def compare_paths(
    old: str | Path, new: str | Path, policy: str | Policy = "strict", undecided: str = "breaking"
) -> Report:
    """Compare two schema files or version folders (entry documents paired by name)."""
    with _deep_enough():
        old_set = load_path(old)
        new_set = load_path(new)
    report = compare_sets(old_set, new_set, policy, undecided)
    report.old_name, report.new_name = str(old), str(new)
    return report


def compare_sets(
    old_set: SchemaSet,
    new_set: SchemaSet,
    policy: str | Policy = "strict",
    undecided: str = "breaking",
) -> Report:
    """Compare two loaded schema sets (entry documents paired by file name)."""
    if undecided not in UNDECIDED:
        raise ValueError(f"undecided must be one of {', '.join(UNDECIDED)}, not {undecided!r}")
    with _deep_enough():
        report = _compare_sets(old_set, new_set, _policy(policy))
    report.undecided = undecided
    return report


#: Python frames the comparison may use: schemas nest at most ``MAX_DEPTH`` levels (a few
#: frames each); far below what the C stack of a default thread holds.
_FRAMES = 12 * MAX_DEPTH
#: allocations between collections of the youngest generation while comparing
_GC_YOUNG = 50_000


@contextmanager
def _deep_enough() -> Iterator[None]:
    """Room for ``MAX_DEPTH`` levels of nesting on the caller's own thread; a recursion that
    still runs out is reported as a schema error, never a crash. The youngest garbage
    generation is collected less often meanwhile: a large schema allocates its nodes by the
    hundred thousand, none of them garbage before the comparison ends."""
    limit = sys.getrecursionlimit()
    if limit < _FRAMES:
        sys.setrecursionlimit(_FRAMES)
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], _GC_YOUNG), *thresholds[1:])
    try:
        yield
    except RecursionError:
        raise SchemaError(
            f"schemas nest too deeply to compare (more than {MAX_DEPTH} levels)"
        ) from None
    finally:
        sys.setrecursionlimit(limit)
        gc.set_threshold(*thresholds)


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
