"""Archive write throughput on a real SeaweedFS, against a plain boto3 put loop of the same objects.

The objects are the sample portal's pages and attachments (salted so every key is new), written
three ways to the same server in the same run:
- baseline: ``client.put_object`` in a loop, no checksum, no condition;
- ``S3Storage.put`` in a loop: put-if-absent (``If-None-Match: *``) with a SHA-256 checksum;
- the crawl's path: ``RunSession.put`` (crawler/run/session.py) through the spool wrapper, many writes in
  flight at once in worker threads, as the middleware and pipelines issue them.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
import uuid

import boto3
from scrapy.settings import Settings

from crawler.run.session import RunSession
from sampleportal.site import build_site
from storage.s3 import S3Storage, client_config
from storage.seaweed import SeaweedS3
from storage.spool import SpooledStorage

OBJECTS = 600
IN_FLIGHT = 16  # CONCURRENT_REQUESTS of the crawl settings


def sample_objects(count: int) -> list[bytes]:
    bodies = [resource.body for resource in build_site().values()]
    return [b"%d\n" % n + bodies[n % len(bodies)] for n in range(count)]


def _keys(prefix: str, count: int) -> list[str]:
    return [f"{prefix}/raw/sha256/{n:02x}/{n:06d}" for n in range(count)]


def boto3_loop(server: SeaweedS3, objects: list[bytes]) -> float:
    client = boto3.client("s3", config=client_config())
    started = time.perf_counter()
    for key, body in zip(_keys(uuid.uuid4().hex, len(objects)), objects, strict=True):
        client.put_object(Bucket=server.bucket, Key=key, Body=body)
    return time.perf_counter() - started


def storage_loop(server: SeaweedS3, objects: list[bytes]) -> float:
    storage = S3Storage(f"s3://{server.bucket}/{uuid.uuid4().hex}")
    started = time.perf_counter()
    for key, body in zip(_keys("a", len(objects)), objects, strict=True):
        storage.put(key, body)
    return time.perf_counter() - started


def crawl_path(server: SeaweedS3, objects: list[bytes], spool: str) -> float:
    storage = SpooledStorage(S3Storage(f"s3://{server.bucket}/{uuid.uuid4().hex}"), spool)
    session = RunSession(storage, Settings())

    async def write_all() -> None:
        gate = asyncio.Semaphore(IN_FLIGHT)

        async def one(key: str, body: bytes) -> None:
            async with gate:
                await session.put(None, key, body)

        await asyncio.gather(*(one(k, b) for k, b in zip(_keys("a", len(objects)), objects, strict=True)))

    started = time.perf_counter()
    asyncio.run(write_all())
    return time.perf_counter() - started


def run() -> str:
    objects = sample_objects(OBJECTS)
    megabytes = sum(map(len, objects)) / 1e6
    with SeaweedS3(bucket="bench") as server, tempfile.TemporaryDirectory() as spool:
        os.environ.update(server.env)
        boto3_loop(server, objects[:50])  # warm the server and the connection pools
        base = min(boto3_loop(server, objects) for _ in range(2))
        loop = min(storage_loop(server, objects) for _ in range(2))
        crawl = min(crawl_path(server, objects, spool) for _ in range(2))
    rows = [("plain boto3 put_object loop (baseline)", base), ("S3Storage.put loop (put-if-absent + SHA-256)", loop),
            (f"crawl path: put_object, {IN_FLIGHT} writes in flight", crawl)]
    lines = [
        "## Archive writes to S3 (bench_archive)",
        "",
        f"{OBJECTS} objects ({megabytes:.1f} MB, the sample portal's pages and attachments) to one SeaweedFS "
        "(`weed mini`) on 127.0.0.1, best of 2. Throughput ratio = baseline time / time (≥ 1 is faster).",
        "",
        "| writer | objects/s | MB/s | throughput vs boto3 loop |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {name} | {OBJECTS / t:.0f} | {megabytes / t:.1f} | {base / t:.2f} |" for name, t in rows]
    return "\n".join(lines)
