"""Registers every subcommand on the ``main`` group (one import per command module)."""

from __future__ import annotations

from vtcode_exec_events.cli import main

__all__: list[str] = []

# Command modules add themselves below, e.g.:
# main.add_command(validate.command)
_ = main
from vtcode_exec_events.cli.compat import command as compat_command  # noqa: E402

main.add_command(compat_command)
from vtcode_exec_events.cli import replay, schema, stats  # noqa: E402

main.add_command(stats.command)
main.add_command(replay.command)
main.add_command(schema.group)
from vtcode_exec_events.cli import validate  # noqa: E402

main.add_command(validate.command)
