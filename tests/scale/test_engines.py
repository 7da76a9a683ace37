"""Ray Data, S3 (moto over HTTP) and Spark give the same rows and reports as the local engine."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("ray")
pytest.importorskip("pyarrow")

import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from tests.arrow.conftest import CORPUS, LOGS, SMALL_MAX_LINE, cli, flags_log
from tests.scale.conftest import free_port, local_copy
from vtcode_exec_events.arrow import SCHEMA
from vtcode_exec_events.arrow.sources import filesystem

pytestmark = pytest.mark.scale


def _sorted(table: pa.Table) -> pa.Table:
    return table.sort_by([("file", "ascending"), ("line", "ascending")])


#: Option sets under which the Ray engine must give the local engine's report and rows.
FLAGS = {
    "defaults": [],
    "strict": ["--strict"],
    "long-lines-all-errors": ["--max-line-size", SMALL_MAX_LINE, "--all-errors"],
}


@pytest.fixture
def inputs(tmp_path: Path) -> list[str]:
    """The corpus, a missing file, and a log with over-long and multi-error lines."""
    flags = tmp_path / "flags.jsonl"
    flags.write_bytes(flags_log())
    return [*(str(p) for p in CORPUS), str(flags), "missing.jsonl"]


@pytest.mark.parametrize("flags", FLAGS.values(), ids=FLAGS.keys())
def test_ray_validate_report_is_the_local_report(
    ray_address: str, inputs: list[str], flags: list[str]
) -> None:
    args = ["validate", "--format", "json", "--max-errors", "0", *inputs, *flags]
    here = cli(*args)
    there = cli(*args, "--engine", "ray", env={"RAY_ADDRESS": ray_address}, timeout=600)
    assert here.returncode == 2
    assert (there.returncode, there.stdout) == (here.returncode, here.stdout), there.stderr[-2000:]
    assert there.stderr == b""
    if "--all-errors" in flags:  # the flags took effect: several errors on a line, size errors
        report = json.loads(here.stdout)
        kinds = [(e["line"], e["kind"]) for e in report["errors"] if e["file"] == inputs[-2]]
        assert kinds.count((7, "schema")) == 5
        assert [n for n, kind in kinds if kind == "size"] == [6, 12, 20]


def test_ray_export_dataset_is_the_local_table(
    ray_address: str, inputs: list[str], tmp_path: Path
) -> None:
    here, there = tmp_path / "here.parquet", tmp_path / "there"
    flags = FLAGS["long-lines-all-errors"]
    mine = cli("export", *inputs, "-o", str(here), *flags)
    assert mine.returncode == 2  # missing.jsonl
    done = cli(
        "export",
        *inputs,
        "-o",
        str(there),
        *flags,
        "--engine",
        "ray",
        env={"RAY_ADDRESS": ray_address},
        timeout=600,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    local = pq.read_table(here)
    remote = pads.dataset(there, format="parquet").to_table().cast(SCHEMA)
    assert _sorted(remote).equals(_sorted(local))
    assert local.filter(pa.compute.equal(local.column("error_kind"), "size")).num_rows == 3
    # missing.jsonl is reported, and is not a file read: both engines count the same
    summary = f"from {len(inputs) - 1} files -> "
    assert mine.stderr.decode().endswith(f"{summary}{here}\n")
    assert done.stderr.decode().endswith(f"{summary}{there}\n")


def test_s3_export_local_engine(s3: dict[str, str], tmp_path: Path) -> None:
    done = cli("export", "s3://logs/runs/", "-o", "s3://logs/out/events.parquet", env=s3)
    assert done.returncode == 2  # the broken gzip member: its lines are kept, then an error
    assert b"s3://logs/runs/gz/broken.jsonl.gz: " in done.stderr
    fs, path = filesystem_with(s3, "s3://logs/out/events.parquet")
    table = pq.read_table(path, filesystem=fs)
    root = local_copy(s3, tmp_path)
    assert cli("export", str(root), "-o", str(tmp_path / "l.parquet")).returncode == 2
    local = pq.read_table(tmp_path / "l.parquet")
    renamed = local.set_column(
        0,
        "file",
        pa.array(
            [f.replace(str(root), "s3://logs/runs") for f in local.column("file").to_pylist()]
        ),
    )
    assert _sorted(table).equals(_sorted(renamed.cast(SCHEMA)))
    assert table.filter(pa.compute.equal(table.column("error_kind"), "io")).num_rows == 1


def test_s3_with_ray(s3: dict[str, str], ray_address: str, tmp_path: Path) -> None:
    env = {**s3, "RAY_ADDRESS": ray_address}
    done = cli(
        "export",
        "s3://logs/runs/",
        "-o",
        "s3://logs/ray-out/",
        "--engine",
        "ray",
        env=env,
        timeout=600,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    fs, path = filesystem_with(s3, "s3://logs/ray-out")
    remote = pads.dataset(path, filesystem=fs, format="parquet").to_table().cast(SCHEMA)
    root = local_copy(s3, tmp_path)
    assert cli("export", str(root), "-o", str(tmp_path / "l.parquet")).returncode == 2
    local = pq.read_table(tmp_path / "l.parquet")
    renamed = local.set_column(
        0,
        "file",
        pa.array(
            [f.replace(str(root), "s3://logs/runs") for f in local.column("file").to_pylist()]
        ),
    )
    assert _sorted(remote).equals(_sorted(renamed.cast(SCHEMA)))
    broken = remote.filter(
        pa.compute.equal(remote.column("file"), "s3://logs/runs/gz/broken.jsonl.gz")
    )
    kinds = [(r["line"], r["error_kind"]) for r in _sorted(broken).to_pylist()]
    assert kinds[-1][1] == "io"  # the truncated member: one io row after the lines read
    assert [line for line, _ in kinds[:-1]] == list(range(1, len(kinds)))
    assert len(kinds) > 1
    report = cli(
        "validate", "--engine", "ray", "--format", "json", "s3://logs/runs/", env=env, timeout=600
    )
    assert report.returncode == 2
    assert b'"unreadable":1' in report.stdout


def filesystem_with(env: dict[str, str], url: str):  # type: ignore[no-untyped-def]
    import os

    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return filesystem(url)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_spark_map_in_arrow_recipe(monkeypatch: pytest.MonkeyPatch) -> None:
    pyspark = pytest.importorskip("pyspark")
    # Spark's Python workers must import the package: run them on this interpreter.
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from vtcode_exec_events.arrow import SPARK_DDL, map_batches

    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    try:
        files = spark.read.format("binaryFile").load(str(LOGS / "*.jsonl"))
        events = files.select("path", "content").mapInArrow(map_batches, SPARK_DDL)
        got = {
            (r["file"], r["line"]): (r["valid"], r["type"], r["turn_index"])
            for r in events.collect()
        }
    finally:
        spark.stop()
    assert pyspark.__version__.startswith("4")
    assert len(got) == 47
    by_name = {(Path(f.removeprefix("file:")).name, n): v for (f, n), v in got.items()}
    assert by_name[("exec.jsonl", 15)] == (True, "turn.failed", 1)
    assert by_name[("session.jsonl", 1)] == (True, "thread.started", None)


def test_ray_that_cannot_join_is_one_line_and_no_report(tmp_path: Path) -> None:
    """No cluster at RAY_ADDRESS: one error line, exit 2, and no partial report on stdout."""
    closed = free_port()
    log = next(iter(CORPUS))
    done = cli(
        "validate", "--engine", "ray", "--format", "json", str(log),
        env={"RAY_ADDRESS": f"127.0.0.1:{closed}"}, timeout=600,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (2, b""), done.stderr[-2000:]
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        f"vtcode-exec-events: error: cannot start or join the cluster at 127.0.0.1:{closed}: "
    )
