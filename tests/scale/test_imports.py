"""Where Ray installed numpy and pandas, the events table still never imports pandas."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests import importtime
from tests.arrow.conftest import LOGS

pytest.importorskip("pandas")  # the case: pandas installed (Ray's environment)

_ROWS = f"""
import sys
from pathlib import Path
from vtcode_exec_events.arrow import lines_to_batch
lines = Path({str(LOGS / "session.jsonl")!r}).read_bytes().splitlines()
batch = lines_to_batch(lines + [b'{{"type":1}}'])
assert batch.num_rows == len(lines) + 1
print("numpy" in sys.modules, "pandas" in sys.modules)
"""


def test_rows_are_built_without_pandas() -> None:
    """numpy is imported by pyarrow; pandas would be by ``pa.array``, so it is not used."""
    done = subprocess.run([sys.executable, "-c", _ROWS], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == b"True False\n"


def test_export_imports_neither_numpy_nor_pandas(tmp_path: Path) -> None:
    out = tmp_path / "o.parquet"
    done, imported = importtime.run("export", str(LOGS / "session.jsonl"), "-o", str(out))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "pyarrow" in imported
    assert not {"numpy", "pandas", "pyarrow.compute"} & imported
