"""Fuzzing: random bytes and mutated valid lines never crash the validator or lose a line.

Bounded here; ``nox -s fuzz`` runs many more examples (``VALIDATE_FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import gzip
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vtcode_exec_events.validate import validate_file, validate_lines

EXAMPLES = int(os.environ.get("VALIDATE_FUZZ_EXAMPLES", "100"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SEEDS = [
    b'{"type":"turn.started"}',
    b'{"schema_version":"0.11.0","event":{"type":"thread.started","thread_id":"t"}}',
    b'{"type":"item.completed","item":{"id":"i","type":"command_execution","command":"c",'
    b'"aggregated_output":"ok\\n","exit_code":0,"status":"completed"}}',
    b'{"type":"thread.compact_boundary","thread_id":"t","trigger":"auto","mode":"local",'
    b'"original_message_count":4,"compacted_message_count":1}',
    b'{"schema_version":"0.3.0","event":{"type":"item.started","item":{"id":"x",'
    b'"type":"file_change","changes":[{"path":"a","kind":"add"}],"status":"completed"}}}',
]


def _expected_lines(data: bytes) -> int:
    if not data:
        return 0
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    line = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(line)))
        action = draw(st.sampled_from(["flip", "insert", "delete", "dup"]))
        if action == "flip" and at < len(line):
            line[at] = draw(st.integers(0, 255))
        elif action == "insert":
            line[at:at] = draw(
                st.sampled_from([b"{", b"}", b'"', b",", b"\\", b"\xff", b"\n", b"["])
            )
        elif action == "delete":
            del line[at : at + draw(st.integers(1, 8))]
        else:
            line[at:at] = line[: draw(st.integers(0, len(line)))]
    return bytes(line)


def _check_file(data: bytes, suffix: str = ".jsonl") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("f" + suffix)
        path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
        result = validate_file(path)
    assert result.valid + result.invalid == result.lines
    if data.startswith(b"\x1f\x8b") and not suffix.endswith(".gz"):
        # The gzip magic: read as gzip whatever the name; junk after it is a gzip error.
        assert result.error is None or "gzip" in result.error
        return
    assert result.error is None
    assert result.lines == _expected_lines(data)
    assert result.valid + result.invalid == result.lines
    assert len({i.line for i in result.issues if i.severity == "error"}) == result.invalid


@SETTINGS
@given(st.binary(max_size=600))
def test_random_bytes(data: bytes) -> None:
    _check_file(data)
    for result in validate_lines(data.split(b"\n")):
        assert result.valid or result.errors


@SETTINGS
@given(st.lists(st.one_of(mutated(), st.sampled_from(SEEDS)), min_size=1, max_size=12))
def test_mutated_valid_lines(lines: list[bytes]) -> None:
    data = b"\n".join(lines) + b"\n"
    _check_file(data)
    _check_file(data, ".jsonl.gz")
    for result in validate_lines(lines):
        assert result.valid or result.errors
