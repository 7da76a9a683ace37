"""``vtcode-exec-events schema``: list released versions and export their schema documents."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from vtcode_exec_events.bundle import bundle
from vtcode_exec_events.cli.stats import schema_version_option
from vtcode_exec_events.errors import SchemaError
from vtcode_exec_events.registry import ENTRY_DOCUMENTS, THREAD_EVENT, latest, load, versions

__all__ = ["group"]

ENTRIES = {name.removesuffix(".schema.json"): name for name in ENTRY_DOCUMENTS}


def _dump(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@click.group("schema")
def group() -> None:
    """The released schema versions and their JSON Schema documents."""


@group.command("versions")
def versions_command() -> None:
    """List every released schema version, oldest first (the newest is the default)."""
    for version in versions():
        click.echo(version)


@group.command("export")
@click.option(
    "--version",
    "version",
    callback=schema_version_option,
    help="Schema version to export (default: the newest).",
)
@click.option(
    "--bundle",
    "bundled",
    is_flag=True,
    help="Write one self-contained document (every $ref internal) instead of the folder.",
)
@click.option(
    "--entry",
    type=click.Choice(sorted(ENTRIES)),
    default=THREAD_EVENT.removesuffix(".schema.json"),
    show_default=True,
    help="With --bundle: the bare event line, or the versioned envelope.",
)
@click.option("--id", "schema_id", help="With --bundle: set this $id on the bundled document.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Folder for the documents; with --bundle, a file (default: standard output).",
)
def export_command(
    version: str | None, bundled: bool, entry: str, schema_id: str | None, output: Path | None
) -> None:
    """Write a version's schema documents, or one bundled self-contained document.

    Without --bundle, every document of the version folder is written into --output
    (relative $refs keep working there). With --bundle, the entry document and everything
    it references become one JSON Schema (draft 2020-12) for schema registries and other
    languages' code generators. The x-vtcode-* annotations are kept; validators ignore them.
    """
    version = version or latest()
    try:
        schemas = load(version)
        if bundled:
            document = bundle(schemas, ENTRIES[entry])
            if schema_id:
                document = {"$id": schema_id, **document}
            text = _dump(document)
            if output is None or str(output) == "-":
                click.echo(text, nl=False)
            else:
                output.write_text(text, encoding="utf-8")
            return
        if output is None or str(output) == "-":
            raise click.UsageError(
                "exporting a version's documents needs --output FOLDER "
                "(or --bundle for one document on standard output)"
            )
        output.mkdir(parents=True, exist_ok=True)
        for name, document in sorted(schemas.documents.items()):
            (output / name).write_text(_dump(document), encoding="utf-8")
        click.echo(f"wrote {len(schemas.documents)} documents of schema {version} to {output}")
    except SchemaError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except OSError as exc:
        click.echo(f"error: cannot write {output}: {exc.strerror or exc}", err=True)
        sys.exit(2)
