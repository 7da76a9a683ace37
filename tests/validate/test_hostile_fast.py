"""Hostile lines through validate's msgspec fast path (and export's), in bounded processes.

Each case runs the real command in a subprocess whose address space is capped
(``RLIMIT_AS``) and whose run time is bounded (``timeout``); a traceback, a
``RecursionError`` or an abort fails the test. The verdicts are compared with the precise
path (:meth:`Checker.check_line`, which never takes the fast path) and with the
documented messages. The 200,000-line case runs with ``nox -s hostile``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.arrow.conftest import cli
from vtcode_exec_events.validate import Checker
from vtcode_exec_events.validate.verdict import TOO_DEEP

GIB = 1 << 30
DEEP = "invalid JSON at column {}: nested deeper than 1024 levels"
HEAD = (
    b'{"schema_version":"0.11.0","event":{"type":"item.completed","item":{"id":"i",'
    b'"type":"tool_invocation","tool_name":'
)


def _tool(arguments: bytes, tool_name: bytes = b'"t"') -> bytes:
    """A tool_invocation line: ``arguments`` is free-form, ``tool_name`` a string."""
    return HEAD + tool_name + b',"arguments":' + arguments + b',"status":"completed"}}}'


def _nest(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


def _run(*args: str, memory: int = GIB, timeout: float = 120) -> dict[str, Any]:
    result = cli(*args, memory=memory, timeout=timeout)
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr, stderr
    assert "Error:" not in stderr, stderr
    assert result.returncode in (0, 1), (result.returncode, stderr)
    report = orjson.loads(result.stdout)
    assert isinstance(report, dict)
    return report


def _verdicts(report: dict[str, Any]) -> list[tuple[int, str, str, str]]:
    return [(e["line"], e["kind"], e["pointer"], e["message"]) for e in report["errors"]]


#: (line, what the precise path says of it): free-form and typed fields around the limit.
#: The envelope, the event and the item are 3 levels: ``arguments`` nested 1,021 deep is
#: the deepest a line may be (1,024); the message names the column where it goes deeper.
DEPTHS: list[tuple[bytes, tuple[str, str, str] | None]] = [
    (_tool(_nest(100_000)), ("json", "", DEEP.format(len(HEAD) + 16 + 1023))),
    (_tool(_nest(1_000)), None),
    (_tool(_nest(1_021)), None),
    (_tool(_nest(1_023)), ("json", "", DEEP.format(len(HEAD) + 16 + 1023))),
    (_tool(b"{}", _nest(1_000)), ("schema", "/event/item", TOO_DEEP)),
    (_tool(b"{}", _nest(1_023)), ("json", "", DEEP.format(len(HEAD) + 1023))),
    (_tool(b"{}", _nest(200)), ("schema", "/event/item/tool_name", "")),
    (_tool(b"[1]", b"[" + _nest(300) + b"]"), ("schema", "/event/item", TOO_DEEP)),
]


def test_deep_nesting_matches_the_precise_path_in_validate_and_export(tmp_path: Path) -> None:
    valid = _tool(b'{"a":1}')
    lines = [valid, *(line for line, _ in DEPTHS), valid]
    log = tmp_path / "deep.jsonl"
    log.write_bytes(b"\n".join(lines) + b"\n")
    checker = Checker()
    expected = []
    for number, line in enumerate(lines, 1):
        for issue in checker.check_line(line, number, str(log)).issues:
            expected.append((number, issue.kind, issue.pointer, issue.message))
    documented = [
        (number, *verdict) for number, (_, verdict) in enumerate(DEPTHS, 2) if verdict is not None
    ]
    assert [e[:3] for e in expected] == [d[:3] for d in documented]
    for got, want in zip(expected, documented, strict=True):
        assert got[3].startswith(want[3])
    assert expected[4][3].endswith(" is not of type string")  # the 200-deep typed field
    for jobs in ("1", "2"):
        report = _run("validate", "--format", "json", "--jobs", jobs, str(log))
        assert _verdicts(report) == expected
        assert (report["lines"], report["invalid"]) == (len(lines), len(documented))
    every = Checker(all_errors=True)
    listed = [
        (number, issue.kind, issue.pointer, issue.message)
        for number, line in enumerate(lines, 1)
        for issue in every.check_line(line, number, str(log)).issues
    ]
    assert [e[3] for e in listed].count(TOO_DEEP) == 2
    report = _run("validate", "--format", "json", "--all-errors", str(log))
    assert _verdicts(report) == listed
    out = tmp_path / "deep.parquet"
    result = cli("export", "-o", str(out), str(log), memory=3 * GIB, timeout=120)
    assert result.returncode == 0, result.stderr
    summary = f"{len(lines)} lines ({len(documented)} invalid) from 1 files -> {out}\n"
    assert result.stderr.decode() == summary
    pq = pytest.importorskip("pyarrow.parquet")
    rows = pq.read_table(out, columns=["line", "valid", "error_message"]).to_pylist()
    wrong = {number: message for number, _, _, message in expected}
    assert [(r["line"], r["valid"], r["error_message"]) for r in rows] == [
        (n, n not in wrong, wrong.get(n)) for n in range(1, len(lines) + 1)
    ]


def _thread(extra: bytes) -> bytes:
    return b'{"type":"thread.started","thread_id":"t"' + extra + b"}\n"


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param(b',"x":1' * 1_000_000, id="a million repeated unknown keys"),
        pytest.param(
            b"".join(b',"k%d":1' % i for i in range(1_000_000)), id="a million unknown keys"
        ),
        pytest.param(b',"z":"' + b"\\u0000" * 10_000_000 + b'"', id="60 MB of \\u0000"),
    ],
)
def test_huge_objects_and_strings_are_judged_in_bounded_memory(
    tmp_path: Path, extra: bytes
) -> None:
    log = tmp_path / "huge.jsonl"
    log.write_bytes(_thread(b"") + _thread(extra) + _thread(b""))
    # Unknown keys are skipped by VT Code's decoder, repeated or not: the line is valid.
    report = _run("validate", "--format", "json", "--jobs", "1", str(log), memory=2 * GIB)
    assert (report["lines"], report["valid"], report["invalid"], report["warnings"]) == (
        3,
        3,
        0,
        0,
    )


def test_a_repeated_declared_key_in_a_huge_line_is_named(tmp_path: Path) -> None:
    log = tmp_path / "huge.jsonl"
    log.write_bytes(_thread(b',"thread_id":"u"' + b',"x":1' * 1_000_000))
    report = _run("validate", "--format", "json", "--jobs", "1", str(log), memory=2 * GIB)
    assert _verdicts(report) == [
        (
            1,
            "schema",
            "/thread_id",
            'duplicate field "thread_id": VT Code\'s decoder rejects the line',
        )
    ]


FULL = bool(os.environ.get("VALIDATE_HOSTILE_FULL"))


@pytest.mark.parametrize(
    "count",
    [
        3_000,
        pytest.param(
            200_000,
            marks=pytest.mark.skipif(not FULL, reason="a minute of CPU: nox -s hostile"),
        ),
    ],
)
def test_every_batch_falling_back_is_counted_line_by_line(tmp_path: Path, count: int) -> None:
    log = tmp_path / "repeated.jsonl"
    log.write_bytes(_thread(b',"thread_id":"t"') * count)
    report = _run("validate", "--format", "json", str(log), timeout=600)
    assert (report["lines"], report["valid"], report["invalid"]) == (count, 0, count)
    (group,) = report["groups"]
    assert (group["pointer"], group["count"]) == ("/thread_id", count)
    assert group["message"] == 'duplicate field "thread_id": VT Code\'s decoder rejects the line'


def _message(text: bytes, kind: bytes = b"agent_message", field: bytes = b"text") -> bytes:
    return (
        b'{"type":"item.completed","item":{"id":"m","type":"'
        + kind
        + b'","'
        + field
        + b'":'
        + text
        + b"}}"
    )


#: Lines that are not ASCII take the decoders that keep text fields raw (``raw_texts``):
#: huge, broken, deep or mistyped text there, each judged as the precise path judges it.
RAW_TEXTS = [
    _message(b'"' + "é✓日".encode() * 4_000_000 + b'"'),  # 36 MB of valid text
    _message(b'"' + "é".encode() * 10_000_000 + b'\xff"'),  # invalid UTF-8 at its end
    _message(b'"' + "é".encode() * 10_000_000 + b'\xed\xa0\x80"'),  # an encoded surrogate
    _message(b'"\xc3\xa9\\ud800"'),  # a lone surrogate escape
    _message(b"[" * 100_000 + b'"\xc3\xa9"' + b"]" * 100_000),  # deep, and not a string
    _message(b'{"\xc3\xa9":1}'),
    _message(b"null"),  # text is not nullable
    _message(b"null", b"mcp_tool_call", b"result").replace(
        b'"result"', b'"tool_name":"t\xc3\xa9","arguments":{},"status":"completed","result"'
    ),
]


def test_text_fields_kept_raw_are_judged_as_the_precise_path_in_bounded_memory(
    tmp_path: Path,
) -> None:
    """Each line alone in its file, so it is its own msgspec batch: a line the raw-text
    decoders took wrongly would be reported valid."""
    paths = []
    for n, raw in enumerate(RAW_TEXTS):
        paths.append(tmp_path / f"text-{n}.jsonl")
        paths[-1].write_bytes(raw + b"\n")
    checker = Checker()
    expected = [
        (str(path), i.kind, i.pointer, i.message)
        for path, raw in zip(paths, RAW_TEXTS, strict=True)
        for i in checker.check_line(raw, 1).issues
    ]
    assert len({path for path, *_ in expected}) == 6  # the first and last lines are valid
    for jobs in ("1", "2"):
        report = _run(
            "validate", "--format", "json", "--jobs", jobs, *map(str, paths), memory=2 * GIB
        )
        got = [(e["file"], e["kind"], e["pointer"], e["message"]) for e in report["errors"]]
        assert got == expected
        assert (report["lines"], report["invalid"]) == (len(RAW_TEXTS), 6)
