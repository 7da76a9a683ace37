"""What `validate` imports: only what a log needs (start-up is part of every run's time)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import importtime

_CLEAN = b'{"type":"thread.started","thread_id":"t1"}\n{"type":"turn.started"}\n'
_BROKEN = _CLEAN + b'{"type":"thread.started","thread_id":5}\n'
#: Never needed by `validate` of a local file with one process.
_NEVER = {"pyarrow", "numpy", "vtcode_exec_events.compat", "multiprocessing", "pydantic"}


def _validate(tmp_path: Path, log: bytes) -> tuple[int, str, set[str]]:
    path = tmp_path / "log.jsonl"
    path.write_bytes(log)
    done, imported = importtime.run("validate", str(path))
    return done.returncode, done.stdout.decode() + done.stderr.decode(), imported


@pytest.mark.parametrize(
    ("log", "status", "needs_jsonschema"),
    [(_CLEAN, 0, False), (_BROKEN, 1, True)],
    ids=["clean", "one invalid line"],
)
def test_validate_imports_jsonschema_rs_only_for_a_line_that_needs_it(
    tmp_path: Path, log: bytes, status: int, needs_jsonschema: bool
) -> None:
    code, output, imported = _validate(tmp_path, log)
    assert code == status, output
    assert ("jsonschema_rs" in imported) is needs_jsonschema
    assert not _NEVER & imported
    if needs_jsonschema:  # the precise path's verdict, as without the lazy import
        path = tmp_path / "log.jsonl"
        assert f"{path}:3: error[schema] /thread_id: 5 is not of type string\n" in output
