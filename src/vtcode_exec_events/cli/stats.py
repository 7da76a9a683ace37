"""``vtcode-exec-events stats``: aggregate statistics over event logs (text or JSON)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import click
import orjson

from vtcode_exec_events.cli._output import Section, error, reader_may_leave, render
from vtcode_exec_events.cli._progress import counted, input_size, progress_option
from vtcode_exec_events.consumers.reader import STDIN, LogLine, display_name, read_log
from vtcode_exec_events.consumers.stats import DEFAULT_MAX_EXAMPLES, Stats
from vtcode_exec_events.registry import resolve_version, version_key
from vtcode_exec_events.text import visible
from vtcode_exec_events.validate.reader import MAX_LINE

__all__ = [
    "bare_version_option",
    "command",
    "format_option",
    "read_all",
    "report_failures",
    "schema_version_option",
    "until_error",
]


def schema_version_option(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> str | None:
    """Click callback: an unknown ``--schema-version`` is a usage error (exit 2)."""
    if value is None:
        return None
    try:
        return resolve_version(value)
    except ValueError as exc:
        raise click.BadParameter(visible(str(exc)), ctx=ctx, param=param) from None


#: ``--schema-version`` for the log readers (``stats``, ``replay``).
bare_version_option = click.option(
    "--schema-version",
    callback=schema_version_option,
    help="Parse bare lines with this version (default: the newest), as validate does. "
    "Envelopes use their own.",
)
#: ``--format text|json`` for the log readers.
format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)


def check_paths(paths: tuple[str, ...]) -> None:
    """Fail early (exit 2) on a log that cannot be opened, before any output.

    Any readable path is a log: a file, a FIFO, ``<(zcat x.gz)``, a character device.
    """
    if paths.count(STDIN) > 1:
        raise click.UsageError("standard input ('-') can be read only once")
    for path in paths:
        if path != STDIN and (os.path.isdir(path) or not os.path.exists(path)):
            what = "is a directory" if os.path.isdir(path) else "does not exist"
            raise click.UsageError(visible(f"cannot read {display_name(path)}: it {what}"))


def until_error(lines: Iterator[LogLine], path: str, failures: list[str]) -> Iterator[LogLine]:
    """The lines of one log up to an I/O error, which is added to ``failures``."""
    try:
        yield from lines
    except (OSError, EOFError) as exc:
        failures.append(f"cannot read {display_name(path)}: {exc}")


def report_failures(failures: list[str]) -> None:
    """After the report of what was read: the I/O errors, then exit 2 if there were any."""
    for failure in failures:
        error(failure)
    if failures:
        sys.exit(2)


def read_all(
    paths: tuple[str, ...],
    schema_version: str | None,
    stats: Stats,
    max_line: int = MAX_LINE,
    progress: bool | None = None,
) -> list[str]:
    """Feed every line of every log into ``stats``; the I/O errors met, one per log.

    A log that fails part way (a truncated gzip) keeps every line read before the failure.
    ``progress``: a line count on standard error (``None``: on a terminal, for large logs).
    """
    failures: list[str] = []
    for path in paths:
        stats.start_file(display_name(path))
        lines = read_log(path, schema_version=schema_version, max_line=max_line)
        about = visible(f"reading {display_name(path)}")
        for line in counted(
            until_error(lines, path, failures), about, input_size([path]), progress
        ):
            stats.add(line)
    return failures


def _flat(text: str, width: int = 160) -> str:
    """One line of at most ``width`` characters (messages can be whole agent outputs)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _sections(stats: Stats) -> list[Section]:
    summary = Section("Summary", [])
    summary.add("files", len(stats.files))
    summary.add("lines", stats.lines)
    summary.add("parsed", stats.parsed)
    summary.add("unparseable", stats.invalid)
    for version in sorted(stats.versions["enveloped"], key=version_key):
        summary.add(f"enveloped lines, schema {version}", stats.versions["enveloped"][version])
    for version in sorted(stats.versions["bare"], key=version_key):
        summary.add(f"bare lines read as {version}", stats.versions["bare"][version])
    summary.add("threads started", stats.threads_started)
    for subtype, count in stats.threads_completed.most_common():
        summary.add(f"threads completed: {subtype}", count)
    if stats.costed_threads:
        summary.add("total cost (USD)", f"{stats.total_cost_usd:.4f}")
    summary.add("turns started", stats.turns_started)
    summary.add("turns completed", stats.turns_completed)
    summary.add("turns failed", stats.turns_failed)
    for what, count in (
        ("history compactions", stats.compactions),
        ("context resets", stats.context_resets),
    ):
        if count:
            summary.add(what, count)

    events = Section("Events", ["event type", "count"])
    for tag, count in stats.events.most_common():
        unknown = " (unknown type)" if tag in stats.unknown_events else ""
        events.add(tag + unknown, count)

    statuses = sorted({s for c in stats.items.values() for s in c})
    items = Section("Items completed, by kind and status", ["kind", *statuses, "total"])
    for kind, counter in sorted(stats.items.items()):
        items.add(kind, *(counter.get(s, 0) for s in statuses), sum(counter.values()))
    if stats.item_events["started"] or stats.item_events["updated"]:
        started, updated = stats.item_events["started"], stats.item_events["updated"]
        items.note = f"item events: {started} started, {updated} updated"

    commands = Section("Commands", [])
    if stats.commands:
        commands.add("completed", stats.commands)
        commands.add("succeeded", stats.commands_succeeded)
        commands.add("failed", stats.commands - stats.commands_succeeded)
        commands.add("success rate", _pct(stats.command_success_rate))
        for code, count in stats.exit_codes.most_common():
            commands.add(f"exit code {code}", count)

    tools = Section("Tools", ["tool", "outcome", "count"])
    for name, counter in sorted(stats.tools.items()):
        for outcome, count in counter.most_common():
            tools.add(name, outcome, count)
    if stats.tool_outcomes:
        outcomes = ", ".join(f"{k} {v}" for k, v in stats.tool_outcomes.most_common())
        tools.note = f"tool invocation outcomes: {outcomes}"

    other = Section("Permissions, plans, files", [])
    for decision, count in stats.permissions.most_common():
        other.add(f"permission {decision}", count)
    if stats.permissions:
        other.add("permission wait (ms)", stats.permission_wait_ms)
    for decision, count in stats.plan_approvals.most_common():
        other.add(f"plan approval {decision}", count)
    for kind, count in stats.file_changes.most_common():
        other.add(f"file changes: {kind}", count)

    usage = Section("Token usage (turns)", [])
    if stats.usage_turns:
        usage.add("turns with usage", stats.usage_turns)
        for key, value in stats.usage.items():
            usage.add(key, value)
        usage.add("cache hit rate", _pct(stats.cache_hit_rate))

    failures = Section("Failures", ["where", "what", "message"])
    for failure in stats.failures:
        failures.add(f"{failure.file}:{failure.line}", failure.what, _flat(failure.message))
    if stats.failure_count > len(stats.failures):
        failures.note = f"{len(stats.failures)} of {stats.failure_count} failures shown"

    errors = Section("Unparseable lines", ["where", "pointer", "message"])
    for issue in stats.errors:
        errors.add(f"{issue.file}:{issue.line}", issue.pointer or "/", issue.message)
    if stats.invalid > len(stats.errors):
        errors.note = f"{len(stats.errors)} of {stats.invalid} unparseable lines shown"
    return [summary, events, items, commands, tools, other, usage, failures, errors]


