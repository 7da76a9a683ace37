"""Parse a JSONL event log with the models and print command success metrics.

Run: ``python examples/ingest_log.py examples/logs/session.jsonl`` (any number of logs; ``-``
reads standard input). Lines may be bare or enveloped, of any schema version: an envelope is
parsed with the models of its ``schema_version``, a bare line with the newest models. A line
that does not parse is reported on standard error with its file, line and place, and counted.
This is the ``ingest_log`` example the Rust crate planned ("aggregate command success
metrics") and never shipped; ``vtcode-exec-events stats`` does the same and much more.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import vtcode_exec_events as vee


@dataclass
class CommandMetrics:
    """Completed ``command_execution`` items, by command line."""

    runs: Counter[str] = field(default_factory=Counter)
    succeeded: Counter[str] = field(default_factory=Counter)
    exit_codes: Counter[int | None] = field(default_factory=Counter)
    invalid_lines: int = 0

    def add(self, command: str, status: str, exit_code: int | None) -> None:
        self.runs[command] += 1
        self.exit_codes[exit_code] += 1
        if status == "completed" and exit_code in (None, 0):
            self.succeeded[command] += 1


def lines(path: str) -> Iterator[tuple[int, bytes]]:
    stream = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    with stream:
        yield from enumerate(stream, start=1)


def ingest(path: str, metrics: CommandMetrics) -> None:
    for number, line in lines(path):
        try:
            parsed = vee.parse_line(line)
        except vee.WireFormatError as exc:
            where = f" at {exc.pointer}" if exc.pointer else ""
            print(f"{path}:{number}{where}: {exc.message}", file=sys.stderr)
            metrics.invalid_lines += 1
            continue
        event = parsed.event
        # Enveloped lines of older versions come back as that version's model classes, so
        # match on the wire tags rather than on the newest classes.
        if event.type != "item.completed":  # type: ignore[attr-defined]
            continue
        item = event.item.root  # type: ignore[attr-defined]
        if item.type != "command_execution":
            continue
        status = getattr(item.status, "value", item.status)
        print(f"{item.command} => status={status} exit_code={item.exit_code}")
        metrics.add(item.command, status, item.exit_code)


def report(metrics: CommandMetrics) -> None:
    total = sum(metrics.runs.values())
    succeeded = sum(metrics.succeeded.values())
    print("# command success metrics")
    if not total:
        print("no completed commands")
    else:
        print(f"commands: {total}, succeeded: {succeeded}, success rate: {succeeded / total:.1%}")
        codes = ", ".join(f"{code}: {n}" for code, n in metrics.exit_codes.most_common())
        print(f"exit codes: {codes}")
        for command, runs in metrics.runs.most_common():
            print(f"  {command}: {metrics.succeeded[command]}/{runs} succeeded")
    if metrics.invalid_lines:
        print(f"invalid lines: {metrics.invalid_lines} (see standard error)")


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python examples/ingest_log.py LOG [LOG...]", file=sys.stderr)
        return 2
    metrics = CommandMetrics()
    print("# completed commands")
    for path in argv:
        try:
            ingest(path, metrics)
        except OSError as exc:
            print(f"error: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    report(metrics)
    return 1 if metrics.invalid_lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
