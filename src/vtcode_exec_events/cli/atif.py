"""``vtcode-exec-events atif``: event logs to ATIF trajectories; ``--check`` of ATIF files."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import click
import orjson

from vtcode_exec_events.atif import (
    CRATE_VERSION,
    AtifBuilder,
    EmptyTrajectoryError,
    dumps,
    dumps_crate,
    problems,
    read_document,
    safe_name,
)
from vtcode_exec_events.atif.inputs import rfc3339_now
from vtcode_exec_events.atif.io import DEFAULT_MAX_BYTES
from vtcode_exec_events.cli._output import reader_may_leave
from vtcode_exec_events.cli.stats import bare_version_option, check_paths
from vtcode_exec_events.consumers.reader import STDIN, LogLine, display_name, open_log, read_log
from vtcode_exec_events.text import visible
from vtcode_exec_events.validate.report import format_issue

__all__ = ["command"]

_SUFFIXES = (".jsonl.gz", ".jsonl", ".json", ".gz", ".log")


def _say(text: str) -> None:
    click.echo(visible(text), err=True)


def _steps(segment: _Segment) -> str:
    n = len(segment.builder.steps)
    return f"{n} step{'' if n == 1 else 's'}"


@dataclass
class _Segment:
    """The events of one trajectory: a whole log, or one thread of it (``--split-threads``)."""

    builder: AtifBuilder
    source: str
    thread: str | None = None
    events: int = 0
    invalid: int = 0


@dataclass
class _Run:
    """One conversion: the options, the trajectories made, and what went wrong."""

    crate: bool
    agent_name: str | None = None
    agent_version: str | None = None
    model: str | None = None
    session_id: str | None = None
    pretty: bool = False
    invalid: int = 0
    empty: int = 0
    outputs: list[tuple[_Segment, bytes]] = field(default_factory=list)

    def segment(self, source: str) -> _Segment:
        builder = AtifBuilder(
            agent_name=self.agent_name or "vtcode",
            agent_version=self.agent_version or CRATE_VERSION,
            model_name=self.model,
            session_id=self.session_id,
            clock=rfc3339_now if self.crate else None,
        )
        return _Segment(builder, source)

    def close(self, segment: _Segment) -> None:
        if self.crate:
            self.outputs.append((segment, dumps_crate(segment.builder.crate_document())))
            return
        try:
            trajectory = segment.builder.finish(skipped_lines=segment.invalid)
        except EmptyTrajectoryError as exc:
            where = segment.source + (f" (thread {segment.thread})" if segment.thread else "")
            _say(f"{where}: {exc}")
            self.empty += 1
            return
        self.outputs.append((segment, dumps(trajectory, indent=self.pretty)))


def _segments(run: _Run, path: str, split: bool, schema_version: str | None) -> Iterator[_Segment]:
    """Feed one log's lines into trajectories; yield each finished one (one, or one a thread)."""
    source = display_name(path)
    current = run.segment(source)
    line: LogLine
    for line in read_log(path, schema_version=schema_version):
        if line.event is None:
            assert line.error is not None
            _say(format_issue(line.error))
            run.invalid += 1
            current.invalid += 1
            continue
        tag = getattr(line.event, "type", None)
        if split and tag == "thread.started":
            if current.events:
                yield current
                current = run.segment(source)
            current.thread = getattr(line.event, "thread_id", None)
        current.builder(line.event)
        current.events += 1
    if current.events or not split:
        yield current


def _stem(path: str) -> str:
    if path == STDIN:
        return "stdin"
    name = Path(path).name
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return safe_name(name)


def _file_names(outputs: list[tuple[_Segment, bytes]], several: bool, split: bool) -> list[str]:
    """A distinct, safe file name for each trajectory (derived from log names and thread ids)."""
    used: set[str] = set()
    names = []
    for index, (segment, _) in enumerate(outputs, start=1):
        parts = [_stem(segment.source)] if several or not split else []
        if split:
            parts.append(safe_name(segment.thread or f"segment-{index}"))
        base = ".".join(parts)
        name, n = f"{base}.atif.json", 1
        while name.lower() in used:
            n += 1
            name = f"{base}-{n}.atif.json"
        used.add(name.lower())
        names.append(name)
    return names


def _write(path: str, data: bytes) -> bool:
    try:
        with open(path, "wb") as out:
            out.write(data)
    except OSError as exc:
        _say(f"error: cannot write {path}: {exc.strerror or exc}")
        return False
    return True


def _convert(
    logs: tuple[str, ...], out: str | None, split: bool, run: _Run, version: str | None
) -> int:
    check_paths(logs)
    several = len(logs) > 1
    if (several or split) and (out is None or out == STDIN):
        what = "several logs" if several else "--split-threads"
        raise click.UsageError(f"{what} write one file per trajectory: name a folder with -o")
    for path in logs:
        try:
            for segment in _segments(run, path, split, version):
                run.close(segment)
        except (OSError, EOFError) as exc:
            _say(f"error: cannot read {display_name(path)}: {exc}")
            return 2
    if run.invalid:
        _say(f"{run.invalid} invalid line(s) left out (reported above)")
    tail = b"" if run.crate else b"\n"
    if not (several or split):
        if not run.outputs:
            return 1
        ((segment, data),) = run.outputs
        if out is None or out == STDIN:
            with reader_may_leave():
                sys.stdout.buffer.write(data + b"\n")
                sys.stdout.flush()
        elif not _write(out, data + tail):
            return 2
        else:
            _say(f"{out}: {_steps(segment)}")
        return 1 if run.invalid or run.empty else 0
    assert out is not None
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as exc:
        _say(f"error: cannot create the folder {out}: {exc.strerror or exc}")
        return 2
    for (segment, data), name in zip(
        run.outputs, _file_names(run.outputs, several, split), strict=True
    ):
        target = os.path.join(out, name)
        if not _write(target, data + tail):
            return 2
        _say(f"{target}: {_steps(segment)} from {segment.source}")
    return 1 if run.invalid or run.empty else 0


