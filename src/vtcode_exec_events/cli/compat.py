"""The ``vtcode-exec-events compat OLD NEW`` command: compare two schemas or version folders."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from vtcode_exec_events.compat.api import compare_paths
from vtcode_exec_events.compat.config import ConfigError, load_policy
from vtcode_exec_events.compat.formats import FORMATS, render
from vtcode_exec_events.errors import VtcodeExecEventsError

__all__ = ["command"]


@click.command("compat")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--direction",
    type=click.Choice(["backward", "forward", "full"]),
    default="backward",
    show_default=True,
    help="backward: new readers read old data; forward: old readers read new data; full: both.",
)
@click.option(
    "--policy",
    type=click.Choice(["strict", "lenient"]),
    default=None,
    help="strict: set semantics (default); lenient: optional properties may come and go.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="pyproject.toml with [tool.vtcode-exec-events.compat] (default: the nearest one).",
)
@click.option("--no-config", is_flag=True, help="Ignore pyproject.toml configuration.")
@click.option("--no-witness", is_flag=True, help="Skip the search for witness instances.")
def command(
    old: Path,
    new: Path,
    direction: str,
    policy: str | None,
    fmt: str,
    config: Path | None,
    no_config: bool,
    no_witness: bool,
) -> None:
    """Compare OLD and NEW (schema files or version folders) and say what breaks.

    Exit status: 0 compatible in the requested direction, 1 not, 2 error.
    """
    try:
        pol = (
            load_policy(policy, config, search=not no_config and config is None)
            if not no_config
            else load_policy(policy, None, search=False)
        )
        pol.witnesses = not no_witness
        report = compare_paths(old, new, pol)
    except (VtcodeExecEventsError, ConfigError) as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(2)
    except RecursionError:
        click.echo("error: the schemas nest too deeply to compare", err=True)
        sys.exit(2)
    click.echo(render(report, fmt, direction), nl=False)
    sys.exit(0 if report.compatible(direction) else 1)