@click.command("stats")
@click.argument("logs", nargs=-1, required=True, metavar="LOG...")
@bare_version_option
@format_option
@progress_option
@click.option(
    "--max-examples",
    type=click.IntRange(min=0),
    default=DEFAULT_MAX_EXAMPLES,
    show_default=True,
    help="Failures and unparseable lines quoted in the report (all are counted).",
)
def command(
    logs: tuple[str, ...],
    schema_version: str | None,
    fmt: str,
    progress: bool | None,
    max_examples: int,
) -> None:
    """Aggregate statistics over JSONL event logs (bare or enveloped, any schema version).

    LOG is a .jsonl file, a .jsonl.gz file or - for standard input. The log is streamed,
    so memory stays flat however long it is. Exit status: 0 every line parsed, 1 some lines
    could not be parsed (they are counted and quoted), 2 usage or I/O error.
    """
    check_paths(logs)
    stats = Stats(max_examples=max_examples)
    failures = read_all(logs, schema_version, stats, progress=progress)
    with reader_may_leave():
        if fmt == "json":
            click.echo(orjson.dumps(stats.to_json(), option=orjson.OPT_INDENT_2).decode())
        else:
            render(_sections(stats))
    report_failures(failures)
    sys.exit(1 if stats.invalid else 0)