def _check(files: tuple[str, ...], max_bytes: int, fmt: str) -> int:
    """Validate ATIF documents; one line per problem. 0 all valid, 1 some invalid, 2 unreadable."""
    if files.count(STDIN) > 1:
        raise click.UsageError("standard input ('-') can be read only once")
    report: list[dict[str, object]] = []
    invalid = unreadable = 0
    with reader_may_leave():
        for path in files:
            name = display_name(path)
            entry: dict[str, object] = {"path": name, "valid": False, "problems": [], "error": None}
            report.append(entry)
            try:
                with open_log(path) as stream:
                    loaded = read_document(stream, max_bytes)
            except (OSError, EOFError) as exc:
                loaded = None
                entry["error"] = f"cannot read: {exc}"
            if loaded is not None and loaded.error is not None:
                if loaded.fatal:
                    entry["error"] = loaded.error
                else:
                    entry["problems"] = [{"pointer": "", "message": loaded.error}]
            elif loaded is not None:
                entry["problems"] = [
                    {"pointer": p.pointer, "message": p.message} for p in problems(loaded.value)
                ]
            if entry["error"] is not None:
                unreadable += 1
                if fmt == "text":
                    click.echo(visible(f"{name}: error: {entry['error']}"))
                continue
            found = entry["problems"]
            assert isinstance(found, list)
            entry["valid"] = not found
            invalid += bool(found)
            if fmt == "text":
                for problem in found:
                    where = f" {problem['pointer']}:" if problem["pointer"] else ""
                    click.echo(visible(f"{name}:{where} {problem['message']}"))
        valid = len(files) - invalid - unreadable
        if fmt == "json":
            summary = {
                "files": report,
                "valid": valid,
                "invalid": invalid,
                "unreadable": unreadable,
            }
            click.echo(orjson.dumps(summary).decode())
        else:
            line = f"{len(files)} ATIF file(s): {valid} valid, {invalid} invalid"
            click.echo(line + (f", {unreadable} unreadable" if unreadable else ""))
    return 2 if unreadable else 1 if invalid else 0


@click.command("atif")
@click.argument("inputs", nargs=-1, required=True, metavar="LOG...")
@click.option(
    "-o",
    "--output",
    "out",
    metavar="OUT",
    help="File (one trajectory), folder (several), or - (standard output, the default).",
)
@click.option(
    "--crate-compatible",
    is_flag=True,
    help="Write exactly what VT Code's crate writes (not valid ATIF).",
)
@click.option(
    "--split-threads", is_flag=True, help="One trajectory per thread, into the folder -o names."
)
@click.option("--session-id", metavar="ID", help="Session id (default: the log's thread id).")
@click.option("--agent-name", metavar="NAME", help="agent.name (default: vtcode).")
@click.option(
    "--agent-version", metavar="V", help=f"agent.version (default: {CRATE_VERSION}, the crate's)."
)
@click.option("--model", metavar="NAME", help="agent.model_name (the log does not name the model).")
@click.option("--pretty", is_flag=True, help="Indent the JSON (valid ATIF mode).")
@bare_version_option
@click.option(
    "--check", is_flag=True, help="Validate ATIF documents (FILE...) instead of converting logs."
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="--check: refuse larger documents.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="--check: report format.",
)
def command(
    inputs: tuple[str, ...],
    out: str | None,
    crate_compatible: bool,
    split_threads: bool,
    session_id: str | None,
    agent_name: str | None,
    agent_version: str | None,
    model: str | None,
    pretty: bool,
    schema_version: str | None,
    check: bool,
    max_bytes: int,
    fmt: str,
) -> None:
    """Turn event logs into ATIF trajectories (valid ATIF by default), or check ATIF files.

    LOG is a .jsonl or .jsonl.gz event log, or - for standard input; one log gives one
    trajectory. Invalid lines are reported (file:line) and left out. With --check, each
    FILE is an ATIF document from any agent, checked with the upstream rules: one line per
    problem, with its JSON pointer. Exit status: 0 all good, 1 invalid lines, an empty
    session or invalid documents, 2 usage or I/O error. See docs/atif.md.
    """
    if check:
        conversion = (out, session_id, agent_name, agent_version, model, schema_version)
        if crate_compatible or split_threads or pretty or any(v is not None for v in conversion):
            raise click.UsageError("--check takes only FILE..., --max-bytes and --format")
        sys.exit(_check(inputs, max_bytes, fmt))
    run = _Run(crate_compatible, agent_name, agent_version, model, session_id, pretty)
    sys.exit(_convert(inputs, out, split_threads, run, schema_version))
