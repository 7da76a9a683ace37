"""Golden trajectories for the sample logs in examples/logs/, in both modes.

``*.crate.json`` were written by the crate itself (event n at 2025-01-15T10:30:00Z + n s);
``*.atif.json`` are this package's valid ATIF, reviewed by hand and checked upstream.
"""

from __future__ import annotations

import re

import orjson
import pytest

from vtcode_exec_events.atif import dumps_crate, problems
from vtcode_exec_events.consumers.reader import read_log

from .conftest import DATA, EXAMPLES, ROOT, build, invoke

LOGS = ["session", "exec"]
STAMP = re.compile(rb'"timestamp":"[^"]*"')


def _events(name: str) -> list[object]:
    lines = list(read_log(str(EXAMPLES / f"{name}.jsonl")))
    assert all(line.event is not None for line in lines)
    return [line.event for line in lines]


@pytest.mark.parametrize("name", LOGS)
def test_crate_mode_is_the_crates_bytes(name: str) -> None:
    expected = (DATA / "expected" / f"{name}.crate.json").read_bytes()
    assert dumps_crate(build(_events(name)).crate_document()) == expected


@pytest.mark.parametrize("name", LOGS)
def test_crate_mode_from_the_cli_differs_only_in_step_times(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    ran = invoke("atif", "--crate-compatible", f"examples/logs/{name}.jsonl", "-o", "-")
    assert ran.code == 0, ran.err
    expected = (DATA / "expected" / f"{name}.crate.json").read_bytes()
    assert ran.out.endswith(b"}\n")
    assert STAMP.sub(b"T", ran.out[:-1]) == STAMP.sub(b"T", expected)


@pytest.mark.parametrize("name", LOGS)
def test_default_mode_from_the_cli(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    ran = invoke("atif", "--pretty", f"examples/logs/{name}.jsonl")
    assert ran.code == 0, ran.err
    expected = (DATA / "expected" / f"{name}.atif.json").read_bytes()
    assert ran.out == expected
    assert problems(orjson.loads(expected)) == []


@pytest.mark.parametrize("name", LOGS)
def test_golden_trajectories_validate_upstream(name: str) -> None:
    upstream = pytest.importorskip("atif", reason="the upstream models need Python 3.11+")
    document = orjson.loads((DATA / "expected" / f"{name}.atif.json").read_bytes())
    upstream.Trajectory.model_validate(document)
    crate = orjson.loads((DATA / "expected" / f"{name}.crate.json").read_bytes())
    with pytest.raises(ValueError, match="message"):
        upstream.Trajectory.model_validate(crate)  # the crate's own output is not valid ATIF
