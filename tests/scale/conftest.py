"""Real parts for the scale tests: a 2-CPU Ray cluster and an S3 server (moto, over HTTP).

Run with ``nox -s scale``; skipped where Ray, moto or pyspark are not installed.
"""

from __future__ import annotations

import gzip
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.arrow.conftest import LOGS, MALFORMED

#: The test cluster's object store (bytes): small, so a command under ``cli``'s
#: address-space bound can map it.
OBJECT_STORE = 512 << 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def ray_address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running 2-CPU Ray cluster (``ray start --head``); its address for RAY_ADDRESS."""
    ray = shutil.which("ray", path=os.path.dirname(sys.executable))
    assert ray is not None
    port = free_port()
    # One explicit auth mode for the cluster and every client the tests start.
    os.environ["RAY_AUTH_MODE"] = "disabled"
    env = {**os.environ, "RAY_raylet_start_wait_time_s": "180"}
    command = [ray, "start", "--head", f"--port={port}", "--num-cpus=2",
               "--include-dashboard=false", "--node-ip-address=127.0.0.1",
               "--disable-usage-stats",
               # Every client maps the whole object store: Ray's default (30% of RAM) is
               # more than the address space the tests allow a command (RLIMIT_AS), and
               # the client then aborts natively in plasma's mmap ("mmap failed", exit 1).
               f"--object-store-memory={OBJECT_STORE}"]  # fmt: skip
    for _ in range(3):  # a loaded machine can make the raylet give up on its agents
        started = subprocess.run(command, capture_output=True, timeout=600, env=env, check=False)
        if started.returncode == 0:
            break
        subprocess.run([ray, "stop", "--force"], capture_output=True, timeout=120, check=False)
    assert started.returncode == 0, started.stderr[-2000:]
    try:
        yield f"127.0.0.1:{port}"
    finally:
        subprocess.run([ray, "stop", "--force"], capture_output=True, timeout=120, check=False)


@pytest.fixture(scope="session")
def s3() -> Iterator[dict[str, str]]:
    """A moto S3 server on 127.0.0.1 with a bucket of logs; the environment to reach it."""
    moto_server = pytest.importorskip("moto.server")
    boto3 = pytest.importorskip("boto3")
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    env = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
    }
    client = boto3.client(
        "s3",
        endpoint_url=env["AWS_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket="logs")
    for path in LOGS.glob("*.jsonl"):
        client.put_object(Bucket="logs", Key=f"runs/{path.name}", Body=path.read_bytes())
    client.put_object(
        Bucket="logs",
        Key="runs/gz/session.jsonl.gz",
        Body=gzip.compress((LOGS / "session.jsonl").read_bytes()),
    )
    client.put_object(
        Bucket="logs",
        Key="runs/gz/broken.jsonl.gz",
        Body=gzip.compress((MALFORMED / "invalid-json.jsonl").read_bytes())[:-25],
    )
    try:
        yield env
    finally:
        server.stop()


def local_copy(s3_env: dict[str, str], tmp: Path) -> Path:
    """The bucket's logs as local files, named as the S3 listing orders them."""
    root = tmp / "runs"
    (root / "gz").mkdir(parents=True)
    for path in LOGS.glob("*.jsonl"):
        shutil.copy(path, root / path.name)
    (root / "gz" / "session.jsonl.gz").write_bytes(
        gzip.compress((LOGS / "session.jsonl").read_bytes())
    )
    (root / "gz" / "broken.jsonl.gz").write_bytes(
        gzip.compress((MALFORMED / "invalid-json.jsonl").read_bytes())[:-25]
    )
    return root
