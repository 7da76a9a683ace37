"""mypy --strict checks producer code that builds events as TypedDicts, as users rely on."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "dicts"
VALID = DATA / "valid_events.py"
INVALID = DATA / "invalid_events.py"
MARK = re.compile(r"#\s*E:\s*(?P<fragment>.+?)\s*$")
ERROR = re.compile(r"^(?P<path>.+?):(?P<line>\d+): error: (?P<message>.*)$")

Errors = dict[tuple[Path, int], list[str]]


def _marked(path: Path) -> dict[int, str]:
    """Line number -> the fragment its ``# E:`` comment expects in a mypy error."""
    lines = path.read_text("utf-8").splitlines()
    return {n: m["fragment"] for n, line in enumerate(lines, 1) if (m := MARK.search(line))}


@pytest.fixture(scope="module")
def mypy_errors(tmp_path_factory: pytest.TempPathFactory) -> Errors:
    """One mypy run over both producer files (about 2 s): their errors by (file, line)."""
    if importlib.util.find_spec("mypy") is None:
        pytest.fail("mypy is not installed here; it is in the `test` dependency group")
    cache = tmp_path_factory.mktemp("mypy-cache")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            f"--config-file={DATA / 'mypy.ini'}",
            f"--cache-dir={cache}",
            "--show-absolute-path",
            "--hide-error-context",
            "--no-error-summary",
            "--no-color-output",
            str(VALID),
            str(INVALID),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    # 1: type errors found (the invalid file has some); 0 or 2 means mypy did not check.
    assert done.returncode == 1, done.stdout + done.stderr
    errors: Errors = {}
    for line in done.stdout.splitlines():
        if m := ERROR.match(line):
            key = (Path(m["path"]).resolve(), int(m["line"]))
            errors.setdefault(key, []).append(m["message"])
    return errors


def test_correct_producer_code_passes_strict_mypy(mypy_errors: Errors) -> None:
    assert {k: v for k, v in mypy_errors.items() if k[0] == VALID} == {}


def test_the_generated_dicts_pass_strict_mypy(mypy_errors: Errors) -> None:
    assert {k: v for k, v in mypy_errors.items() if k[0] not in (VALID, INVALID)} == {}


@pytest.mark.parametrize(("line", "fragment"), sorted(_marked(INVALID).items()))
def test_each_marked_mistake_is_an_error_on_its_line(
    mypy_errors: Errors, line: int, fragment: str
) -> None:
    messages = mypy_errors.get((INVALID, line), [])
    assert any(fragment in message for message in messages), messages


def test_no_error_on_an_unmarked_line(mypy_errors: Errors) -> None:
    marked = _marked(INVALID)
    unmarked = {k: v for k, v in mypy_errors.items() if k[0] == INVALID and k[1] not in marked}
    assert unmarked == {}


def test_the_cases_cover_every_kind_of_mistake() -> None:
    fragments = " ".join(_marked(INVALID).values())
    for kind in ('Missing key "type"', "Literal['thread.started']", '"status"', "Extra key"):
        assert kind in fragments
