"""Bad input never stops the run and is never dropped: exact counts, pointers and kinds."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path
from typing import Any

import pytest

from tests.validate.conftest import DATA, run_json
from vtcode_exec_events.validate import validate_file

MALFORMED = DATA / "malformed"
EXPECTED: dict[str, dict[str, Any]] = json.loads((MALFORMED / "expected.json").read_text())


def _issues(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(e["line"], e["pointer"], e["kind"], e["severity"]) for e in report["errors"]]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_file(name: str) -> None:
    want = EXPECTED[name]
    code, report = run_json(str(MALFORMED / name))
    counts = {k: report[k] for k in ("lines", "valid", "invalid", "warnings")}
    assert counts == {k: want[k] for k in ("lines", "valid", "invalid", "warnings")}
    assert report["lines"] == report["valid"] + report["invalid"]
    assert _issues(report) == [
        (e["line"], e["pointer"], e["kind"], e["severity"]) for e in want["errors"]
    ]
    for got, expected in zip(report["errors"], want["errors"], strict=True):
        assert expected["message"] in got["message"]
        assert got["file"] == str(MALFORMED / name)
    assert code == (1 if want["invalid"] else 0)


def test_every_malformed_file_at_once_adds_up() -> None:
    paths = [str(MALFORMED / name) for name in sorted(EXPECTED)]
    code, report = run_json(*paths)
    assert code == 1
    assert [f["path"] for f in report["files"]] == paths
    for key in ("lines", "valid", "invalid", "warnings"):
        assert report[key] == sum(EXPECTED[n][key] for n in EXPECTED)
        assert report[key] == sum(f[key] for f in report["files"])


def test_a_100_megabyte_line(tmp_path: Path) -> None:
    text = "x" * (100 << 20)
    big = '{"type":"item.completed","item":{"id":"i","type":"agent_message","text":"%s"}}'
    path = tmp_path / "big.jsonl"
    with path.open("w") as f:
        f.write('{"type":"turn.started"}\n')
        f.write(big % text + "\n")
        f.write('{"type":"turn.failed"}\n')
    del text
    result = validate_file(path, max_line=128 << 20)
    assert (result.lines, result.valid, result.invalid) == (3, 2, 1)
    assert [(i.line, i.pointer, i.kind) for i in result.issues] == [(3, "", "schema")]
    # Over the default maximum line size (64 MiB): skipped unread, counted, its own kind.
    result = validate_file(path)
    assert (result.lines, result.valid, result.invalid) == (3, 1, 2)
    assert [(i.line, i.kind) for i in result.issues] == [(2, "size"), (3, "schema")]
    length = len(big) - 2 + (100 << 20)
    message = result.issues[0].message
    assert f"line of {length} bytes is longer than the maximum line size" in message


def test_nesting_100000_deep(tmp_path: Path) -> None:
    deep = b'{"type":"turn.started","x":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    path = tmp_path / "deep.jsonl"
    path.write_bytes(deep + b"\n" + b'{"type":"turn.started"}\n')
    result = validate_file(path)
    assert (result.lines, result.valid, result.invalid) == (2, 1, 1)
    (issue,) = result.issues
    assert (issue.line, issue.pointer, issue.kind) == (1, "", "json")
    assert "nested deeper than 1024 levels" in issue.message


def _lines(n: int) -> bytes:
    rng = random.Random(5)
    return b"".join(
        b'{"type":"turn.failed","message":"line %d: %s"}\n' % (i, rng.randbytes(100).hex().encode())
        for i in range(1, n + 1)
    )


def test_corrupt_gzip_part_way(tmp_path: Path) -> None:
    data = bytearray(gzip.compress(_lines(2000), mtime=0))
    middle = len(data) // 2
    data[middle : middle + 64] = b"\x00" * 64
    path = tmp_path / "corrupt.jsonl.gz"
    path.write_bytes(bytes(data))
    code, report = run_json("--max-errors", "0", str(path))
    (file,) = report["files"]
    assert code == 2
    assert file["error"].startswith("corrupt gzip stream")
    assert file["lines"] == file["valid"] + file["invalid"]
    # Everything decoded before the damage is counted and valid; what the damaged part
    # decodes to is counted too, as invalid lines, until the stream check fails.
    assert report["errors"][0]["line"] > 900
    assert file["invalid"] == len(report["errors"]) > 0


def test_truncated_gzip(tmp_path: Path) -> None:
    data = gzip.compress(_lines(2000), mtime=0)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    code, report = run_json(str(path))
    (file,) = report["files"]
    assert code == 2
    assert "truncated gzip stream" in file["error"]
    assert 0 < file["lines"] < 2000
    assert file["lines"] == file["valid"] + file["invalid"]


def test_gzip_and_plain_give_the_same_report(tmp_path: Path) -> None:
    name = "mixed-bare-and-envelopes.jsonl"
    plain = (MALFORMED / name).read_bytes()
    path = tmp_path / (name + ".gz")
    path.write_bytes(gzip.compress(plain))
    _, zipped = run_json(str(path))
    _, direct = run_json(str(MALFORMED / name))
    assert _issues(zipped) == _issues(direct)
    assert zipped["files"][0]["lines"] == direct["files"][0]["lines"] == 5
