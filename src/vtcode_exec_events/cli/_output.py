"""CLI output helpers: titled sections, drawn as rich tables on a terminal and plain otherwise.

Every cell, title and note goes through :func:`vtcode_exec_events.text.visible` when it is
added, and reaches rich as a ``Text`` (never parsed as markup): a log cannot drive the
terminal, whatever it holds.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # rich is imported when a console is made (start-up of other commands)
    from rich.console import Console

from vtcode_exec_events.text import visible

__all__ = ["Section", "console", "ends_on_interrupt", "error", "reader_may_leave", "render"]


@dataclass
class Section:
    """A titled table: a header row and rows of cells."""

    title: str
    header: Sequence[str]
    rows: list[Sequence[str]] = field(default_factory=list)
    note: str = ""

    def add(self, *cells: object) -> None:
        """A row; each cell as text, with control characters made visible."""
        self.rows.append([visible(str(c)) for c in cells])


def error(message: str) -> None:
    """``error: message`` on standard error, control characters made visible."""
    click.echo(visible(f"error: {message}"), err=True)


@contextlib.contextmanager
def reader_may_leave() -> Iterator[None]:
    """Stop quietly (exit 1, no traceback) when the reader of standard output goes away.

    ``vtcode-exec-events replay big.jsonl | head`` closes the pipe after ten lines. Also,
    an output that is not UTF-8 gets escapes for what it cannot encode, not a traceback.
    """
    with contextlib.suppress(AttributeError, ValueError):
        sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    try:
        yield
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)


#: Seconds a command may take to end after Ctrl-C before it is ended at once.
GRACE = 2.0


@contextlib.contextmanager
def ends_on_interrupt(grace: float = GRACE) -> Iterator[None]:
    """Ctrl-C ends the command within ``grace`` seconds, exit 130, whatever its threads do.

    The interrupt is raised as usual (the command cleans up and says ``interrupted``); but
    a thread blocked on an output nobody reads (``export -o - | stalled``) would keep the
    process alive, and closing that output would block too. So the first Ctrl-C also starts
    a timer that, if the process is still running ``grace`` seconds later, says
    ``interrupted`` and ends it without cleaning up. Only in the main thread (signals).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def end() -> None:
        os.write(2, b"interrupted\n")
        os._exit(130)

    def interrupt(signum: int, frame: object) -> None:
        timer = threading.Timer(grace, end)
        timer.daemon = True
        timer.start()
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def console() -> Console:
    """A console on standard output (colour and tables only when it is a terminal)."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def _plain(section: Section) -> str:
    rows = [list(section.header), *section.rows] if section.header else section.rows
    widths = [max(len(r[i]) for r in rows if i < len(r)) for i in range(max(map(len, rows)))]
    out = [f"== {visible(section.title)} =="]
    for row in rows:
        cells = [c.ljust(widths[i]) for i, c in enumerate(row)]
        out.append("  ".join(cells).rstrip())
    if section.note:
        out.append(visible(section.note))
    return "\n".join(out)


def render(sections: Sequence[Section]) -> None:
    """Print sections (empty ones are left out)."""
    shown = [s for s in sections if s.rows]
    out = console()
    if not out.is_terminal:
        click.echo("\n\n".join(_plain(s) for s in shown))
        return
    from rich.table import Table
    from rich.text import Text

    for section in shown:
        table = Table(
            title=Text(visible(section.title)),
            title_justify="left",
            show_header=bool(section.header),
        )
        for index, name in enumerate(section.header or [""] * len(section.rows[0])):
            table.add_column(
                Text(visible(name)), justify="right" if index else "left", overflow="fold"
            )
        for row in section.rows:
            table.add_row(*(Text(cell) for cell in row))
        out.print(table)
        if section.note:
            out.print(Text(visible(section.note), style="dim"))
