"""``vtcode-exec-events replay``: a readable, ordered timeline of one session log."""

from __future__ import annotations

import sys

import click
import orjson
from rich.text import Text

from vtcode_exec_events.cli._output import console, reader_may_leave
from vtcode_exec_events.cli._progress import counted, input_size, progress_option
from vtcode_exec_events.cli.stats import (
    bare_version_option,
    check_paths,
    format_option,
    report_failures,
    until_error,
)
from vtcode_exec_events.consumers.reader import display_name, read_log
from vtcode_exec_events.consumers.timeline import DEFAULT_WIDTH, TimelineEntry, replay
from vtcode_exec_events.text import visible

__all__ = ["command"]

STYLES = {"ok": "green", "failed": "bold red", "open": "yellow", "invalid": "bold magenta"}
MARKS = {"ok": " ", "failed": "!", "open": "…", "info": " ", "invalid": "?"}


def _text(entry: TimelineEntry) -> str:
    """The entry as one line of text, control characters made visible."""
    mark = MARKS.get(entry.status, " ")
    return visible(f"{entry.line:>6} {mark} {'  ' * entry.depth}{entry.text}")


@click.command("replay")
@click.argument("log", metavar="LOG")
@bare_version_option
@format_option
@click.option("--updates", is_flag=True, help="List every item.updated event, not just a count.")
@click.option(
    "--width",
    type=click.IntRange(min=0),
    default=DEFAULT_WIDTH,
    show_default=True,
    help="Cut quoted text (messages, commands, output) to this many characters; 0: never.",
)
@progress_option
def command(
    log: str,
    schema_version: str | None,
    fmt: str,
    updates: bool,
    width: int,
    progress: bool | None,
) -> None:
    """Print the timeline of a session log, in order, for debugging an agent run.

    Each line shows the log line number, a mark (! failed, … still open, ? unparseable)
    and what happened, indented by thread, turn and item. Item updates are folded into
    the item's completion. Events carry no timestamps, so durations are the ones the
    events state (wait_ms, duration_ms). Exit status: 0 every line parsed, 1 some lines
    could not be parsed, 2 usage or I/O error.
    """
    check_paths((log,))
    out = console()
    invalid = 0
    # The timeline itself streams to a terminal; a line count helps when it goes elsewhere.
    if progress is None and out.is_terminal:
        progress = False
    failures: list[str] = []
    lines = counted(
        until_error(read_log(log, schema_version=schema_version), log, failures),
        visible(f"replaying {display_name(log)}"),
        input_size([log]),
        progress,
    )
    with reader_may_leave():
        for entry in replay(lines, width=width, updates=updates):
            invalid += entry.status == "invalid"
            if fmt == "json":
                click.echo(orjson.dumps(entry.to_json()).decode())
            elif out.is_terminal:
                out.print(Text(_text(entry), style=STYLES.get(entry.status, "")))
            else:
                click.echo(_text(entry))
    report_failures(failures)
    sys.exit(1 if invalid else 0)
