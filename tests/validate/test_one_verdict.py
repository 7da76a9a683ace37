"""One engine decides every line: validate, stats, replay and parse_line agree on each line of
one bad log, on the verdict, the message, the pointer and the kind."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

import vtcode_exec_events as vee
from tests.validate.conftest import DATA
from vtcode_exec_events.cli import main

LOG = DATA / "one-verdict.jsonl"
LINES = LOG.read_bytes().split(b"\n")[:-1]


def _cli(*args: str) -> Any:
    result = CliRunner().invoke(main, [*args, "--format", "json", str(LOG)])
    assert result.exit_code == 1, result.output
    return result.output


def _parse_line(raw: bytes) -> tuple[str, str, str] | None:
    try:
        vee.parse_line(raw)
    except vee.WireFormatError as exc:
        return exc.message, exc.pointer, exc.kind
    return None


def test_the_log_holds_every_kind_of_problem() -> None:
    report = json.loads(_cli("validate"))
    kinds = {e["kind"] for e in report["errors"] if e["severity"] == "error"}
    assert kinds == {"json", "schema", "version", "encoding"}
    assert report["valid"] >= 4


def test_validate_stats_replay_and_parse_line_agree_line_by_line() -> None:
    report = json.loads(_cli("validate"))
    validate = {
        e["line"]: (e["message"], e["pointer"], e["kind"])
        for e in report["errors"]
        if e["severity"] == "error"
    }
    stats = json.loads(_cli("stats", "--max-examples", "1000"))
    from_stats = {
        e["line"]: (e["message"], e["pointer"], e["kind"]) for e in stats["errors"]["shown"]
    }
    replay = [json.loads(line) for line in _cli("replay").splitlines()]
    from_replay = {e["line"]: e["text"] for e in replay if e["status"] == "invalid"}
    from_parse = {n: v for n, raw in enumerate(LINES, 1) if (v := _parse_line(raw)) is not None}

    assert len(LINES) == report["lines"] == stats["lines"]
    assert from_stats == validate
    assert from_parse == validate
    assert sorted(from_replay) == sorted(validate)
    for number, (message, pointer, kind) in validate.items():
        where = f" at {pointer}" if pointer else ""
        assert from_replay[number] == f"invalid line: {message}{where} [{kind}]"
