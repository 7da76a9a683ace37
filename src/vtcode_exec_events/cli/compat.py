"""The ``vtcode-exec-events compat OLD NEW`` command: compare two schemas or version folders."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from vtcode_exec_events.compat.api import compare_paths
from vtcode_exec_events.compat.config import ConfigError, load_policy
from vtcode_exec_events.compat.formats import FORMATS, Run, render
from vtcode_exec_events.compat.report import UNDECIDED
from vtcode_exec_events.errors import SchemaError, VtcodeExecEventsError
from vtcode_exec_events.registry import resolve_version, schema_root, version_key
from vtcode_exec_events.text import visible

__all__ = ["command", "error_line", "resolve_input"]

#: An error longer than this is cut (a schema fragment quoted whole helps nobody).
_ERROR_LIMIT = 300


def resolve_input(text: str) -> Path:
    """A path as typed, or a released version name (``0.10.0``) from the schema registry.

    An existing file or folder wins over a version name; a well-formed version that is not
    released is an error naming the released ones.
    """
    path = Path(text)
    if path.exists():
        return path
    try:
        version_key(text)
    except ValueError:
        raise SchemaError(f"{text}: no such file or folder") from None
    return schema_root() / resolve_version(text)


def _names(inputs: list[tuple[str, Path]]) -> list[tuple[str, str]]:
    """``(file URI or path, name as typed)`` for the inputs and the folders of their documents."""
    names: list[tuple[str, str]] = []
    for typed, path in inputs:
        real = path.resolve()
        if real.is_dir():
            folder, shown = real, os.path.join(typed, "")
        else:
            names += [(real.as_uri(), typed), (str(real), typed)]
            parent = os.path.dirname(typed)
            folder, shown = real.parent, os.path.join(parent, "") if parent else ""
        names += [(folder.as_uri() + "/", shown), (os.path.join(folder, ""), shown)]
        if str(path) != typed:  # a version name: the registry's folder, as a path
            names.append((os.path.join(path, ""), shown))
    return sorted(names, key=lambda pair: -len(pair[0]))  # the most specific first


def error_line(err: BaseException, inputs: list[tuple[str, Path]]) -> str:
    """One short line: files named as typed (not ``file://`` URIs), control characters shown.

    A message that names neither input (a cycle found while comparing) is prefixed with the pair.
    """
    text = str(err).strip() or type(err).__name__
    text = text.splitlines()[0] if text.splitlines() else text
    for long, name in _names(inputs):
        text = text.replace(long, name)
    if inputs and not any(typed in text for typed, _ in inputs):
        text = " -> ".join(typed for typed, _ in inputs) + ": " + text  # say which pair
    if len(text) > _ERROR_LIMIT:
        text = text[: _ERROR_LIMIT - 1] + "…"
    return visible(text)


@click.command("compat")
@click.argument("old")
@click.argument("new")
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
    help="strict: set semantics; lenient: optional properties may come and go. "
    "Default: pyproject.toml's [tool.vtcode-exec-events.compat] policy, else strict.",
)
@click.option(
    "--undecided",
    type=click.Choice(UNDECIDED),
    default=None,
    help="How changes the checker cannot decide count (default: pyproject.toml's, else breaking).",
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
    old: str,
    new: str,
    direction: str,
    policy: str | None,
    undecided: str | None,
    fmt: str,
    config: Path | None,
    no_config: bool,
    no_witness: bool,
) -> None:
    """Compare OLD and NEW and say what breaks.

    OLD and NEW are schema files, version folders, or released version names of this
    package's schema (``compat 0.10.0 0.11.0``). Exit status: 0 compatible in the requested
    direction, 1 not, 2 error.
    """
    inputs: list[tuple[str, Path]] = []
    try:
        pol = load_policy(
            policy,
            None if no_config else config,
            search=not no_config and config is None,
            undecided=undecided,
        )
        pol.witnesses = not no_witness
        for typed in (old, new):
            inputs.append((typed, resolve_input(typed)))
        report = compare_paths(inputs[0][1], inputs[1][1], pol, pol.undecided)
    except (VtcodeExecEventsError, ConfigError) as err:
        click.echo(f"error: {error_line(err, inputs)}", err=True)
        sys.exit(2)
    except RecursionError:
        click.echo("error: the schemas nest too deeply to compare", err=True)
        sys.exit(2)
    run = Run(old, new, direction, pol.name, pol.origin, pol.undecided)
    click.echo(render(report, fmt, direction, run), nl=False)
    sys.exit(0 if report.compatible(direction) else 1)
