"""The ``trace`` command: Agent Trace records for what a session changed, and ``--check``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import orjson
from pydantic import BaseModel

from vtcode_exec_events.cli._options import choice_option
from vtcode_exec_events.cli._output import reader_may_leave
from vtcode_exec_events.consumers.reader import STDIN, read_log
from vtcode_exec_events.text import visible

__all__ = ["command"]

#: A record larger than this is refused unread (records are kilobytes; this bounds memory).
MAX_RECORD_BYTES = 64 << 20


def _say(message: str) -> None:
    click.echo(visible(message), err=True)


class _Events:
    """The events of some logs, in order; invalid lines are reported and counted."""

    def __init__(self, paths: tuple[str, ...]) -> None:
        self.paths = paths
        self.invalid = 0

    def __iter__(self) -> Iterator[BaseModel]:
        for path in self.paths:
            for line in read_log(path):
                if line.event is not None:
                    yield line.event
                elif line.error is not None:
                    self.invalid += 1
                    _say(f"{line.file}:{line.number}: {line.error.message} (skipped)")


def _read_document(path: str) -> bytes:
    if path == STDIN:
        data = sys.stdin.buffer.read(MAX_RECORD_BYTES + 1)
    else:
        with open(path, "rb") as handle:
            data = handle.read(MAX_RECORD_BYTES + 1)
    if len(data) > MAX_RECORD_BYTES:
        raise ValueError(f"larger than {MAX_RECORD_BYTES >> 20} MiB")
    return data


def _documents(path: str) -> Iterator[tuple[str, Any]]:
    """(where, parsed record) for one file: a JSON document, or JSON Lines of records."""
    data = _read_document(path)
    try:
        yield path, orjson.loads(data)
        return
    except orjson.JSONDecodeError as whole:
        lines = list(data.split(b"\n"))
        if len([line for line in lines if line.strip()]) < 2:
            raise ValueError(f"not JSON: {whole}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield f"{path}:{number}", orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield f"{path}:{number}", _NotJson(str(exc))


class _NotJson:
    def __init__(self, reason: str) -> None:
        self.reason = reason


def _check(files: tuple[str, ...]) -> int:
    from vtcode_exec_events.trace import check

    worst = 0
    for path in files:
        try:
            for where, document in _documents(path):
                if isinstance(document, _NotJson):
                    _say(f"{where}: not JSON: {document.reason}")
                    worst = max(worst, 1)
                    continue
                problems = check(document)
                for problem in problems:
                    _say(f"{where}: {problem.pointer or '/'}: {problem.message}")
                worst = max(worst, 1 if problems else 0)
                if not problems:
                    click.echo(visible(f"{where}: valid Agent Trace record"))
        except (OSError, ValueError) as exc:
            _say(f"{path}: {exc}")
            worst = 2
    return worst


@click.command("trace")
@click.argument("paths", nargs=-1, required=True, metavar="LOG...")
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Validate Agent Trace records (JSON, or JSON Lines of records) instead.",
)
@click.option(
    "--workspace",
    "-w",
    type=click.Path(file_okay=False, exists=True),
    default=".",
    show_default=True,
    help="The git work tree the session changed.",
)
@click.option("--model", default=None, help="The model that wrote the code (e.g. gpt-5).")
@click.option("--provider", default="unknown", show_default=True, help="The model's provider.")
@click.option(
    "--base",
    default="HEAD",
    show_default=True,
    help="The commit the session started from; ranges are the lines added since.",
)
@click.option("--session-id", default=None, help="Session id (default: each thread's id).")
@choice_option(
    "--hash",
    "algorithm",
    choices=("murmur3", "fnv1a"),
    default="murmur3",
    help="Content hash of each range.",
)
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    help="A folder for one <id>.json per record, or - for JSON Lines on standard output.",
)
def command(
    paths: tuple[str, ...],
    check_only: bool,
    workspace: str,
    model: str | None,
    provider: str,
    base: str,
    session_id: str | None,
    algorithm: str,
    output: str,
) -> None:
    """Agent Trace records for the files a session changed.

    Reads the session's logs (JSONL, .jsonl.gz or -), takes the files its applied
    file_change items name, and joins them with `git diff BASE` of the work tree for line
    ranges and content hashes. One record per thread.
    With --check, validates Agent Trace records from any tool instead.
    Exit status: 0 fine, 1 invalid input lines or records, 2 usage, I/O or git error.
    """
    with reader_may_leave():
        if check_only:
            sys.exit(_check(paths))
        if model is None:
            raise click.UsageError("--model is required to build records (or use --check)")
        sys.exit(_build(paths, workspace, model, provider, base, session_id, algorithm, output))


def _build(
    paths: tuple[str, ...],
    folder: str,
    model: str,
    provider: str,
    base: str,
    session_id: str | None,
    algorithm: str,
    output: str,
) -> int:
    from vtcode_exec_events.trace import GitError, TraceContext, Workspace, session_records

    events = _Events(paths)
    try:
        workspace = Workspace(folder)
        context = TraceContext(model_id=model, provider=provider, session_id=session_id)
        traces = session_records(
            events,
            workspace,
            context,
            base=base,
            algorithm="fnv1a" if algorithm == "fnv1a" else "murmur3",
        )
    except GitError as exc:
        _say(f"error: {exc}")
        return 2
    except (OSError, EOFError) as exc:
        _say(f"error: {exc}")
        return 2
    for skipped in traces.skipped:
        _say(f"{skipped.path}: no range ({skipped.reason})")
    try:
        if output == "-":
            for record in traces.records:
                click.echo(record.dumps(indent=None))
        else:
            target = Path(output)
            target.mkdir(parents=True, exist_ok=True)
            for record in traces.records:
                (target / f"{record.id}.json").write_text(record.dumps() + "\n", "utf-8")
                _say(f"wrote {target / f'{record.id}.json'}")
    except OSError as exc:
        _say(f"error: {exc}")
        return 2
    if not traces.records:
        _say("no record: the logs name no file that a patch added lines to")
    return 1 if events.invalid else 0
