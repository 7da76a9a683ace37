"""Registers every subcommand on the ``main`` group (one import per command module)."""

from __future__ import annotations

from vtcode_exec_events.cli import main

__all__: list[str] = []

# Command modules add themselves below, e.g.:
# main.add_command(validate.command)
_ = main
