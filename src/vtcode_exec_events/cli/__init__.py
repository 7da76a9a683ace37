"""The ``vtcode-exec-events`` command line: one click group, one module per command."""

from __future__ import annotations

import click

from vtcode_exec_events import EVENT_SCHEMA_VERSION, __version__

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, message=f"%(prog)s %(version)s (schema {EVENT_SCHEMA_VERSION})")
def main() -> None:
    """Validate, compare and inspect VT Code exec event logs and schemas."""


def _register() -> None:
    # Each command lives in its own module; importing it here adds it to the group.
    from vtcode_exec_events.cli import commands  # noqa: F401


_register()
