"""The ``vtcode-exec-events`` command line: one click group, one module per command, each
imported only when its command runs (so ``validate`` never pays for the compat checker)."""

from __future__ import annotations

import importlib

import click

from vtcode_exec_events import EVENT_SCHEMA_VERSION, __version__

__all__ = ["COMMANDS", "main"]

#: Every subcommand: name -> "module:attribute" of its click command. A new command is one line.
COMMANDS: dict[str, str] = {
    "atif": "vtcode_exec_events.cli.atif:command",
    "compat": "vtcode_exec_events.cli.compat:command",
    "export": "vtcode_exec_events.cli.export:command",
    "otel": "vtcode_exec_events.cli.otel:command",
    "query": "vtcode_exec_events.cli.query:command",
    "replay": "vtcode_exec_events.cli.replay:command",
    "schema": "vtcode_exec_events.cli.schema:group",
    "sessions": "vtcode_exec_events.cli.sessions:command",
    "stats": "vtcode_exec_events.cli.stats:command",
    "trace": "vtcode_exec_events.cli.trace:command",
    "validate": "vtcode_exec_events.cli.validate:command",
}


class _LazyGroup(click.Group):
    """A group whose commands are imported on first use, from :data:`COMMANDS`."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        command = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, message=f"%(prog)s %(version)s (schema {EVENT_SCHEMA_VERSION})")
def main() -> None:
    """Validate, compare and inspect VT Code exec event logs and schemas."""
