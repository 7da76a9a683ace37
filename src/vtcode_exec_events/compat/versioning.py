"""The version gate: adjacent schema folders, the bump their changes need, and a verdict."""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from vtcode_exec_events.compat.api import compare_paths
from vtcode_exec_events.compat.config import ConfigError, Policy, load_policy
from vtcode_exec_events.compat.report import Report
from vtcode_exec_events.compat.rules import ANNOTATION_RULES
from vtcode_exec_events.errors import VtcodeExecEventsError

__all__ = ["Step", "check_history", "gate_policy", "main", "required_bump", "versions"]

_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
BUMPS = ("none", "patch", "minor", "major")

#: The gate judges with the lenient policy unless pyproject.toml's
#: ``[tool.vtcode-exec-events.compat]`` says otherwise (the ``compat`` command reads the same
#: table, so both agree): optional properties may come and go (readers ignore unknown fields,
#: producers omit unset ones), everything else with set semantics.
GATE_POLICY = "lenient"


def versions(root: Path) -> list[tuple[tuple[int, int, int], Path]]:
    """The version folders under ``root``, oldest first."""
    out = []
    for child in root.iterdir():
        m = _VERSION.match(child.name)
        if child.is_dir() and m:
            out.append(((int(m[1]), int(m[2]), int(m[3])), child))
    return sorted(out)


def actual_bump(old: tuple[int, int, int], new: tuple[int, int, int]) -> str:
    if new <= old:
        return "none"
    if new[0] != old[0]:
        return "major"
    if new[1] != old[1]:
        return "minor"
    return "patch"


def required_bump(report: Report, version: tuple[int, int, int]) -> tuple[str, str]:
    """The smallest bump the changes need, and the reason (semver; 0.x shifts major to minor)."""
    if not report.changes:
        return "patch", "no wire change"
    if all(c.id in ANNOTATION_RULES for c in report.changes):
        return "patch", "annotations only"
    if report.backward and report.forward:
        return "minor", "additions both old and new readers tolerate"
    dirs = [d for d, ok in (("backward", report.backward), ("forward", report.forward)) if not ok]
    need = "major" if version[0] >= 1 else "minor"
    return need, f"breaks {' and '.join(dirs)}"


def load_expectations(path: Path) -> dict[tuple[str, str], dict[str, object]]:
    """Recorded verdicts of released steps: ``[{"old", "new", "backward", "forward"}]``."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise VtcodeExecEventsError(f"{path}: cannot read the recorded steps: {err}") from None
    return {(str(r["old"]), str(r["new"])): r for r in rows}


def regressions(steps: list[Step], expected: dict[tuple[str, str], dict[str, object]]) -> list[str]:
    """Released steps that now break a direction their recorded verdict said was compatible."""
    out = []
    for s in steps:
        rec = expected.get((s.old, s.new))
        if rec is None:
            continue
        for direction in ("backward", "forward"):
            if rec.get(direction) is True and getattr(s, direction) is False:
                out.append(
                    f"{s.old} -> {s.new}: now breaks {direction}, recorded as compatible "
                    "(released versions are frozen: make the change in a new version)"
                )
    return out


@dataclass
class Step:
    old: str
    new: str
    backward: bool
    forward: bool
    needed: str
    actual: str
    reason: str
    highlights: list[str]

    @property
    def ok(self) -> bool:
        return BUMPS.index(self.actual) >= BUMPS.index(self.needed) and self.actual != "none"


def _highlights(report: Report, limit: int = 4) -> list[str]:
    out: list[str] = []
    for direction in ("backward", "forward"):
        for c in report.failing(direction):
            where = c.new_pointer.split("#", 1)[-1] if "#" in c.new_pointer else c.new_pointer
            text = f"{direction}: {c.id} at `{c.new_pointer}`"
            if text not in out and where:
                out.append(text)
    return out[:limit] + ([f"… {len(out) - limit} more"] if len(out) > limit else [])


def gate_policy(name: str | None = None, pyproject: Path | None = None) -> Policy:
    """The gate's policy: ``name``, else pyproject.toml's, else :data:`GATE_POLICY`."""
    pol = load_policy(name, pyproject, search=pyproject is None)
    if pol.origin == "default":
        pol.name, pol.origin = GATE_POLICY, "the gate's default"
    pol.witnesses = False
    return pol


def check_history(root: Path, policy: str | Policy = GATE_POLICY) -> list[Step]:
    steps = []
    vs = versions(root)
    pol = Policy(name=policy, witnesses=False) if isinstance(policy, str) else policy
    for (va, pa), (vb, pb) in itertools.pairwise(vs):
        report = compare_paths(pa, pb, pol)
        needed, reason = required_bump(report, vb)
        steps.append(
            Step(
                pa.name,
                pb.name,
                report.backward,
                report.forward,
                needed,
                actual_bump(va, vb),
                reason,
                _highlights(report),
            )
        )
    return steps


def table(steps: list[Step]) -> str:
    yes = {True: "yes", False: "**no**"}
    lines = [
        "| step | backward | forward | changes need | bumped | verdict | what breaks |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in steps:
        verdict = "ok" if s.ok else "**FAIL**"
        if s.ok and s.needed != "patch" and not (s.backward and s.forward):
            verdict = "ok (breaking, allowed below 1.0)"
        what = "<br>".join(s.highlights) or s.reason
        lines.append(
            f"| {s.old} → {s.new} | {yes[s.backward]} | {yes[s.forward]} | {s.needed} "
            f"({s.reason}) | {s.actual} | {verdict} | {what} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m vtcode_exec_events.compat.versioning",
        description="Check that every schema version bump matches what changed.",
    )
    parser.add_argument("root", nargs="?", default="schema", type=Path)
    parser.add_argument(
        "--policy",
        choices=("strict", "lenient"),
        default=None,
        help="default: pyproject.toml's [tool.vtcode-exec-events.compat] policy, "
        f"else {GATE_POLICY}",
    )
    parser.add_argument("--markdown", action="store_true", help="print the Markdown table")
    parser.add_argument(
        "--expect",
        type=Path,
        help="recorded verdicts of released steps (JSON); a released step that starts to break "
        "a direction recorded as compatible fails the gate",
    )
    parser.add_argument(
        "--record", type=Path, help="write the current verdicts to this file (for --expect)"
    )
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        print(f"error: {args.root}: not a folder", file=sys.stderr)
        return 2
    try:
        pol = gate_policy(args.policy)
        steps = check_history(args.root, pol)
        expected = load_expectations(args.expect) if args.expect else {}
    except (VtcodeExecEventsError, ConfigError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"policy {pol.name} (from {pol.origin})", file=sys.stderr)
    if args.record:
        rows = [
            {
                "old": s.old,
                "new": s.new,
                "backward": s.backward,
                "forward": s.forward,
                "needed": s.needed,
            }
            for s in steps
        ]
        args.record.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    if args.markdown:
        print(table(steps), end="")
    else:
        for s in steps:
            mark = "ok  " if s.ok else "FAIL"
            print(f"{mark} {s.old} -> {s.new}: needs {s.needed} ({s.reason}), bumped {s.actual}")
            for h in s.highlights:
                print(f"       {h}")
    failed = [s for s in steps if not s.ok]
    if failed:
        print(
            f"{len(failed)} step(s) bumped less than their changes need; see docs/versioning.md",
            file=sys.stderr,
        )
    changed = regressions(steps, expected)
    for line in changed:
        print(f"FAIL {line}", file=sys.stderr)
    return 1 if failed or changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
